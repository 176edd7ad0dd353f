from django.db import transaction
from django.utils.text import Truncator
from wagtail.rich_text import RichText

from live.models import EntryStatus, LiveCoveragePage, LiveEntry
from news.models import ArticleAuthor, ArticlePage, ArticleSource
from news.models.pages import readable_by_anyone
from pagecache.fragments import kept
from pagecache.store import SITE, article_tag

__all__ = [
    "EntryStatus",
    "entry_default_status",
    "entry_may_promote",
    "entry_may_publish",
    "entry_promote",
    "entry_was_published",
]

PUBLISH_PERMISSION = "live.publish_liveentry"
# The article's standfirst starts as the entry's text, cut to what the field holds.
STANDFIRST_LENGTH = 600


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


def entry_may_promote(*, user, entry: LiveEntry) -> bool:
    """Editors who may add an article to the coverage's section."""
    return (
        user.has_perm(PUBLISH_PERMISSION) and entry.coverage.get_parent().permissions_for_user(user).can_add_subpage()
    )


def entry_promote(*, entry: LiveEntry, user) -> ArticlePage:
    """The draft article made of a published entry, in its coverage's section; a second call returns the same one.

    The headline, body, picture, writer and sources are copied, the coverage's
    desk signs it; the entry keeps the link (`promoted_to`), so both pages
    point to each other once the article is published.
    """
    if entry.promoted_to_id is not None:
        return entry.promoted_to
    coverage = entry.coverage
    text = " ".join(entry.body_text().split())
    article = ArticlePage(
        title=entry.headline or Truncator(text).words(12),
        standfirst=Truncator(text).chars(STANDFIRST_LENGTH),
        body=[("paragraph", RichText(entry.body))],
        desk=coverage.desk,
        featured_image=entry.image,
        live=False,
        owner=user,
    )
    if entry.author_id:
        article.bylines = [ArticleAuthor(author_id=entry.author_id)]
    article.sources = [ArticleSource(name=source.name, url=source.url) for source in entry.sources.all()]
    with transaction.atomic():
        # A second click (or a retried request) waits here, then finds the first one's article.
        promoted_to_id = LiveEntry.objects.select_for_update().values_list("promoted_to", flat=True).get(pk=entry.pk)
        if promoted_to_id is not None:
            entry.promoted_to = ArticlePage.objects.get(pk=promoted_to_id)
            return entry.promoted_to
        coverage.get_parent().add_child(instance=article)
        article.save_revision(user=user, log_action=True)
        # An update, not a save: saving the entry would make the coverage's page stale for nothing.
        LiveEntry.objects.filter(pk=entry.pk).update(promoted_to=article)
    entry.promoted_to = article
    return article


def article_promoted_from(article: ArticlePage, request) -> dict | None:
    """The coverage and entry an article was made of, or None; kept with the article's version.

    {"title", "url", "corrections"}: the entry's correction notes
    ([{"published_at", "text"}], oldest first) go with the article, so that a
    reader of the article learns what the entry once said wrongly, as readers
    of the coverage do. The link is stored before the article first goes
    out, and publishing it bumps its tag, as a note on the entry does
    (live.signal_handlers); a renamed or moved coverage is a site change.
    """

    if article.pk is None:  # a preview of an article not saved yet
        return None

    def compute():
        entry = (
            LiveEntry.objects.filter(readable_by_anyone("coverage__"), promoted_to=article)
            .select_related("coverage")
            .order_by("pk")
            .first()
        )
        if entry is None:
            return {}  # kept too (None is what the fragment cache takes for "not kept")
        corrections = [
            {"published_at": correction.published_at, "text": correction.text} for correction in entry.corrections.all()
        ]
        url = f"{entry.coverage.get_url(request)}#entry-{entry.pk}"
        return {"title": entry.coverage.title, "url": url, "corrections": corrections}

    published = article.last_published_at.timestamp() if article.last_published_at else None
    found = kept(
        "promoted-from",
        vary=[article.pk, article.live_revision_id, published],
        tags=[SITE, article_tag(article.pk)],
        compute=compute,
    )
    return found or None
