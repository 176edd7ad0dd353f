"""Where uploaded files live, and which of them readers may fetch.

Uploads live on this machine's disk (MEDIA_ROOT) or in a bucket of an
S3-compatible store (NASHIR_MEDIA_STORAGE=s3; docs/deployment.md, "Where
uploads live"). Either way readers get renditions only (docs/security.md,
"Photos and documents"): originals, documents and files waiting in a multiple
upload are for staff. On disk, nginx and the media view refuse their folders.
In a store, every object is private; renditions are written through a storage
of their own whose plain URLs work only where a bucket policy (or a CDN) lets
readers read images/, and the other objects' URLs are this site's /media/
paths, which only the media view answers, for staff.
"""

import posixpath
import secrets
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

# Uploads readers never get: originals (renditions are what pages show),
# documents (through Wagtail's serve view and its permission checks), and files
# waiting in a multiple upload, metadata and all.
PRIVATE_MEDIA = ("original_images/", "documents/", "uploaded_files/")
# Where Wagtail writes renditions (AbstractRendition.get_upload_to): what readers may fetch.
RENDITIONS_DIR = "images/"
RENDITIONS_ALIAS = "renditions"


def media_name(path: str) -> str | None:
    """`path` as the name of a stored file, or None if it would leave the media folder.

    Resolves "images/../original_images/x.jpg" to the original it names, as a
    storage would. A backslash is refused: S3Storage reads it as a slash, so
    "images\\..\\original_images\\x.jpg" would otherwise pass for a rendition.
    """
    if "\\" in path or "\x00" in path:
        return None
    name = posixpath.normpath(path.lstrip("/"))
    if name in (".", "..") or name.startswith("../"):
        return None
    return name


def is_private(name: str) -> bool:
    """Whether `name` (from media_name) is a file readers may not fetch."""
    return name.startswith(PRIVATE_MEDIA)


def rendition_storage_current():
    """STORAGES["renditions"] if there is one, else the default storage."""
    return storages[RENDITIONS_ALIAS] if RENDITIONS_ALIAS in settings.STORAGES else default_storage


class RenditionStorage(LazyObject):
    """The storage of image renditions, looked up when first used after a change of STORAGES.

    Trap: Wagtail calls WAGTAILIMAGES_RENDITION_STORAGE once, when its
    Rendition model is defined, and keeps what it gets. A storage instance
    taken then would outlive a test's STORAGES; this object follows them, as
    Django's default_storage does.
    """

    def _setup(self):
        self._wrapped = rendition_storage_current()


rendition_storage = RenditionStorage()


def rendition_storage_get():
    """What WAGTAILIMAGES_RENDITION_STORAGE names."""
    return rendition_storage


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_ROOT", "MEDIA_URL"):
        rendition_storage._wrapped = empty


def media_on_disk() -> bool:
    """Whether uploads are files under MEDIA_ROOT (rather than objects in a store)."""
    try:
        default_storage.path("")
    except NotImplementedError:
        return False
    return True


def in_store(storage) -> bool:
    """Whether `storage` keeps its files in an S3 store.

    Asked without importing django-storages' S3 module (boto3 with it: a
    quarter of a second and 40 MB in every process), which Django imports only
    when STORAGES names one of its classes (NASHIR_MEDIA_STORAGE=s3).
    """
    s3 = sys.modules.get("storages.backends.s3")
    return s3 is not None and isinstance(storage, s3.S3Storage)


def media_store_description() -> str | None:
    """Where uploads are when not on this machine's disk ("the S3 bucket 'x' at https://…"), else None."""
    if media_on_disk():
        return None
    where = f" at {default_storage.endpoint_url}" if getattr(default_storage, "endpoint_url", None) else ""
    return f"the S3 bucket {getattr(default_storage, 'bucket_name', '?')!r}{where}"


def media_origins() -> list[str]:
    """The origins other than the site's that pages load uploads from: MEDIA_URL's, the store's or its CDN's."""
    origins = [_origin(settings.MEDIA_URL)]
    storage = rendition_storage_current()
    if in_store(storage):
        origins.append(_store_origin(storage))
    return list(dict.fromkeys(origin for origin in origins if origin))


@lru_cache(maxsize=8)
def _store_origin(storage) -> str | None:
    # A URL made locally (no request to the store), once per storage instance.
    return _origin(storage.url(f"{RENDITIONS_DIR}x.jpg"))


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def bucket_policy(bucket: str) -> dict:
    """The bucket policy that lets anyone read renditions and nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadersGetRenditionsOnly",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/{RENDITIONS_DIR}*",
            }
        ],
    }


@dataclass
class StoreCheck:
    prefix: str
    url: str
    status: int | None  # the HTTP status an anonymous GET got; None if the store did not answer
    ok: bool


def media_store_check(*, timeout: float = 10.0) -> list[StoreCheck]:
    """Write a small file under each prefix, fetch its plain URL as a reader would, and delete it.

    A rendition must be readable (status 200), and a file under each private
    prefix refused. The URLs are those renditions get (the CDN's with
    NASHIR_S3_CUSTOM_DOMAIN), so the check covers the store and the CDN in
    front of it.
    """
    storage = rendition_storage_current()
    if not in_store(storage):
        raise ValueError("Uploads are not in an S3 store (NASHIR_MEDIA_STORAGE).")
    token = secrets.token_hex(8)
    checks = []
    for prefix in (RENDITIONS_DIR, *PRIVATE_MEDIA):
        # Through the storage that writes the prefix, as the application writes it.
        writer = storage if prefix == RENDITIONS_DIR else default_storage
        name = writer.save(f"{prefix}nashir-check-{token}.txt", ContentFile(b"nashir media store check\n"))
        try:
            url = storage.url(name)
            status = _anonymous_status(url, timeout=timeout)
        finally:
            writer.delete(name)
        wanted = 200 if prefix == RENDITIONS_DIR else None
        ok = status == 200 if wanted else status in (401, 403, 404)
        checks.append(StoreCheck(prefix=prefix, url=url, status=status, ok=ok))
    return checks


def _anonymous_status(url: str, *, timeout: float) -> int | None:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"Not an http(s) URL: {url}")
    try:
        # No credentials, no signature: what any reader's browser could do. The scheme is checked above.
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None
