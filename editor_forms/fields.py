"""What every form editors fill in shares: text without control characters.

The admin's forms for pages, snippets and settings are built by Wagtail from
the models' fields, through its registry of form fields (registered in
editor_forms/wagtail_hooks.py); the text fields, and every text in a StreamField,
rich text included, drop the control characters that readers' forms drop too
(arabic.text.strip_control_characters).
"""

from django import forms
from wagtail.blocks.base import BlockField

from arabic.text import strip_control_characters


class PlainTextField(forms.CharField):
    """A text field whose value drops control characters before it is validated."""

    def to_python(self, value):
        if isinstance(value, str):
            value = strip_control_characters(value)
        return super().to_python(value)


class StreamTextField(BlockField):
    """A StreamField's form field whose every text, at any depth, drops control characters."""

    def clean(self, value):
        value = super().clean(value)
        stored = self.block.get_prep_value(value)
        cleaned = _stripped(stored)
        return value if cleaned == stored else self.block.to_python(cleaned)


def _stripped(value):
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list):
        return [_stripped(item) for item in value]
    if isinstance(value, dict):
        return {key: _stripped(item) for key, item in value.items()}
    return value
