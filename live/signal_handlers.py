"""An entry or a correction note saved: the coverage's page and its updates endpoint are stale, and a CDN's copy.

A newly published entry may also move the coverage up in the home and
section listings (live.listings): then those are stale too.
"""

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from wagtail.signals import page_published

from live.listings import LISTING_STEP
from live.models import LiveCoveragePage, LiveEntry, LiveEntryCorrection
from news.models import ArticlePage
from pagecache import invalidation


def coverage_changed(coverage_id: int) -> None:
    invalidation.article_page_changed(coverage_id)


def coverage_listing_paths(coverage) -> list[str]:
    """The pages that list a coverage: the home page and the sections above it, and their feeds."""
    paths = ["/", reverse("news:feed"), reverse("news:feed_atom")]
    for section in coverage.get_ancestors().filter(depth__gt=2):
        paths += [section.url, reverse("news:section_feed", args=[section.pk])]
        paths.append(reverse("news:section_feed_atom", args=[section.pk]))
    return paths


def coverage_moved_up(entry) -> bool:
    """Move the coverage up its lists to this entry's publication, unless it moved less than LISTING_STEP before.

    Only a new entry moves it (an edit keeps its publication time), and at
    most once per step: a coverage posting every minute costs the listings
    one regeneration every ten minutes, not sixty an hour.
    """
    coverage = entry.coverage
    if not (entry.is_published and entry.published_at and coverage.live and coverage.first_published_at):
        return False
    listed = coverage.listed_at or coverage.first_published_at
    if entry.published_at - listed < LISTING_STEP:
        return False
    coverage.listed_at = entry.published_at
    LiveCoveragePage.objects.filter(pk=coverage.pk).update(listed_at=entry.published_at)
    return True


def entry_saved(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loaddata (a restore, a move to PostgreSQL): nothing is served from it yet
        return
    coverage = instance.coverage
    if kwargs.get("signal") is post_save and coverage_moved_up(instance):
        # Listings key their cards and order on `listed_at`: every list may show it (the content's tag).
        invalidation.articles_changed([coverage.pk])
        invalidation.purge_on_commit(coverage, lambda: coverage_listing_paths(coverage))
    else:
        coverage_changed(instance.coverage_id)
    if coverage.live:
        # The endpoint's copies (one per `after`) are kept seconds by a CDN: they expire by themselves.
        invalidation.purge_on_commit(coverage, lambda: coverage_paths(coverage))


def coverage_paths(coverage) -> list[str]:
    """What a CDN keeps of a coverage for its pages' lifetime: the page and its own feeds."""
    feeds = [reverse("live:feed", args=[coverage.pk]), reverse("live:feed_atom", args=[coverage.pk])]
    return [coverage.get_url_parts()[2], *feeds]


def correction_saved(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    entry_saved(sender, instance.entry)
    # The article made of the entry shows its notes too (asked of the database: a promotion updates the row only).
    article = ArticlePage.objects.filter(promoted_from_entries=instance.entry_id, live=True).first()
    if article is not None:
        invalidation.article_page_changed(article.pk)
        invalidation.purge_on_commit(article, lambda: [article.get_url_parts()[2]])


def article_published(sender, instance, **kwargs):
    """An article made of an entry went out: the entry's «اقرأ المقال كاملًا» link shows on its coverage."""
    promoted = LiveEntry.objects.filter(promoted_to=instance)
    # Changed as readers see them: pages already open show the link at their next poll.
    promoted.update(changed_at=timezone.now())
    for coverage in LiveCoveragePage.objects.filter(pk__in=promoted.values("coverage_id")):
        coverage_changed(coverage.pk)
        if coverage.live:
            invalidation.purge_on_commit(coverage, lambda coverage=coverage: coverage_paths(coverage))


def register():
    post_save.connect(entry_saved, sender=LiveEntry, dispatch_uid="live-entry-saved")
    post_delete.connect(entry_saved, sender=LiveEntry, dispatch_uid="live-entry-deleted")
    post_save.connect(correction_saved, sender=LiveEntryCorrection, dispatch_uid="live-correction-saved")
    page_published.connect(article_published, sender=ArticlePage, dispatch_uid="live-promoted-article-published")
