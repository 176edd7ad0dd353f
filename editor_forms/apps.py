from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorFormsConfig(AppConfig):
    name = "editor_forms"
    verbose_name = _("نماذج المحررين")
