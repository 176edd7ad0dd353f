"""The storage of private uploads in an S3-compatible store (NASHIR_MEDIA_STORAGE=s3; operations.media)."""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class PrivateS3Storage(S3Storage):
    """Originals, documents and waiting uploads: private objects whose URLs are this site's /media/ paths.

    S3Storage.url() would sign a URL that anyone who holds it can use until it
    expires: copied from an editor's browser, or kept in a cached page, it
    would hand out a source's photo. Here the URL is the file's /media/ path,
    as on disk, which nginx refuses and the media view serves to staff only
    (SERVE_MEDIA). The application itself reads the objects with its keys.
    """

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(clean_name(name)))
