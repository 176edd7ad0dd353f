from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CacheStoresConfig(AppConfig):
    name = "cachestores"
    verbose_name = _("مخازن الذاكرة المؤقتة")
