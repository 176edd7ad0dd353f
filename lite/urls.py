from django.urls import path, re_path

from lite import views

app_name = "lite"

# Slugs may be Arabic, as in news.urls.
SLUG = r"(?P<slug>[-\w]+)"

urlpatterns = [
    path("lite/search/", views.search, name="search"),
    path("lite/corrections/", views.corrections_log, name="corrections"),
    re_path(rf"^lite/author/{SLUG}/$", views.author, name="author"),
    re_path(rf"^lite/desk/{SLUG}/$", views.desk, name="desk"),
    re_path(rf"^lite/tag/{SLUG}/$", views.tag, name="tag"),
    # The page tree, as wagtail.urls serves it: the rest of the address is the page's path.
    re_path(r"^lite/(?P<path>(?:[-\w]+/)*)$", views.page, name="page"),
]
