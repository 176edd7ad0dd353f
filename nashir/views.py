import mimetypes
from datetime import UTC, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.views import static
from django.views.decorators.cache import cache_page

from operations.media import is_private, media_name, media_on_disk

# Readers' forms, the admin and the view beacon are not for crawlers.
DISALLOWED = ["/admin/", "/comments/", "/corrections/new/", "/replies/new/", "/views/", "/search/"]


@cache_page(3600)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines += [f"Sitemap: {settings.SITE_URL}/sitemap.xml", f"Sitemap: {settings.SITE_URL}/sitemap-news.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# RFC 9116 asks for less than a year; a file written per request stays valid
# as long as the contact setting is kept current.
SECURITY_TXT_DAYS = 180


def security_txt(request):
    """/.well-known/security.txt (RFC 9116): where to report a vulnerability."""
    if not settings.NASHIR_SECURITY_CONTACT:
        raise Http404
    expires = (timezone.now() + timedelta(days=SECURITY_TXT_DAYS)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.NASHIR_SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: ar, en",
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def media(request, path):
    """Uploaded files when SERVE_MEDIA is on (no nginx in front): renditions for anyone, the rest for staff only."""
    name = media_name(path)
    if name is None:
        raise Http404
    if is_private(name) and not (request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin")):
        raise Http404
    if not media_on_disk():
        return _media_from_store(name)
    root = Path(settings.MEDIA_ROOT).resolve()
    full = root / name
    # Like nginx's disable_symlinks: a link planted under media leads nowhere.
    if full.resolve() != full:
        raise Http404
    return static.serve(request, name, document_root=root)


def _media_from_store(name):
    """A file of the S3 store, read with the application's keys (its objects are private) and passed on."""
    if not default_storage.exists(name):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name), content_type=content_type)
    # Staff only (or a rendition, public at the store anyway): no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response
