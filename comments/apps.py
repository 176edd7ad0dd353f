from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("تعليقات القراء")

    def ready(self):
        from comments import signal_handlers

        signal_handlers.register()
