"""An entry or a correction note saved: the coverage's page and its updates endpoint are stale, and a CDN's copy."""

from django.db.models.signals import post_delete, post_save

from live.models import LiveEntry, LiveEntryCorrection
from pagecache import invalidation


def coverage_changed(coverage_id: int) -> None:
    # Entries show on the coverage's own page only: no listing carries them.
    invalidation.article_page_changed(coverage_id)


def entry_saved(sender, instance, **kwargs):
    coverage_changed(instance.coverage_id)
    coverage = instance.coverage
    if coverage.live:
        # The endpoint's copies (one per `after`) are kept seconds by a CDN: they expire by themselves.
        invalidation.purge_on_commit(coverage, lambda: [coverage.get_url_parts()[2]])


def correction_saved(sender, instance, **kwargs):
    entry_saved(sender, instance.entry)


def register():
    post_save.connect(entry_saved, sender=LiveEntry, dispatch_uid="live-entry-saved")
    post_delete.connect(entry_saved, sender=LiveEntry, dispatch_uid="live-entry-deleted")
    post_save.connect(correction_saved, sender=LiveEntryCorrection, dispatch_uid="live-correction-saved")
