"""RSS 2.0 and Atom feeds of articles: the whole site, a section, a tag, an author, a desk.

Dates carry time zones (RFC 822 in RSS, RFC 3339 in Atom), the GUID is the
article's short link so it survives a renamed slug or a moved article, the
updated date is the honest one, and no email address appears anywhere.
"""

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.models import Tag

from news.models import ArticlePage, Author, Desk, SectionPage

FEED_SIZE = 50


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed
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

    def articles(self, obj):
        """The feed's articles, newest first."""
        return ArticlePage.objects.published().order_by("-first_published_at")

    def items(self, obj):
        articles = self.articles(obj).for_listing()
        if settings.NASHIR_FEED_FULL_CONTENT:
            articles = articles.defer(None)  # the listing leaves the body out; the full feed needs it
        return articles[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        if settings.NASHIR_FEED_FULL_CONTENT:
            return f"<p>{escape(article.standfirst)}</p>" + "".join(str(block.render()) for block in article.body)
        return article.standfirst

    def item_link(self, article):
        return article.url

    def item_guid(self, article):
        return settings.SITE_URL + reverse("news:short_link", args=[article.pk])

    def item_pubdate(self, article):
        return article.first_published_at

    def item_updateddate(self, article):
        return article.updated_at or article.first_published_at

    def item_author_name(self, article):
        names = [author.name for author in article.authors]
        if article.desk:
            names.append(article.desk.name)
        return "، ".join(names) or None

    def _enclosure(self, article):
        return article.featured_image.get_rendition("fill-1200x675") if article.featured_image else None

    def item_enclosure_url(self, article):
        rendition = self._enclosure(article)
        return settings.SITE_URL + rendition.url if rendition else None

    def item_enclosure_length(self, article):
        rendition = self._enclosure(article)
        return rendition.file.size if rendition else None

    def item_enclosure_mime_type(self, article):
        rendition = self._enclosure(article)
        return mimetypes.guess_type(rendition.file.name)[0] if rendition else None


class SectionFeed(ArticleFeed):
    def get_object(self, request, pk):
        return get_object_or_404(SectionPage.objects.live(), pk=pk)

    def page_url(self, section):
        return section.url

    def articles(self, section):
        return ArticlePage.objects.published().in_section(section)


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
        f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed, "subtitle": feed_class.description}
    )
