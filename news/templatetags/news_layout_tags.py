"""What stands beside the main column: the home page's opinion column, an article's or a listing's aside.

Inclusion-style tags, so the pages' own context stays small: each block reads
its rows through indexes with a limit and is kept rendered until an article
is published or withdrawn (the content tag) or anything site-wide changes.
"""

from django import template
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from news import cards
from news.models import ArticleAuthor, ArticlePage, SectionPage
from pagecache.fragments import fragment
from pagecache.store import CONTENT, SITE

register = template.Library()

OPINION_SIZE = 4
SECTION_LATEST_SIZE = 5


@register.simple_tag(takes_context=True)
def opinion_block(context, home):
    """The newest pieces of the home page's opinion section, each under its writer's photo and name; "" if none."""
    section_id = getattr(home, "opinion_section_id", None)
    if not section_id:
        return ""
    request = context.get("request")

    def render():
        section = SectionPage.objects.live().public().filter(pk=section_id).first()
        if section is None:
            return ""
        articles = list(
            ArticlePage.objects.published()
            .in_section(section)
            .defer("body")
            .prefetch_related(Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author__photo")))[
                :OPINION_SIZE
            ]
        )
        if not articles:
            return ""
        return render_to_string(
            "news/_opinion_block.html", {"section": section, "articles": articles, "request": request}
        )

    return fragment("opinion", vary=[section_id], tags=[SITE, CONTENT], render=render)


@register.simple_tag(takes_context=True)
def section_latest(context, section, *, exclude=None, tags=None):
    """The newest cards of `section`, as a compact list under the section's name; "" if none.

    Beside an article (`exclude`, with its `tags`), neither the article nor its
    related stories, which the aside already lists.
    """
    if section is None or not section.pk:
        return ""
    request = context.get("request")
    exclude_pk = getattr(exclude, "pk", None)

    def related_pks():
        if exclude is None or not hasattr(exclude, "related_articles"):
            return []
        return [article.pk for article in exclude.related_articles(tags=tags or [], section=section)]

    def render():
        rows = list(
            ArticlePage.objects.published()
            .in_section(section)
            .exclude(pk__in=[exclude_pk, *related_pks()])
            .card_rows()[:SECTION_LATEST_SIZE]
        )
        if not rows:
            return ""
        section_cards = cards.cards(rows, request=request, hide_byline=True, compact=True)
        return render_to_string(
            "news/_section_latest.html", {"section": section, "cards": section_cards, "request": request}
        )

    if getattr(request, "is_preview", False):
        return mark_safe(render())  # noqa: S308 - a draft's tags may differ from the published ones: not kept
    return fragment("section-latest", vary=[section.pk, exclude_pk], tags=[SITE, CONTENT], render=render)
