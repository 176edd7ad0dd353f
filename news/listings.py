"""Lists of articles for the home, section, tag, author and desk pages.

Each function runs a fixed number of queries whatever the size of the archive.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.paginator import Paginator
from django.db import transaction
from wagtail import hooks

from bounds.limits import MAX_ROW_ID, whole_number
from news.models import ArticlePage, SectionArticle, SectionPage
from pagecache.fragments import kept
from pagecache.store import CONTENT, SITE

PAGE_SIZE = 20
SECTION_BLOCK_SIZE = 4
# How many of the newest articles the home page looks through to fill its section blocks.
RECENT_WINDOW = 200
# How many of the newest pages of other types (live coverages) the home page looks at for its lists.
HOME_LISTED_PAGES = 20
# How long the rows of the home and section pages are kept at most (`home_rows`, `section_cards`):
# how late a comment count on their cards may be.
LISTING_ROWS_SECONDS = 60


def paginate(request, queryset, per_page=PAGE_SIZE, *, count=None):
    """The requested page of `queryset`; a bad or out-of-range number gives the nearest page.

    `count`, when given, is how many items `queryset` holds, found more
    cheaply than by counting it.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    return paginator.get_page(request.GET.get("page"))


@dataclass(frozen=True)
class ListedPage:
    """A page of another type listed among the articles (a live coverage), as an app above contributes it.

    `listed_at` places it among the articles, which are ordered by their
    first publication; `card(request=, **options)` renders its card with the
    options of the list it is in (`news.cards.DEFAULT_OPTIONS`).
    """

    pk: int
    path: str
    listed_at: datetime
    card: Callable[..., str]
    label: str = ""  # said before its title where a list is text alone (the lite edition): «مباشر»


def listed_pages(under, *, since=None, until=None, limit: int) -> list[ListedPage]:
    """Pages of other types to list among the articles under `under` (the home page or a section), newest first.

    Wagtail hook `listed_with_articles`: fn(under, since=, until=, limit=)
    returning at most `limit` `ListedPage`s below `under` that anyone may
    read, with `since < listed_at <= until` (None: no bound), in one query
    whatever their number.
    """
    pages = []
    for contribute in hooks.get_hooks("listed_with_articles"):
        pages += contribute(under, since=since, until=until, limit=limit)
    return sorted(pages, key=listed_at, reverse=True)[:limit]


def home_lead(home) -> ListedPage | None:
    """A page of another type that leads the home page in place of its lead article (an open live coverage), or None.

    Wagtail hook `home_lead`: fn(home) returning a `ListedPage` anyone may
    read below `home`, or None; the first answer wins.
    """
    for lead in hooks.get_hooks("home_lead"):
        found = lead(home)
        if found is not None:
            return found
    return None


def home_rows(home, request):
    """(lead, latest, blocks): the home page's lead, its latest stories and its sections' blocks, as rows.

    Rows, not cards (`news.cards` renders them, each kept on its own): card
    rows of articles and `ListedPage`s, `blocks` as `section_blocks` gives
    them. Kept until anything is published or withdrawn (the content's tag),
    at most `LISTING_ROWS_SECONDS`: the comment counts in the rows (the cards show
    them) change without that tag, and so refresh within that time.
    """

    def compute():
        articles = ArticlePage.objects.published().descendant_of(home)
        newest = list(articles.order_by("-first_published_at").card_rows()[:11])
        # An open live coverage an editor set to lead takes the lead article's place while it is open.
        leading = home_lead(home)
        if leading is not None:
            lead, latest = leading, newest[:10]
        else:
            chosen = articles.filter(pk=home.lead_article_id).card_rows() if home.lead_article_id else []
            lead = next(iter(chosen), None) or next(iter(newest), None)
            latest = [row for row in newest if row["pk"] != (lead and lead["pk"])][:10]
        # Other page types among the latest stories and in their sections' blocks (live coverages),
        # by when they were last news: one query for both.
        listed = listed_pages(home, limit=HOME_LISTED_PAGES)
        others = [page for page in listed if page.pk != (leading and leading.pk)]
        latest = with_listed_pages(latest, others)[:10]
        return lead, latest, section_blocks(home, listed=listed)

    if getattr(request, "is_preview", False):
        return compute()  # an editor's draft may choose another lead article
    vary = [home.pk, home.lead_article_id]
    return kept("home-rows", vary=vary, tags=[SITE, CONTENT], compute=compute, seconds=LISTING_ROWS_SECONDS)


