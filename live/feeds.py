"""A coverage's own feed, RSS and Atom: one item per published entry, newest first.

Kept by the page cache under the coverage's tag, as its page and updates
endpoint are: a posted entry or correction note makes it stale at once.
"""

from django.conf import settings
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import Truncator
from wagtail.rich_text import expand_db_html

from live.models import EntryStatus, LiveCoveragePage
from news.feeds import enclosure
from news.models import readable_by_anyone
from news.structured_data import absolute_url
from news.syndication import AtomFeed, SafeFeed, SyndicatedPages
from pagecache.fragments import kept
from pagecache.store import SITE, article_tag, tag_request

FEED_SIZE = 50
# Without the whole text (NASHIR_FEED_FULL_CONTENT), an entry is told in this many words.
EXCERPT_WORDS = 60


class CoverageFeed(SafeFeed):
    def get_object(self, request, coverage_id):
        coverage = get_object_or_404(LiveCoveragePage.objects.filter(readable_by_anyone()), pk=coverage_id)
        tag_request(request, SITE, article_tag(coverage.pk))
        return coverage

    def title(self, coverage):
        return f"{coverage.title} | {settings.WAGTAIL_SITE_NAME}"

    def link(self, coverage):
        return coverage.url

    def description(self, coverage):
        return coverage.summary

    def descriptions_are_html(self):
        return settings.NASHIR_FEED_FULL_CONTENT

    def items(self, coverage):
        # Newest first by the moment each went out: a reader's feed shows what is new at the top.
        entries = list(coverage.published_entries().newest_first()[:FEED_SIZE])
        for entry in entries:
            entry.coverage = coverage  # no query per entry for its coverage and desk
        return entries

    def item_title(self, entry):
        return entry.title_text()

    def item_description(self, entry):
        if settings.NASHIR_FEED_FULL_CONTENT:
            return expand_db_html(entry.body)
        return Truncator(entry.body_text()).words(EXCERPT_WORDS)

    def item_link(self, entry):
        return entry.coverage.url + entry.anchor()

    def item_guid(self, entry):
        # Under the coverage's short link, which stays the same if the page is renamed or moved.
        return absolute_url(reverse("live:short_link", args=[entry.coverage_id])) + entry.anchor()

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.published_at or entry.posted_at

    def item_updateddate(self, entry):
        return entry.published_at or entry.posted_at

    def item_author_name(self, entry):
        if entry.author:
            return entry.author.name
        return entry.coverage.desk.name if entry.coverage.desk else None


class CoverageAtomFeed(CoverageFeed):
    feed_type = AtomFeed
    subtitle = CoverageFeed.description


def public_coverages():
    newest_entry = Max("entries__published_at", filter=Q(entries__status=EntryStatus.PUBLISHED))
    return (
        LiveCoveragePage.objects.filter(readable_by_anyone())
        .select_related("desk", "lead_image")
        .annotate(newest_entry=newest_entry)
    )


def coverage_feed_item(coverage) -> dict:
    """The coverage in the site's and its sections' feeds, as an article is there (news.feeds).

    Kept until its next publication or entry, as an article's item is: its
    picture's rendition is a query.
    """
    full = settings.NASHIR_FEED_FULL_CONTENT
    vary = [coverage.pk, coverage.live_revision_id, coverage_lastmod(coverage).timestamp(), full]
    return kept("live-feed-item", vary=vary, tags=[SITE], compute=lambda: _feed_item(coverage, full=full))


def _feed_item(coverage, *, full: bool) -> dict:
    return {
        "title": coverage.title,
        "description": f"<p>{escape(coverage.summary)}</p>" if full else coverage.summary,
        "link": coverage.url,
        "guid": absolute_url(reverse("live:short_link", args=[coverage.pk])),
        "published": coverage.first_published_at,
        "updated": coverage_lastmod(coverage),
        "author": coverage.desk.name if coverage.desk else None,
        "enclosure": enclosure(coverage.lead_image),
    }


def coverage_lastmod(coverage):
    """Its newest entry, or its own last publication."""
    return max(filter(None, [coverage.last_published_at, getattr(coverage, "newest_entry", None)]))


def coverage_syndication() -> SyndicatedPages:
    return SyndicatedPages(name="live", pages=public_coverages, feed_item=coverage_feed_item, lastmod=coverage_lastmod)
