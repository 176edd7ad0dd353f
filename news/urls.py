from django.urls import path, re_path

from news import feeds, views

app_name = "news"

# Slugs may be Arabic, so match any word characters rather than <slug:>.
SLUG = r"(?P<slug>[-\w]+)"

urlpatterns = [
    re_path(rf"^author/{SLUG}/$", views.author_detail, name="author"),
    re_path(rf"^desk/{SLUG}/$", views.desk_detail, name="desk"),
    re_path(rf"^tag/{SLUG}/$", views.tag_detail, name="tag"),
    path("a/<id:pk>/", views.short_link, name="short_link"),
    path("theme.css", views.theme_stylesheet, name="theme_css"),
    path("feed/", feeds.ArticleFeed(), name="feed"),
    path("feed/atom/", feeds.atom(feeds.ArticleFeed)(), name="feed_atom"),
    path("feed/section/<id:pk>/", feeds.SectionFeed(), name="section_feed"),
    path("feed/section/<id:pk>/atom/", feeds.atom(feeds.SectionFeed)(), name="section_feed_atom"),
    re_path(rf"^feed/tag/{SLUG}/$", feeds.TagFeed(), name="tag_feed"),
    re_path(rf"^feed/tag/{SLUG}/atom/$", feeds.atom(feeds.TagFeed)(), name="tag_feed_atom"),
    re_path(rf"^feed/author/{SLUG}/$", feeds.AuthorFeed(), name="author_feed"),
    re_path(rf"^feed/author/{SLUG}/atom/$", feeds.atom(feeds.AuthorFeed)(), name="author_feed_atom"),
    re_path(rf"^feed/desk/{SLUG}/$", feeds.DeskFeed(), name="desk_feed"),
    re_path(rf"^feed/desk/{SLUG}/atom/$", feeds.atom(feeds.DeskFeed)(), name="desk_feed_atom"),
]
