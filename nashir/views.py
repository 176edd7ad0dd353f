import os
from datetime import UTC, timedelta
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import static
from django.views.decorators.cache import cache_page

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


# Uploads readers never get: originals (renditions are what pages show),
# documents (through Wagtail's serve view and its permission checks), and files
# waiting in a multiple upload.
PRIVATE_MEDIA = ("original_images/", "documents/", "uploaded_files/")


def media(request, path):
    """Uploaded files when SERVE_MEDIA is on (no nginx in front): renditions for anyone, the rest for staff only."""
    root = Path(settings.MEDIA_ROOT).resolve()
    # The file serve() would read, links not followed: "images/../original_images/x.jpg" is an original.
    full = Path(os.path.normpath(root / path.lstrip("/")))
    if root not in full.parents:
        raise Http404
    relative = full.relative_to(root).as_posix()
    if relative.startswith(PRIVATE_MEDIA) and not (
        request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin")
    ):
        raise Http404
    # Like nginx's disable_symlinks: a link planted under media leads nowhere.
    if full.resolve() != full:
        raise Http404
    return static.serve(request, relative, document_root=root)