def listed_at(item) -> datetime:
    """When an article (a card row or a page, ordered by first publication) or a `ListedPage` takes its place."""
    if isinstance(item, dict):
        return item["first_published_at"]
    return item.listed_at if isinstance(item, ListedPage) else item.first_published_at


def listed_on_page(page_obj, articles, under) -> list[ListedPage]:
    """The pages of other types that go on `page_obj`, a page of `articles` (ordered, newest first), below `under`.

    Each page of the list takes those between its oldest article and the one
    before it, so a page may hold a few more than its articles.
    """
    rows = list(page_obj.object_list)
    since = listed_at(rows[-1]) if rows and page_obj.has_next() else None
    until = None
    if page_obj.has_previous():
        start = page_obj.start_index() - 1
        until = articles.values_list("first_published_at", flat=True)[start - 1]
    return listed_pages(under, since=since, until=until, limit=PAGE_SIZE)


# Where a page made live in code without being published (no first publication date) sorts: last.
NEVER = datetime.min.replace(tzinfo=UTC)


def with_listed_pages(rows, pages) -> list:
    """Card rows and listed pages in one list, newest first."""
    return sorted([*rows, *pages], key=lambda item: listed_at(item) or NEVER, reverse=True)


def paginated_cards(request, articles, *, count=None, under=None):
    """The requested page of `articles` (a queryset of `ArticlePage`, ordered) and the cards of its articles.

    The page holds card rows: only the articles whose card is not kept are loaded (news.cards).
    With `under` (a section), the pages of other types listed below it come
    in by date: each page of the list takes those between its oldest article
    and the one before it, so a page may hold a few more than `PAGE_SIZE` cards.
    """
    from news import cards

    page_obj = paginate(request, articles.card_rows(), count=count)
    rows = list(page_obj.object_list)
    if under is not None:
        rows = with_listed_pages(rows, listed_on_page(page_obj, articles, under))
    return page_obj, cards.cards(rows, request=request, heading_tag="h2", show_standfirst=True)


def section_cards(request, section):
    """`paginated_cards` for a section's page, its rows kept like the home page's (`home_rows`).

    The page returned numbers the list and holds its rows; the rows come from
    the database only when none are kept for the page's number, so a kept page
    of a section costs no query of its articles.
    """
    from news import cards

    number = whole_number(request.GET.get("page", ""), minimum=1, maximum=MAX_ROW_ID) or 1

    def compute():
        articles = ArticlePage.objects.published().in_section(section)
        paginator = Paginator(articles.card_rows(), PAGE_SIZE)
        known = section_article_count(section)
        if known is not None:
            paginator.count = known  # a cached_property: set, it is never computed
        page_obj = paginator.get_page(number)
        rows = with_listed_pages(list(page_obj.object_list), listed_on_page(page_obj, articles, section))
        return page_obj.number, paginator.count, rows

    shown, count, rows = kept(
        "section-rows", vary=[section.pk, number], tags=[SITE, CONTENT], compute=compute, seconds=LISTING_ROWS_SECONDS
    )
    page_obj = Paginator(range(count), PAGE_SIZE).page(shown)
    page_obj.object_list = rows
    return page_obj, cards.cards(rows, request=request, heading_tag="h2", show_standfirst=True)


def section_article_count(section) -> int | None:
    """How many published articles `section` lists, from its rows in `SectionArticle` (an index-only count).

    Counting the listing itself joins each row to its page to check that it
    is live: 600 ms for a section of 100,000 articles. None when some page is
    restricted: the listing leaves restricted articles out and the rows do not.
    """
    from pagecache.memo import any_view_restriction

    if any_view_restriction():
        return None
    return SectionArticle.objects.filter(section=section).count()


