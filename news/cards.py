"""Article cards, the unit every list of stories is made of, kept rendered between page renders.

Lists show many cards and change one at a time: after a story is published,
the home page renders one new card and reuses the others. A card changes with
a new publication of its article (title, image, bylines, address), a figure
another app shows on it (comments: their count) or anything site-wide (a renamed author or desk, a moved section:
the site's tag), so those are what it is kept under.
"""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from news.models import ArticlePage
from news.models.pages import card_annotations
from pagecache.fragments import kept_many
from pagecache.store import SITE

# compact: a card only ever shown as a thumbnail beside its title (asides), so its picture is asked for small.
DEFAULT_OPTIONS = {"lead": False, "heading_tag": "h3", "show_standfirst": False, "hide_byline": False, "compact": False}


def _vary(pk, live_revision_id, last_published_at, figures, options) -> list:
    published = last_published_at.timestamp() if last_published_at else None
    return [pk, live_revision_id, published, *figures, *options.values()]


def _render(article, request, options) -> str:
    return render_to_string("news/_article_card.html", {"article": article, "request": request, **options})


def card(article, *, request, **options) -> str:
    """The card of an article already loaded (for a list, `ArticlePageQuerySet.for_listing()`)."""
    options = {**DEFAULT_OPTIONS, **options}
    figures = [getattr(article, name, "") for name in card_annotations()]
    vary = _vary(article.pk, article.live_revision_id, article.last_published_at, figures, options)
    html = kept_many("card", varies=[vary], tags=[SITE], compute=lambda _: [_render(article, request, options)])[0]
    return mark_safe(html)  # noqa: S308 - rendered from the card template


def cards(rows, *, request, **options) -> list[str]:
    """The cards of `rows` (from `ArticlePageQuerySet.card_rows()`), in order."""
    return card_lists([(rows, options)], request=request)[0]


def card_lists(lists, *, request) -> list[list[str]]:
    """The cards of several lists of rows, each list [(rows, options)] with its own options.

    Only the articles whose card is not kept are loaded, in one query for all
    the lists. An article gone since `rows` were read (unpublished, deleted)
    has no card. A row may also be a page of another type listed among the
    articles (`news.listings.ListedPage`), which renders its own card.
    """
    lists = [(rows, {**DEFAULT_OPTIONS, **options}) for rows, options in lists]
    items = [(row, options) for rows, options in lists for row in rows if isinstance(row, dict)]
    names = list(card_annotations())
    varies = [
        _vary(row["pk"], row["live_revision_id"], row["last_published_at"], [row[name] for name in names], options)
        for row, options in items
    ]

    def render(indexes):
        wanted = [items[index] for index in indexes]
        pks = {row["pk"] for row, _options in wanted}
        articles = ArticlePage.objects.published().filter(pk__in=pks).for_listing().in_bulk()
        return [
            _render(articles[row["pk"]], request, options) if row["pk"] in articles else "" for row, options in wanted
        ]

    kept = iter(kept_many("card", varies=varies, tags=[SITE], compute=render))
    # Back into the lists they came in, without the empty cards of articles gone.
    rendered = [
        [next(kept) if isinstance(row, dict) else row.card(request=request, **options) for row in rows]
        for rows, options in lists
    ]
    return [[mark_safe(html) for html in htmls if html] for htmls in rendered]  # noqa: S308 - the card template's
