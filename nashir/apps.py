from django.apps import AppConfig
from django.urls import register_converter


class NashirConfig(AppConfig):
    name = "nashir"

    def ready(self):
        from nashir.bounds import RowIdConverter

        # Before any app's URLs are read: `<id:pk>` is how they take an id.
        register_converter(RowIdConverter, "id")
