from live.models import EntryStatus, LiveCoveragePage, LiveEntry

__all__ = ["EntryStatus", "entry_default_status", "entry_may_publish", "entry_was_published"]

PUBLISH_PERMISSION = "live.publish_liveentry"


def entry_may_publish(*, user, coverage: LiveCoveragePage) -> bool:
    """Editors publish entries; reporters too, in a coverage that lets them publish directly."""
    if user is None:
        return False
    if user.has_perm(PUBLISH_PERMISSION):
        return True
    return coverage.reporters_publish_directly and user.has_perm("live.add_liveentry")


def entry_default_status(*, user, coverage: LiveCoveragePage | None) -> str:
    """What a new entry's form offers: published to whoever may publish it, so posting is type and save."""
    if user is not None and user.has_perm(PUBLISH_PERMISSION):
        return EntryStatus.PUBLISHED
    if coverage is not None and entry_may_publish(user=user, coverage=coverage):
        return EntryStatus.PUBLISHED
    return EntryStatus.DRAFT


def entry_was_published(entry: LiveEntry) -> bool:
    """Whether the stored entry (not the form's copy of it) is published."""
    if entry.pk is None:
        return False
    return LiveEntry.objects.filter(pk=entry.pk, status=EntryStatus.PUBLISHED).exists()
