from django.urls import path

from live import feeds, views

app_name = "live"

urlpatterns = [
    path("live/<id:coverage_id>/", views.short_link, name="short_link"),
    path("live/<id:coverage_id>/updates/", views.updates, name="updates"),
    path("live/<id:coverage_id>/feed/", feeds.CoverageFeed(), name="feed"),
    path("live/<id:coverage_id>/feed/atom/", feeds.CoverageAtomFeed(), name="feed_atom"),
]
