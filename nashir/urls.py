from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from nashir.views import media, robots_txt, security_txt
from news.sitemaps import SITEMAPS, news_sitemap, sitemap_index

urlpatterns = [
    path("robots.txt", robots_txt),
    path(".well-known/security.txt", security_txt),
    path("sitemap.xml", sitemap_index),
    path("sitemap-news.xml", news_sitemap, name="news_sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Staff security routes shadow some of the admin's (throttled password reset).
    path("", include("staff.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("news.urls")),
    path("", include("readership.urls")),
    path("", include("breaking.urls")),
    path("", include("comments.urls")),
    path("", include("corrections.urls")),
    path("", include("live.urls")),
    path("", include("search.urls")),
    path("", include("lite.urls")),
    path("", include("api.urls")),
    path("", include("operations.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", media))

urlpatterns += [
    path("", include(wagtail_urls)),
]
