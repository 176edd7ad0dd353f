"""Signals the news app sends for other apps to follow."""

from django.dispatch import Signal

# Articles created or changed by an import rather than by Wagtail's publish
# (which sends `page_published`). Arguments: page_ids.
articles_imported = Signal()
