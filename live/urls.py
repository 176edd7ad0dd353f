from django.urls import path, reverse

from live import views

app_name = "live"

urlpatterns = [
    path("live/<id:coverage_id>/updates/", views.updates, name="updates"),
]


def updates_path(coverage_id: int) -> str:
    return reverse("live:updates", args=[coverage_id])
