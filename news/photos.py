"""What uploaded photos give away: EXIF (camera, time, GPS), XMP and IPTC removed before a file is stored.

A photo from a source's phone can name the phone and the place it was taken.
Every image is rewritten when its file is first saved (admin, chooser,
multiple upload, the WordPress importer all save through the image model),
with its orientation applied to the pixels and only its colour profile kept.
Renditions are made from the cleaned original, and Willow copies only what
the original still has.
"""

import io
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError, hash_filelike

logger = logging.getLogger(__name__)

# What a saved copy may carry over from the original: nothing that describes
# the camera, the place or the person; animation timing for GIF and WebP.
KEPT_INFO = {"duration", "loop", "transparency", "background"}
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "AVIF"}


def metadata_found(data: bytes) -> list[str]:
    """What in `data` could describe the camera, the place or the person: EXIF (GPS within it), XMP, IPTC, text."""
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return []
    found = []
    if image.getexif() or "exif" in image.info:
        found.append("exif")
    if "xmp" in image.info or b"http://ns.adobe.com/xap/1.0/" in data:
        found.append("xmp")
    if "photoshop" in image.info or b"Photoshop 3.0\x00" in data:
        found.append("iptc")
    if "comment" in image.info or getattr(image, "text", None):
        found.append("text")
    return found


def strip_metadata(data: bytes) -> bytes | None:
    """The image in `data` without its metadata, or None if it is not an image Pillow can rewrite."""
    try:
        source = Image.open(io.BytesIO(data))
        source.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    if source.format not in FORMATS:
        return None
    image_format = source.format
    animated = getattr(source, "n_frames", 1) > 1
    options = {"icc_profile": source.info.get("icc_profile")} if source.info.get("icc_profile") else {}
    if image_format == "JPEG":
        # The original's quantisation tables and sampling: no visible loss from re-encoding.
        options.update(
            qtables=source.quantization,
            subsampling=JpegImagePlugin.get_sampling(source),
            progressive="progressive" in source.info or "progression" in source.info,
            optimize=True,
        )
    elif image_format == "WEBP":
        options.update(lossless=source.info.get("compression") == "lossless", quality=90)
    elif image_format == "AVIF":
        options.update(quality=90)
    if animated:
        options.update(save_all=True, **{key: source.info[key] for key in KEPT_INFO & source.info.keys()})
        cleaned = source
    else:
        cleaned = ImageOps.exif_transpose(source)
        transparency = source.info.get("transparency")
        if transparency is not None and image_format in ("PNG", "GIF"):
            options["transparency"] = transparency
    # Pillow writes back whatever it read into `info` (XMP, EXIF, comments, text chunks).
    cleaned.info = {}
    output = io.BytesIO()
    cleaned.save(output, format=image_format, exif=b"", **options)
    return output.getvalue()


@dataclass
class StripResult:
    rewritten: bool
    bytes_before: int
    bytes_after: int


def image_strip_metadata(*, image, save: bool = False) -> StripResult:
    """Replace `image`'s file with a copy without metadata, and its size and hash with the copy's.

    The file may be a new upload not yet stored (the model's save stores the
    copy) or already in storage (the copy replaces it). With `save`, the image
    row is saved too.
    """
    with image.open_file() as handle:
        data = handle.read()
    if not metadata_found(data):
        # Nothing to remove: not re-encoded, so no quality is lost.
        return StripResult(False, len(data), len(data))
    cleaned = strip_metadata(data)
    if cleaned is None:
        logger.warning("Could not remove the metadata of image %s (%s)", image.pk, image.file.name)
        return StripResult(False, len(data), len(data))
    name = image.file.name.rsplit("/", 1)[-1]
    if image.file._committed:
        image.file.delete(save=False)
    # Assigning a new file makes the image field read its width and height again:
    # a rotated photo swaps them.
    image.file = ContentFile(cleaned, name=name)
    image.file_size = len(cleaned)
    image.file_hash = hash_filelike(io.BytesIO(cleaned))
    if save:
        image.save()
    return StripResult(True, len(data), len(cleaned))


def image_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new file, from any upload path: a new image or a replaced file."""
    if raw or (update_fields is not None and "file" not in update_fields) or not instance.file:
        return
    if instance.pk is not None and instance.file._committed:
        return  # the file it was stored with, cleaned then
    image_strip_metadata(image=instance)


@dataclass
class CleanupCounts:
    checked: int = 0
    with_metadata: int = 0
    cleaned: int = 0
    failed: int = 0
    renditions_deleted: int = 0


def images_strip_metadata(*, dry_run: bool = False) -> CleanupCounts:
    """Clean the images stored before uploads were cleaned; their renditions are deleted and made again on demand."""
    counts = CleanupCounts()
    for image in get_image_model().objects.order_by("pk").iterator():
        counts.checked += 1
        try:
            with image.open_file() as handle:
                found = metadata_found(handle.read())
        except (OSError, SourceImageIOError):
            logger.warning("Image %s has no readable file (%s)", image.pk, image.file.name)
            counts.failed += 1
            continue
        if not found:
            continue
        counts.with_metadata += 1
        if dry_run:
            continue
        if not image_strip_metadata(image=image, save=True).rewritten:
            counts.failed += 1
            continue
        counts.cleaned += 1
        # Files first: the rows' own clean-up runs only once a transaction commits.
        renditions = list(image.renditions.all())
        for rendition in renditions:
            rendition.file.delete(save=False)
        image.renditions.all().delete()
        counts.renditions_deleted += len(renditions)
    return counts
