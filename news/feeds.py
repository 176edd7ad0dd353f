"""RSS 2.0 and Atom feeds of articles: the whole site, a section, a tag, an author, a desk.

Dates carry time zones (RFC 822 in RSS, RFC 3339 in Atom), the GUID is the
article's short link so it survives a renamed slug or a moved article, the
updated date is the honest one, and no email address appears anywhere.
"""

import mimetypes

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.models import Tag

from news.listings import LISTING_ROWS_SECONDS
from news.models import ArticlePage, Author, Desk, SectionPage
from news.structured_data import absolute_url
from news.syndication import AtomFeed, SafeFeed, syndicated_pages
from pagecache.fragments import kept, kept_many
from pagecache.store import CONTENT, SITE

FEED_SIZE = 50


class ArticleFeed(SafeFeed):
    kind = "site"

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj):
        return settings.WAGTAIL_SITE_NAME if obj is None else f"{obj} | {settings.WAGTAIL_SITE_NAME}"

    def link(self, obj):
        return "/" if obj is None else self.page_url(obj)

    def page_url(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return _("آخر الأخبار من %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}

    def descriptions_are_html(self):
        return settings.NASHIR_FEED_FULL_CONTENT

    def articles(self, obj):
        """The feed's articles, newest first."""
        return ArticlePage.objects.published().order_by("-first_published_at")

    def items(self, obj):
        """What the feed says of each of its newest articles (and other pages), kept as the home page's rows are.

        Under the content's tag, which is what makes the whole feed stale too,
        and at most `LISTING_ROWS_SECONDS`: a live coverage's item changes with
        its entries, and only some of them move it in the lists.
        """
        # The object's model and key: a section, a tag, an author and a desk may share a number.
        about = [obj._meta.label_lower, obj.pk] if obj is not None else []
        vary = [self.kind, *about, settings.NASHIR_FEED_FULL_CONTENT]
        return kept(
            "feed-items",
            vary=vary,
            tags=[SITE, CONTENT],
            compute=lambda: self.items_described(obj),
            seconds=LISTING_ROWS_SECONDS,
        )

    def items_described(self, obj):
        """What the feed says of each article, kept per publication (pagecache.fragments).

        Every publication makes each feed render again; only the new or
        changed articles are loaded and described, in one query.
        """
        rows = list(self.articles(obj).values(*ITEM_VERSION)[:FEED_SIZE])
        full = settings.NASHIR_FEED_FULL_CONTENT
        varies = [[*(row[name] for name in ITEM_VERSION), full] for row in rows]

        def describe(indexes):
            wanted = [rows[index]["pk"] for index in indexes]
            articles = ArticlePage.objects.filter(pk__in=wanted).for_listing()
            if full:
                articles = articles.defer(None)  # the listing leaves the body out; the full feed needs it
            by_pk = articles.in_bulk()
            return [_described(by_pk[pk]) if pk in by_pk else None for pk in wanted]

        items = [item for item in kept_many("feed-item", varies=varies, tags=[SITE], compute=describe) if item]
        others = [
            syndicated.feed_item(page)
            for syndicated in syndicated_pages()
            if (pages := self.syndicated(syndicated.pages(), obj)) is not None
            for page in pages.order_by("-first_published_at")[:FEED_SIZE]
        ]
        if others:  # other apps' pages (a live coverage) take their place by their first publication
            items = sorted([*items, *others], key=lambda item: item["published"], reverse=True)[:FEED_SIZE]
        return items

    def syndicated(self, pages, obj):
        """Which of another app's public `pages` this feed lists beside its articles (None: none).

        The site's feed lists them all; a section's feed those below it.
        """
        return pages if obj is None else None

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item["description"]

    def item_link(self, item):
        return item["link"]

    def item_guid(self, item):
        return item["guid"]

    def item_pubdate(self, item):
        return item["published"]

    def item_updateddate(self, item):
        return item["updated"]

    def item_author_name(self, item):
        return item["author"]

    def item_enclosure_url(self, item):
        return item["enclosure"] and item["enclosure"]["url"]

    def item_enclosure_length(self, item):
        return item["enclosure"] and item["enclosure"]["length"]

    def item_enclosure_mime_type(self, item):
        return item["enclosure"] and item["enclosure"]["mime_type"]


# What tells whether an article's feed item is still the one kept: a new publication, an update noted.
ITEM_VERSION = ("pk", "live_revision_id", "last_published_at", "updated_at")


def _described(article) -> dict:
    """An article as a feed shows it: plain values, so it can be kept."""
    if settings.NASHIR_FEED_FULL_CONTENT:
        description = f"<p>{escape(article.standfirst)}</p>" + "".join(
            # A feed reader runs no script of the site's: an embed is a link to the provider there.
            str(block.render(context={"in_feed": True}))
            for block in article.body
        )
    else:
        description = article.standfirst
    names = [author.name for author in article.authors] + ([article.desk.name] if article.desk else [])
    return {
        "title": article.title,
        "description": description,
        "link": article.url,
        "guid": settings.SITE_URL + reverse("news:short_link", args=[article.pk]),
        "published": article.first_published_at,
        "updated": article.updated_at or article.first_published_at,
        "author": "، ".join(names) or None,
        "enclosure": enclosure(article.featured_image),
    }


def enclosure(image) -> dict | None:
    """A feed item's picture, or None."""
    if image is None:
        return None
    rendition = image.get_rendition("fill-1200x675")
    return {
        # A path on this site, or a URL of the S3 store or its CDN.
        "url": absolute_url(rendition.url),
        # A request to the S3 store when renditions are there, once an item: items() keeps what it describes.
        "length": rendition.file.size,
        "mime_type": mimetypes.guess_type(rendition.file.name)[0],
    }


class SectionFeed(ArticleFeed):
    def get_object(self, request, pk):
        return get_object_or_404(SectionPage.objects.published(), pk=pk)

    def page_url(self, section):
        return section.url

    def articles(self, section):
        return ArticlePage.objects.published().in_section(section)

    def syndicated(self, pages, section):
        return pages.descendant_of(section)


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def page_url(self, tag):
        return reverse("news:tag", args=[tag.slug])

    def articles(self, tag):
        return ArticlePage.objects.published().filter(tags=tag).order_by("-first_published_at")


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def articles(self, author):
        return ArticlePage.objects.published().filter(bylines__author=author).order_by("-first_published_at")


class DeskFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Desk, slug=slug)

    def articles(self, desk):
        return ArticlePage.objects.published().filter(desk=desk).order_by("-first_published_at")


def atom(feed_class):
    """The Atom twin of an RSS feed class."""
    return type(
        f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": AtomFeed, "subtitle": feed_class.description}
    )
