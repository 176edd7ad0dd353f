from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("أمان حسابات فريق التحرير")

    def ready(self):
        from . import signal_handlers  # noqa: F401 - connects the audit and new-device handlers
