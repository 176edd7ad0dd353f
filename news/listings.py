"""Lists of articles for the home, section, tag, author and desk pages.

Each function runs a fixed number of queries whatever the size of the archive.
"""

from django.core.paginator import Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr

from news.models import ArticlePage, SectionPage

PAGE_SIZE = 20
SECTION_BLOCK_SIZE = 4


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page of `queryset`; a bad or out-of-range number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def section_blocks(home):
    """[(section, [articles])] for each top-level section in the menu, in menu order.

    One query ranks every article within its top-level section (a window over
    the tree path prefix), so the home page costs the same with 6 sections or 60.
    """
    sections = list(SectionPage.objects.child_of(home).live().in_menu().order_by("path"))
    if not sections:
        return []
    prefix_length = len(sections[0].path)
    ranked = (
        ArticlePage.objects.published()
        .descendant_of(home)
        .for_listing()
        .annotate(
            section_path=Substr("path", 1, prefix_length),
            rank=Window(RowNumber(), partition_by=Substr("path", 1, prefix_length), order_by=F("first_published_at").desc()),
        )
        .filter(rank__lte=SECTION_BLOCK_SIZE)
        .order_by("-first_published_at")
    )
    by_section = {}
    for article in ranked:
        by_section.setdefault(article.section_path, []).append(article)
    return [(section, by_section[section.path]) for section in sections if section.path in by_section]
