"""Creating sections and articles from code: the demo loader and importers use these."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page

from arabic.text import slugify
from news.models import AboutPage, ArticleAuthor, ArticlePage, ArticleSource, Author, Desk, SectionPage, SourceKind
from news.signals import articles_imported

# Outlets of the sample corpus, by the name the corpus uses.
KNOWN_OUTLETS = {
    "Sky News Arabia": ("سكاي نيوز عربية", SourceKind.BROADCASTER),
    "AlArabiya": ("العربية", SourceKind.BROADCASTER),
    "BBC Arabic": ("بي بي سي عربي", SourceKind.BROADCASTER),
    "France 24 Arabic": ("فرانس 24", SourceKind.BROADCASTER),
    "CNN Arabic": ("سي إن إن بالعربية", SourceKind.BROADCASTER),
}
STANDFIRST_LIMIT = 300


class ArticleDataError(ValueError):
    """A record that cannot become an article; the message says why."""


@dataclass
class ArticleData:
    """One article to create or update, whatever it was read from."""

    external_id: str
    title: str
    standfirst: str
    body: list
    first_published_at: datetime
    section_path: list[str]
    desk: str = ""
    authors: list = field(default_factory=list)  # names, or Author objects
    sources: list[dict] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    view_count: int = 0
    slug: str = ""
    # Imports may bring drafts and scheduled stories: not live, to go live at `go_live_at` if set.
    live: bool = True
    go_live_at: datetime | None = None
    featured_image: object = None  # a Wagtail image; None leaves the article's as it is
    featured_image_caption: str = ""  # empty leaves the article's as it is
    # Search-engine title and description, when the source has its own (e.g. Yoast's).
    seo_title: str = ""
    search_description: str = ""


def planner_statistics_refresh() -> None:
    """After a bulk load, let PostgreSQL's planner see the rows just written.

    Autovacuum analyzes new tables only after a delay; until then the planner
    takes a freshly loaded archive for an empty one and picks plans that made the
    home page slower than WordPress's. Outside a transaction it vacuums too, so
    that index-only scans can skip the tables just written (the visibility map)
    from the first reader on rather than once autovacuum gets to them.
    SQLite keeps no such statistics unless asked, and its plans were measured
    without them, so it is left alone.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def section_get_or_create(*, parent: Page, title: str) -> SectionPage:
    """The live section called `title` under `parent`, created (in the menu) if missing."""
    # Ordered by path, so the lookup walks the tree index, not the whole page table (first() orders by pk).
    section = SectionPage.objects.child_of(parent).filter(title=title).order_by("path").first()
    if section is None:
        section = SectionPage(title=title, slug=slugify(title) or "section", show_in_menus=parent.depth == 2)
        parent.add_child(instance=section)
    return section


def section_path_get_or_create(*, home: Page, titles: list[str]) -> SectionPage:
    parent = home
    for title in titles:
        parent = section_get_or_create(parent=parent, title=title)
    return parent


def page_slug_available(*, parent: Page, slug: str, exclude: Page | None = None) -> str:
    """`slug`, or `slug-2`, `slug-3`… whichever no other child of `parent` has."""
    siblings = parent.get_children().filter(slug__startswith=slug)
    if exclude is not None and exclude.pk:
        siblings = siblings.exclude(pk=exclude.pk)
    taken = set(siblings.values_list("slug", flat=True))
    candidate, suffix = slug, 2
    while candidate in taken:
        candidate, suffix = f"{slug}-{suffix}", suffix + 1
    return candidate


@transaction.atomic
def article_create_or_update(*, home: Page, data: ArticleData) -> tuple[ArticlePage, bool]:
    """Publish the article `data` describes, keyed by its external id.

    A second call with the same external id updates the article in place, so
    imports can be re-run. The publication dates are the record's, not today's.
    """
    section = section_path_get_or_create(home=home, titles=data.section_path)
    article = ArticlePage.objects.filter(external_id=data.external_id).first()
    created = article is None
    if created:
        article = ArticlePage(external_id=data.external_id)
    article.title = article.draft_title = data.title
    article.standfirst = data.standfirst
    article.body = data.body
    article.desk = Desk.objects.get_or_create(name=data.desk)[0] if data.desk else None
    article.view_count = max(article.view_count, data.view_count)
    if data.live:
        article.first_published_at = article.last_published_at = data.first_published_at
    article.live, article.has_unpublished_changes = data.live, not data.live
    article.go_live_at = data.go_live_at
    if data.featured_image is not None:
        article.featured_image = data.featured_image
    if data.featured_image_caption:
        article.featured_image_caption = data.featured_image_caption[:255]
    if data.seo_title:
        article.seo_title = data.seo_title[:255]
    if data.search_description:
        article.search_description = data.search_description
    article.bylines = [
        ArticleAuthor(author=author if isinstance(author, Author) else Author.objects.get_or_create(name=author)[0])
        for author in data.authors
    ]
    article.sources = [ArticleSource(**source) for source in data.sources]
    article.tags.set(data.tags)
    if created:
        article.slug = page_slug_available(parent=section, slug=data.slug or slugify(data.title) or "article")
        section.add_child(instance=article)
    else:
        if article.get_parent().pk != section.pk:
            article.move(section, pos="last-child")
            article.refresh_from_db(fields=["path", "depth", "url_path"])
        article.save()
    if not data.live:
        # Editors open drafts and scheduled stories from their latest revision.
        revision = article.save_revision(clean=False)
        if data.go_live_at:
            revision.approved_go_live_at = data.go_live_at
            revision.save(update_fields=["approved_go_live_at"])
    articles_imported.send(sender=ArticlePage, page_ids=[article.pk])
    return article, created


