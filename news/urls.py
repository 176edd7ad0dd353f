from django.urls import re_path

from news import views

app_name = "news"

# Slugs may be Arabic, so match any word characters rather than <slug:>.
urlpatterns = [
    re_path(r"^author/(?P<slug>[-\w]+)/$", views.author_detail, name="author"),
    re_path(r"^desk/(?P<slug>[-\w]+)/$", views.desk_detail, name="desk"),
    re_path(r"^tag/(?P<slug>[-\w]+)/$", views.tag_detail, name="tag"),
]
