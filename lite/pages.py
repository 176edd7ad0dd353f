"""What a lite page shows of each page type in the tree, beside the page's own fields.

An article or an about page shows what its full page shows, so its context is
the page's own (`get_context`): comments, corrections and whatever other apps
add there come with it. Listings are plain lists of links, so the home and
section pages get theirs here rather than the rendered cards of their full pages.
"""

from wagtail.coreutils import camelcase_to_underscore
from wagtail.models import Page

from news import listings
from news.models import ArticlePage, HomePage, SectionPage

# A lite listing is titles and dates: the newest on the home page, then each section's.
HOME_LATEST = 10


def articles_in_order(pks) -> list[ArticlePage]:
    """The published articles among `pks`, in that order, without their bodies."""
    found = ArticlePage.objects.published().filter(pk__in=pks).defer("body").in_bulk()
    return [found[pk] for pk in pks if pk in found]


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
    return {
        "lead": lead,
        "latest": [by_pk[pk] for pk in newest if pk in by_pk and by_pk[pk] != lead][:HOME_LATEST],
        "section_blocks": [
            (section, [by_pk[row["pk"]] for row in rows if row["pk"] in by_pk]) for section, rows in blocks
        ],
    }


def section_context(page: SectionPage, request) -> dict:
    articles = ArticlePage.objects.published().in_section(page).defer("body")
    return {
        "breadcrumbs": list(page.get_ancestors()[1:]),
        "subsections": SectionPage.objects.child_of(page).published().order_by("path"),
        "page_obj": listings.paginate(request, articles, count=listings.section_article_count(page)),
    }


# Page types whose full context is made for cards and blocks a lite page does not show.
LITE_CONTEXTS = {HomePage: home_context, SectionPage: section_context}


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
