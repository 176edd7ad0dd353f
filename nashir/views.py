from datetime import UTC, timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
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
