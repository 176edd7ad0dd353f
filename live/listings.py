"""Live coverages among the articles of the home and section pages (news' hook `listed_with_articles`).

A coverage takes its place by `listed_at`: its first publication, moved up
by a new entry at most once every `LISTING_STEP` (live.signal_handlers), so
that an open coverage that keeps getting entries stays near the top of its
lists without making every listing stale at each entry.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from live.models import LiveCoveragePage
from news.listings import ListedPage
from news.models import readable_by_anyone
from pagecache.fragments import kept
from pagecache.store import SITE

LISTING_STEP = timedelta(minutes=10)


def _public_below(under):
    """Published coverages anyone may read below `under`, newest in the lists first (`listed`)."""
    return (
        LiveCoveragePage.objects.filter(readable_by_anyone(), path__startswith=under.path, depth__gt=under.depth)
        .annotate(listed=Coalesce("listed_at", "first_published_at"))
        .filter(listed__isnull=False)
        .select_related("desk", "lead_image")
        .order_by("-listed", "-pk")
    )


def coverages_listed(under, *, since=None, until=None, limit: int) -> list[ListedPage]:
    """The newest `limit` published coverages below `under`, by `listed_at`, in one query."""
    coverages = _public_below(under)
    if since is not None:
        coverages = coverages.filter(listed__gt=since)
    if until is not None:
        coverages = coverages.filter(listed__lte=until)
    return [_listed(coverage) for coverage in coverages[:limit]]


def coverage_leading(home) -> ListedPage | None:
    """The open coverage an editor set to lead the home page (the newest, if several), or None (news' `home_lead`)."""
    coverage = _public_below(home).filter(is_open=True, leads_home=True).first()
    return _listed(coverage) if coverage is not None else None


def _listed(coverage) -> ListedPage:
    return ListedPage(
        pk=coverage.pk,
        path=coverage.path,
        listed_at=coverage.listed,
        card=_CoverageCard(coverage),
        label=_("مباشر") if coverage.is_open else _("انتهت التغطية"),
    )


@dataclass(frozen=True)
class _CoverageCard:
    """A coverage's card as `ListedPage.card`: a class, not a closure, so that kept listings can be pickled."""

    coverage: LiveCoveragePage

    def __call__(self, *, request, **options) -> str:
        coverage = self.coverage
        # Kept like an article's card: a new revision (closing it), a move in the lists, or the site's tag.
        vary = [coverage.pk, coverage.live_revision_id, coverage.listed.timestamp(), *options.values()]
        html = kept(
            "live-card",
            vary=vary,
            tags=[SITE],
            compute=lambda: render_to_string(
                "live/_coverage_card.html", {"coverage": coverage, "request": request, **options}
            ),
        )
        return mark_safe(html)  # noqa: S308 - rendered from the card template
