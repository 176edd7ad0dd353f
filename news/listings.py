"""Lists of articles for the home, section, tag, author and desk pages.

Each function runs a fixed number of queries whatever the size of the archive.
"""

from django.core.paginator import Paginator

from news.models import ArticlePage, SectionPage

PAGE_SIZE = 20
SECTION_BLOCK_SIZE = 4
# How many of the newest articles the home page looks through to fill its section blocks.
RECENT_WINDOW = 200


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page of `queryset`; a bad or out-of-range number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def section_blocks(home, *, window=RECENT_WINDOW):
    """[(section, [articles])] for each top-level section in the menu, in menu order.

    The newest `window` articles of the whole site usually fill every block;
    only a section too quiet to appear among them costs a query of its own.
    Either way the cost does not grow with the archive: every query reads a
    bounded number of rows through the publication-date index.
    """
    sections = list(SectionPage.objects.child_of(home).live().in_menu().order_by("path"))
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
            picked[section.path] = list(
                articles.descendant_of(section).values_list("pk", flat=True)[:SECTION_BLOCK_SIZE]
            )
    wanted = [pk for pks in picked.values() for pk in pks]
    by_pk = ArticlePage.objects.filter(pk__in=wanted).for_listing().in_bulk()
    return [
        (section, [by_pk[pk] for pk in picked[section.path] if pk in by_pk])
        for section in sections
        if picked[section.path]
    ]
