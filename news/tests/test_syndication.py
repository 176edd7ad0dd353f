"""Every feed and sitemap is well-formed XML whatever text is stored, and reader text reaches feed readers as text."""

import feedparser
import pytest
from lxml import etree

from corrections.models import CorrectionNote
from news.factories import ArticlePageFactory, AuthorFactory, recent

pytestmark = pytest.mark.django_db

# What a robot, or text pasted from elsewhere, leaves in a field: escape, start of heading, bell,
# a vertical tab, DEL, a C1 control and a non-character (a lone surrogate cannot even be stored).
CONTROLS = "\x1b[31m\x01\x07\x0b\x7f\x85\ufffe"
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["/feed/", "/feed/atom/", "/corrections/feed/", "/corrections/atom/"]
SITEMAPS = ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-sections.xml", "/sitemap-news.xml"]


def well_formed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content), response.content.decode()


@pytest.fixture
def stored_with_controls(home):
    """An article, its author and an accepted correction note stored before input was cleaned."""
    author = AuthorFactory(name=f"ليلى{CONTROLS} حسن")
    article = ArticlePageFactory(
        title=f"عنوان{CONTROLS} الخبر",
        standfirst=f"مقدمة{CONTROLS} الخبر",
        body=[{"type": "paragraph", "value": f"<p>فقرة{CONTROLS} أولى</p>"}],
        authors=[author],
        first_published_at=recent(30),
    )
    note = CorrectionNote.objects.create(article=article, text=f"صدر البيان{CONTROLS} يوم الاثنين.")
    return article, note


@pytest.mark.parametrize("full_content", [False, True])
def test_feeds_are_well_formed_with_control_characters_stored(client, settings, stored_with_controls, full_content):
    settings.NASHIR_FEED_FULL_CONTENT = full_content
    for url in FEEDS:
        _, xml = well_formed(client, url)
        assert not feedparser.parse(xml).bozo, url
        assert not any(char in xml for char in "\x1b\x01\x07\x0b\x7f\x85\ufffe"), url
    titles = [entry.title for entry in feedparser.parse(client.get("/feed/atom/").content).entries]
    assert titles == ["عنوان[31m الخبر"]
    notes = feedparser.parse(client.get("/corrections/atom/").content).entries
    assert [entry.summary for entry in notes] == ["صدر البيان[31m يوم الاثنين."]
    assert "ليلى[31m حسن" in feedparser.parse(client.get("/feed/").content).entries[0].author


@pytest.mark.usefixtures("stored_with_controls")
def test_sitemaps_are_well_formed_with_control_characters_stored(client):
    for url in SITEMAPS:
        well_formed(client, url)
    news, _ = well_formed(client, "/sitemap-news.xml")
    ns = {"news": "http://www.google.com/schemas/sitemap-news/0.9"}
    assert news.findtext(".//news:title", namespaces=ns) == "عنوان[31m الخبر"


def test_reader_text_reaches_feed_readers_as_text_not_markup(client, seed_article):
    CorrectionNote.objects.create(
        article=seed_article, text='قال القارئ: <script>alert("x")</script> و<b>غامق</b>\nسطر ثان'
    )
    atom, _ = well_formed(client, "/corrections/atom/")
    summary = atom.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == 'قال القارئ: <script>alert("x")</script> و<b>غامق</b>\nسطر ثان'

    rss, _ = well_formed(client, "/corrections/feed/")
    description = rss.findtext("channel/item/description")
    # RSS readers take a description as HTML: the reader's text is escaped into it, never markup.
    assert "<script" not in description and "<b>" not in description
    assert "&lt;script&gt;" in description
    entry = feedparser.parse(client.get("/corrections/feed/").content).entries[0]
    assert "<script" not in entry.summary and "alert" in entry.summary
    assert "&lt;b&gt;غامق&lt;/b&gt;" in entry.summary


def test_standfirsts_are_text_and_whole_bodies_html(client, settings, home, whole_pages_off):
    ArticlePageFactory(standfirst="أ < ب & <i>ج</i>")
    atom, _ = well_formed(client, "/feed/atom/")
    summary = atom.find(f"{ATOM}entry/{ATOM}summary")
    assert (summary.get("type"), summary.text) == ("text", "أ < ب & <i>ج</i>")
    rss, _ = well_formed(client, "/feed/")
    assert rss.findtext("channel/item/description") == "أ &lt; ب &amp; &lt;i&gt;ج&lt;/i&gt;"

    settings.NASHIR_FEED_FULL_CONTENT = True
    atom, _ = well_formed(client, "/feed/atom/")
    summary = atom.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text.startswith("<p>أ &lt; ب &amp; &lt;i&gt;ج&lt;/i&gt;</p>")
