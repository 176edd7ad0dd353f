"""Routes that must sit in front of Wagtail's own admin routes."""

from django.urls import path

from .views import ThrottledPasswordResetView

urlpatterns = [
    path("admin/password_reset/", ThrottledPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
]
