from django.urls import path

from live import views

app_name = "live"

urlpatterns = [
    path("live/<id:coverage_id>/updates/", views.updates, name="updates"),
]
