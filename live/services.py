from live.models import EntryStatus, LiveCoveragePage, LiveEntry

__all__ = ["EntryStatus", "entry_may_publish", "entry_was_published"]

PUBLISH_PERMISSION = "live.publish_liveentry"


def entry_may_publish(*, user, coverage: LiveCoveragePage) -> bool:
    """Editors publish entries; reporters too, in a coverage that lets them publish directly."""
    if user is None:
        return False
    if user.has_perm(PUBLISH_PERMISSION):
        return True
    return coverage.reporters_publish_directly and user.has_perm("live.add_liveentry")


def entry_was_published(entry: LiveEntry) -> bool:
    """Whether the stored entry (not the form's copy of it) is published."""
    if entry.pk is None:
        return False
    return LiveEntry.objects.filter(pk=entry.pk, status=EntryStatus.PUBLISHED).exists()
