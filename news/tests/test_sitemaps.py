"""Sitemaps validated against the sitemaps.org schema, the Google News rules, and robots.txt."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.utils import timezone
from lxml import etree

from news.factories import ArticlePageFactory, SectionPageFactory
from news.models import ArticlePage

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "fixtures" / "sitemap.xsd")))
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def valid_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    document = etree.fromstring(response.content)
    SCHEMA.assertValid(document)
    return document


def test_sitemap_index_points_to_valid_sitemaps_with_honest_lastmod(client, seed_article):
    updated = ArticlePageFactory(updated_at=timezone.now() - timedelta(hours=1))
    index = valid_xml(client, "/sitemap.xml")
    locations = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS)]
    assert locations == ["http://testserver/sitemap-sections.xml", "http://testserver/sitemap-articles.xml"]
    # The articles' entry is as new as the newest publication or update, found without reading every article.
    newest = max(max(a.first_published_at, a.updated_at or a.first_published_at) for a in ArticlePage.objects.live())
    lastmods = {
        loc.text: loc.getparent().findtext("sm:lastmod", namespaces=NS)
        for loc in index.iterfind("sm:sitemap/sm:loc", NS)
    }
    assert lastmods["http://testserver/sitemap-articles.xml"][:10] == timezone.localtime(newest).date().isoformat()

    articles = valid_xml(client, "/sitemap-articles.xml")
    entries = {
        unquote(url.findtext("sm:loc", namespaces=NS)): url.findtext("sm:lastmod", namespaces=NS)
        for url in articles.iterfind("sm:url", NS)
    }
    assert entries[f"http://testserver{unquote(seed_article.url)}"] == "2020-05-18"
    assert (
        entries[f"http://testserver{unquote(updated.url)}"] == timezone.localtime(updated.updated_at).date().isoformat()
    )
    assert all(loc.isascii() for loc in (u.findtext("sm:loc", namespaces=NS) for u in articles.iterfind("sm:url", NS)))

    sections = valid_xml(client, "/sitemap-sections.xml")
    section_urls = [unquote(loc.text) for loc in sections.iterfind("sm:url/sm:loc", NS)]
    assert "http://testserver/" in section_urls
    assert "http://testserver/الشرق-الأوسط/سوريا/" in section_urls


def test_drafts_are_not_in_the_sitemap(client, home):
    live = ArticlePageFactory()
    draft = ArticlePageFactory(live=False)
    xml = unquote(client.get("/sitemap-articles.xml").content.decode())
    assert f"http://testserver{unquote(live.url)}<" in xml
    assert f"http://testserver{unquote(draft.url)}<" not in xml


def test_google_news_sitemap_has_the_last_48_hours_only(client, home):
    section = SectionPageFactory()
    fresh = ArticlePageFactory(parent=section, first_published_at=timezone.now() - timedelta(hours=3))
    stale = ArticlePageFactory(parent=section, first_published_at=timezone.now() - timedelta(hours=49))
    document = valid_xml(client, "/sitemap-news.xml")
    urls = document.findall("sm:url", NS)
    assert [unquote(u.findtext("sm:loc", namespaces=NS)) for u in urls] == [f"http://testserver{unquote(fresh.url)}"]
    news = urls[0].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "ناشر"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "ar"
    assert news.findtext("news:title", namespaces=NS) == fresh.title
    published = news.findtext("news:publication_date", namespaces=NS)
    assert timezone.datetime.fromisoformat(published) == fresh.first_published_at.replace(microsecond=0)
    assert unquote(stale.url) not in unquote(client.get("/sitemap-news.xml").content.decode())


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_the_admin(client, home):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots
    assert "Disallow: /search/" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Sitemap: http://testserver/sitemap-news.xml" in robots