def about_page_publish(*, parent: Page, title: str, paragraphs: list[str]) -> AboutPage:
    """Publish the about page called `title` under `parent`, creating it or replacing its text."""
    page = AboutPage.objects.child_of(parent).filter(title=title).first()
    body = [{"type": "paragraph", "value": _paragraph_html(text)} for text in paragraphs]
    if page is None:
        page = AboutPage(
            title=title, slug=page_slug_available(parent=parent, slug=slugify(title) or "about"), body=body
        )
        parent.add_child(instance=page)
    else:
        page.body = body
    page.last_reviewed = timezone.localdate()
    page.save_revision().publish()
    return page


def standfirst_from(paragraphs: list[str]) -> str:
    """The first sentence of the first paragraph, cut at a word if it is long."""
    first = paragraphs[0]
    for stop in (". ", "؟ ", "! "):
        if stop in first:
            first = first.split(stop, 1)[0] + stop.strip()
            break
    if len(first) > STANDFIRST_LIMIT:
        first = first[:STANDFIRST_LIMIT].rsplit(" ", 1)[0] + "…"
    return first


def _paragraph_html(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def article_data_from_corpus_record(record: dict) -> ArticleData:
    """An `ArticleData` from one line of the news corpus (see ../shared/data/README.md)."""
    if not isinstance(record, dict):
        raise ArticleDataError("expected a JSON object")
    missing = [key for key in ("id", "title", "body", "date") if not str(record.get(key) or "").strip()]
    if missing:
        raise ArticleDataError(f"missing or empty field(s): {', '.join(missing)}")
    section = str(record.get("category_ar") or record.get("category") or "").strip()
    if not section:
        raise ArticleDataError("missing field: category_ar (or category)")
    try:
        published = datetime.fromisoformat(str(record["date"]))
    except ValueError:
        raise ArticleDataError(f"date is not ISO 8601: {record['date']!r}") from None
    if timezone.is_naive(published):
        raise ArticleDataError(f"date has no time zone: {record['date']!r}")
    paragraphs = [line.strip() for line in str(record["body"]).splitlines() if line.strip()]
    sources = []
    if record.get("source"):
        name, kind = KNOWN_OUTLETS.get(record["source"], (record["source"], SourceKind.NEWSPAPER))
        sources.append({"name": name, "url": str(record.get("url") or ""), "kind": kind})
    return ArticleData(
        external_id=str(record["id"]),
        title=str(record["title"]).strip(),
        standfirst=standfirst_from(paragraphs),
        body=[{"type": "paragraph", "value": _paragraph_html(text)} for text in paragraphs],
        first_published_at=published,
        section_path=[section],
        desk=str(record.get("desk") or "قسم الأخبار"),
        sources=sources,
    )


def corpus_records_read(path: Path, *, limit: int | None = None) -> list[ArticleData]:
    """Every record of a JSONL file, checked before anything is written.

    Raises `ArticleDataError` naming the first bad line.
    """
    articles = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if limit is not None and len(articles) >= limit:
                break
            if not line.strip():
                continue
            try:
                articles.append(article_data_from_corpus_record(json.loads(line)))
            except json.JSONDecodeError as error:
                raise ArticleDataError(f"line {number}: not valid JSON ({error.msg})") from None
            except ArticleDataError as error:
                raise ArticleDataError(f"line {number}: {error}") from None
    return articles


def article_data_from_seed(path: Path) -> ArticleData:
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    return ArticleData(
        external_id=record["external_id"],
        title=record["title"],
        standfirst=record["standfirst"],
        body=record["body"],
        first_published_at=datetime.fromisoformat(record["first_published_at"]),
        section_path=record["section"],
        desk=record.get("desk", ""),
        authors=record.get("authors", []),
        sources=record.get("sources", []),
        tags=record.get("tags", []),
        view_count=record.get("view_count", 0),
    )
