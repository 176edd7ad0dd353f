from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_page

# Readers' forms, the admin and the view beacon are not for crawlers.
DISALLOWED = ["/admin/", "/comments/", "/corrections/new/", "/replies/new/", "/views/", "/search/"]


@cache_page(3600)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines += [f"Sitemap: {settings.SITE_URL}/sitemap.xml", f"Sitemap: {settings.SITE_URL}/sitemap-news.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
