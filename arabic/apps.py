from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArabicConfig(AppConfig):
    name = "arabic"
    verbose_name = _("اللغة العربية")
