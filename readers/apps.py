from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadersConfig(AppConfig):
    name = "readers"
    verbose_name = _("بيانات القراء")
