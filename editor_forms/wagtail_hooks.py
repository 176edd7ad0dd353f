"""The admin's forms, for every app: text fields without control characters (editor_forms.fields).

Registered by an app listed before every app with admin forms, so its hooks
run before any of their forms is built.
"""

from django.db import models
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
