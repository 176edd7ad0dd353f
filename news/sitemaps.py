"""Sitemaps: every section and article, with honest `lastmod`, and a Google News sitemap.

`lastmod` of an article is its last substantive update (or its publication),
never a re-save; a section's is that of its newest article.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone

from news.models import ArticlePage, HomePage, SectionPage
from news.syndication import syndicated_pages, xml_text

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    limit = 50_000

    def items(self):
        return ArticlePage.objects.published().defer("body").order_by("path")

    def location(self, article):
        return article.url

    def lastmod(self, article):
        return article.updated_at or article.first_published_at

    def get_latest_lastmod(self):
        # For the sitemap index: Django's default calls lastmod() on every article.
        newest = ArticlePage.objects.published().aggregate(Max("first_published_at"), Max("updated_at"))
        return max(filter(None, newest.values()), default=None)


class SectionSitemap(Sitemap):
    """The home page and every section; their `lastmod` is that of their newest article."""

    limit = 50_000

    def items(self):
        pages = [*HomePage.objects.published(), *SectionPage.objects.published().order_by("path")]
        articles = ArticlePage.objects.published()
        # One small indexed query per page: a newsroom has tens of sections.
        for page in pages:
            if isinstance(page, SectionPage):
                newest = articles.in_section(page).values_list("section_entries__first_published_at", flat=True)
            else:
                newest = articles.order_by("-first_published_at").values_list("first_published_at", flat=True)
            page.newest = newest.first()
        return pages

    def location(self, section):
        return section.url

    def lastmod(self, section):
        return section.newest or section.last_published_at


class SyndicatedSitemap(Sitemap):
    """Other apps' pages listed beside articles (`news.syndication.SyndicatedPages`): live coverages."""

    limit = 50_000

    def items(self):
        return [(syndicated, page) for syndicated in syndicated_pages() for page in syndicated.pages().order_by("path")]

    def location(self, item):
        return item[1].url

    def lastmod(self, item):
        syndicated, page = item
        return syndicated.lastmod(page)


SITEMAPS = {"sections": SectionSitemap, "articles": ArticleSitemap, "pages": SyndicatedSitemap}


def sitemap_index(request):
    """The sitemaps' index; other apps' pages are named only once there is one (an empty urlset is invalid)."""
    sitemaps = {name: sitemap for name, sitemap in SITEMAPS.items() if sitemap is not SyndicatedSitemap}
    if SyndicatedSitemap().items():
        sitemaps["pages"] = SyndicatedSitemap
    return sitemap_views.index(request, sitemaps, sitemap_url_name="sitemap")


def news_sitemap(request):
    """Google News: articles (and other apps' news pages, a live coverage) first published in the last 48 hours,
    at most 1,000."""
    since = timezone.now() - NEWS_WINDOW
    articles = (
        ArticlePage.objects.published()
        .filter(first_published_at__gte=since)
        .defer("body")
        .order_by("-first_published_at")[:NEWS_LIMIT]
    )
    pages = [
        *articles,
        *(
            page
            for syndicated in syndicated_pages()
            for page in syndicated.pages().filter(first_published_at__gte=since)[:NEWS_LIMIT]
        ),
    ]
    pages = sorted(pages, key=lambda page: page.first_published_at, reverse=True)[:NEWS_LIMIT]
    entries = [
        (page, timezone.localtime(page.first_published_at).isoformat(timespec="seconds"), xml_text(page.title))
        for page in pages
    ]
    context = {"entries": entries, "publication": xml_text(settings.WAGTAIL_SITE_NAME), "base_url": settings.SITE_URL}
    return render(request, "news/sitemap_news.xml", context, content_type="application/xml")