def section_blocks(home, *, window=RECENT_WINDOW, listed=()):
    """[(section, [card rows])] for each top-level section in the menu, in menu order (news.cards renders them).

    The newest `window` articles of the whole site usually fill every block;
    only a section too quiet to appear among them costs a query of its own.
    Either way the cost does not grow with the archive: every query reads a
    bounded number of rows through a publication-date index (the site's, or
    the section's in `SectionArticle`). `listed` (`ListedPage`s under the
    home page) join the blocks of their sections by date.
    """
    sections = SectionPage.in_menu_under(home)
    if not sections:
        return []
    prefix_length = len(sections[0].path)
    articles = ArticlePage.objects.published().descendant_of(home).order_by("-first_published_at")
    picked = {section.path: [] for section in sections}
    for pk, path in articles.values_list("pk", "path")[:window]:
        bucket = picked.get(path[:prefix_length])
        if bucket is not None and len(bucket) < SECTION_BLOCK_SIZE:
            bucket.append(pk)
    for section in sections:
        if len(picked[section.path]) < SECTION_BLOCK_SIZE:
            newest = ArticlePage.objects.published().in_section(section)
            picked[section.path] = list(newest.values_list("pk", flat=True)[:SECTION_BLOCK_SIZE])
    wanted = [pk for pks in picked.values() for pk in pks]
    by_pk = {row["pk"]: row for row in ArticlePage.objects.filter(pk__in=wanted).card_rows()}
    blocks = []
    for section in sections:
        rows = [by_pk[pk] for pk in picked[section.path] if pk in by_pk]
        below = [page for page in listed if page.path.startswith(section.path)]
        rows = with_listed_pages(rows, below)[:SECTION_BLOCK_SIZE]
        if rows:
            blocks.append((section, rows))
    return blocks


def section_entries_sync(articles):
    """Rewrite the `SectionArticle` rows of `articles` (a queryset) from their place in the tree.

    A live article gets a row for each section above it, from its own up to
    the top-level one; an unpublished one has none, so a section's rows count
    its published articles (Wagtail saves each page it unpublishes, which
    calls this).
    """
    sections = dict(SectionPage.objects.values_list("path", "pk"))
    step = ArticlePage.steplen
    rows = list(articles.order_by().values_list("pk", "path", "first_published_at", "live"))
    for batch in (rows[start : start + 1000] for start in range(0, len(rows), 1000)):
        entries = [
            SectionArticle(article_id=pk, section_id=sections[path[:end]], first_published_at=published)
            for pk, path, published, live in batch
            if live and published is not None
            for end in range(step, len(path), step)
            if path[:end] in sections
        ]
        with transaction.atomic():
            SectionArticle.objects.filter(article_id__in=[pk for pk, *_ in batch]).delete()
            SectionArticle.objects.bulk_create(entries)


def article_listing_paths(article) -> list[str]:
    """The addresses of the pages that list this article, and of its other editions, for a CDN to drop."""
    from django.urls import reverse

    paths = ["/", reverse("news:feed"), reverse("news:feed_atom"), reverse("news_sitemap"), "/sitemap.xml"]
    for section in article.get_ancestors().specific().type(SectionPage):
        paths += [section.get_url(), reverse("news:section_feed", args=[section.pk])]
        paths.append(reverse("news:section_feed_atom", args=[section.pk]))
    for tag in article.tags.all():
        paths += [reverse("news:tag", args=[tag.slug]), reverse("news:tag_feed", args=[tag.slug])]
    for byline in article.bylines.select_related("author"):
        paths += [byline.author.get_absolute_url(), reverse("news:author_feed", args=[byline.author.slug])]
    if article.desk_id:
        paths += [reverse("news:desk", args=[article.desk.slug]), reverse("news:desk_feed", args=[article.desk.slug])]
    # Other apps' pages that list it too, and other editions of these pages: Wagtail hook
    # `article_listing_paths`, fn(article, paths so far) returning more paths, in app order.
    for more_paths in hooks.get_hooks("article_listing_paths"):
        paths += more_paths(article, [article.url, *paths])
    return [path for path in paths if path]
