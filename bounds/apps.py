from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class BoundsConfig(AppConfig):
    name = "bounds"
    verbose_name = _("حدود الأرقام والتواريخ في الطلبات")

    def ready(self):
        from bounds.limits import RowIdConverter

        # Before any app's URLs are read: `<id:pk>` is how they take an id.
        register_converter(RowIdConverter, "id")
