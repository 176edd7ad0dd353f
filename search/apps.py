from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("البحث")

    def ready(self):
        from search import signal_handlers

        signal_handlers.register()
