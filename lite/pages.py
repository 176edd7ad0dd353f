"""What a lite page shows of each page type in the tree, beside the page's own fields.

An article or an about page shows what its full page shows, so its context is
the page's own (`get_context`): comments, corrections and whatever other apps
add there come with it. Listings are plain lists of links, so the home and
section pages get theirs here rather than the rendered cards of their full pages.
"""

from wagtail.coreutils import camelcase_to_underscore
from wagtail.models import Page

from live.models import LiveCoveragePage
from news import listings
from news.models import ArticlePage, HomePage, SectionPage

# A lite listing is titles and dates: the newest on the home page, then each section's.
HOME_LATEST = 10
# A coverage's entries a lite page shows (some 600 bytes each): a long one is split across pages.
COVERAGE_ENTRIES = 20


def articles_in_order(pks) -> list[ArticlePage]:
    """The published articles among `pks`, in that order, without their bodies."""
    found = ArticlePage.objects.published().filter(pk__in=pks).defer("body").in_bulk()
    return [found[pk] for pk in pks if pk in found]


def with_listed(articles: list, listed: list[listings.ListedPage]) -> list[Page]:
    """`articles` and the pages of other types `listed` among them (a live coverage), newest first.

    Each listed page carries its place's date and its label («مباشر») for the
    text-only list (`lite_date`, `lite_label`).
    """
    found = Page.objects.filter(pk__in=[item.pk for item in listed]).specific().in_bulk()
    pages = []
    for item in listed:
        if item.pk in found:
            page = found[item.pk]
            page.lite_date, page.lite_label = item.listed_at, item.label
            pages.append(page)
    return sorted(
        [*articles, *pages], key=lambda page: getattr(page, "lite_date", None) or page.first_published_at, reverse=True
    )


def home_context(page: HomePage, request) -> dict:
    articles = ArticlePage.objects.published().descendant_of(page).order_by("-first_published_at")
    newest = list(articles.values_list("pk", flat=True)[: HOME_LATEST + 1])
    lead_pk = page.lead_article_id if page.lead_article_id else next(iter(newest), None)
    blocks = listings.section_blocks(page)
    shown = articles_in_order(
        [pk for pk in (lead_pk, *newest) if pk] + [row["pk"] for _section, rows in blocks for row in rows]
    )
    by_pk = {article.pk: article for article in shown}
    lead = by_pk.get(lead_pk) or next((by_pk[pk] for pk in newest if pk in by_pk), None)
    listed = listings.listed_pages(page, limit=HOME_LATEST)
    leading = listings.home_lead(page)  # an open live coverage set to lead, as on the full page
    if leading is not None:
        lead = next(iter(with_listed([], [leading])), lead)
        listed = [item for item in listed if item.pk != leading.pk]
    return {
        "lead": lead,
        "latest": with_listed([by_pk[pk] for pk in newest if pk in by_pk and by_pk[pk] != lead], listed)[:HOME_LATEST],
        "section_blocks": [
            (section, [by_pk[row["pk"]] for row in rows if row["pk"] in by_pk]) for section, rows in blocks
        ],
    }


def section_context(page: SectionPage, request) -> dict:
    articles = ArticlePage.objects.published().in_section(page).defer("body")
    page_obj = listings.paginate(request, articles, count=listings.section_article_count(page))
    return {
        "breadcrumbs": list(page.get_ancestors()[1:]),
        "subsections": SectionPage.objects.child_of(page).published().order_by("path"),
        "page_obj": page_obj,
        "listed": with_listed(list(page_obj.object_list), listings.listed_on_page(page_obj, articles, page)),
    }


def coverage_context(page: LiveCoveragePage, request) -> dict:
    """The coverage's own context, its entries a page at a time; a key event links to the page that shows it."""
    context = page.get_context(request)
    entries = context["entries"]
    context["page_obj"] = listings.paginate(request, entries, per_page=COVERAGE_ENTRIES)
    place = {entry.pk: index for index, entry in enumerate(entries)}
    context["key_event_links"] = [
        (entry, f"?page={place[entry.pk] // COVERAGE_ENTRIES + 1}#entry-{entry.pk}")
        for entry in context["key_events"]
        if entry.pk in place
    ]
    return context


# Page types whose full context is made for cards and blocks a lite page does not show, or is too long.
LITE_CONTEXTS = {HomePage: home_context, SectionPage: section_context, LiveCoveragePage: coverage_context}


def page_context(page: Page, request) -> dict:
    own = LITE_CONTEXTS.get(type(page))
    if own is None:
        return page.get_context(request)
    return {**Page.get_context(page, request), **own(page, request)}


def page_templates(page: Page) -> list[str]:
    """The page's lite template: its `lite_template`, else named after its model; else a link to the full page."""
    model = type(page)
    named = getattr(page, "lite_template", None) or (
        f"lite/{model._meta.app_label}/{camelcase_to_underscore(model.__name__)}.html"
    )
    return [named, "lite/page.html"]
