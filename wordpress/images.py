"""WordPress uploads into Wagtail images, read from a local copy of wp-content/uploads (no network)."""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from wordpress.models import ImportedImage

UPLOADS_MARKER = "/wp-content/uploads/"
# WordPress's resized copies: photo-300x169.jpg is photo.jpg made smaller.
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")


class Uploads:
    """Finds an upload's file under `root` and makes (once) its Wagtail image."""

    def __init__(self, root):
        self.root = Path(root) if root else None
        self.missing = []

    def image(self, url, *, title):
        """The Wagtail image for `url` (the original, not a resized copy), or None if its file is not here."""
        url = SIZE_SUFFIX.sub("", url.strip())
        record = ImportedImage.objects.filter(source_url=url[:500]).select_related("image").first()
        if record is not None and record.image is not None:
            return record.image
        path = self._path(url)
        if path is None:
            if record is None:
                ImportedImage.objects.create(source_url=url[:500])
            self.missing.append(url)
            return None
        with path.open("rb") as handle:
            image = get_image_model().objects.create(
                title=(title or path.stem)[:255], file=ImageFile(handle, name=path.name)
            )
        ImportedImage.objects.update_or_create(source_url=url[:500], defaults={"image": image})
        return image

    def _path(self, url):
        if self.root is None:
            return None
        path = unquote(urlsplit(url).path)
        if UPLOADS_MARKER not in path:
            return None
        candidate = (self.root / path.split(UPLOADS_MARKER, 1)[1]).resolve()
        # Never outside the uploads folder, whatever the export says.
        if self.root.resolve() not in candidate.parents or not candidate.is_file():
            return None
        return candidate
