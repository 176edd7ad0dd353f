"""The admin's forms, for every app: text fields without control characters (editor_forms.fields),
and saves that wait for an autosave on its way (static/editor_forms/autosave_guard.js).

Registered by an app listed before every app with admin forms, so its hooks
run before any of their forms is built.
"""

from django.db import models
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminAutoHeightTextInput
from wagtail.fields import StreamField

from editor_forms.fields import PlainTextField, StreamTextField

# Exact classes: slugs, emails and URLs keep their own fields; TextField keeps
# Wagtail's own widget, which this replaces in the registry.
register_form_field_override(models.CharField, override={"form_class": PlainTextField}, exact_class=True)
register_form_field_override(
    models.TextField, override={"form_class": PlainTextField, "widget": AdminAutoHeightTextInput}, exact_class=True
)
register_form_field_override(StreamField, override={"form_class": StreamTextField})


@hooks.register("insert_editor_js")
def autosave_guard():
    """A save or publish clicked while an autosave is on its way waits for it (the script says why)."""
    return format_html('<script src="{}" defer></script>', static("editor_forms/autosave_guard.js"))
