"""RSS and Atom feeds parsed the way feed readers parse them, and the short link."""

import html
from urllib.parse import unquote

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from news.factories import ArticlePageFactory, AuthorFactory, DeskFactory, SectionPageFactory, StoredEmbedFactory
from testing.helpers import parse

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed, response.content.decode()


def test_site_feed_lists_newest_first_with_dates_guids_and_language(client, seed_article):
    older = ArticlePageFactory()
    feed, xml = fetch(client, "/feed/")
    assert feed.version == "rss20"
    assert feed.feed.language == "ar"
    assert [entry.title for entry in feed.entries] == [older.title, seed_article.title]  # 2024 before 2020
    assert feed.entries[0].published_parsed > feed.entries[1].published_parsed
    entry = next(e for e in feed.entries if e.title == seed_article.title)
    assert entry.summary == seed_article.standfirst
    assert entry.published_parsed[:3] == (2020, 5, 18)
    assert entry.id == f"http://testserver/a/{seed_article.pk}/"
    assert unquote(entry.link).endswith("/سوريا/" + unquote(seed_article.slug) + "/")
    assert "+0300" in xml or "+0000" in xml  # RFC 822 dates carry their zone


def test_atom_feed_and_rfc3339_dates(client, seed_article):
    feed, xml = fetch(client, "/feed/atom/")
    assert feed.version == "atom10"
    entry = feed.entries[0]
    assert entry.title == seed_article.title
    assert "<updated>2020-05-18T" in xml


def test_feeds_for_a_section_tag_author_and_desk(client, home):
    section = SectionPageFactory(title="اقتصاد")
    author = AuthorFactory(name="ليلى حسن")
    # The same number as the author: each feed's kept items are its own all the same.
    desk = DeskFactory(name="فريق التحرير", pk=author.pk)
    in_section = ArticlePageFactory(parent=section)
    tagged = ArticlePageFactory(tags=["نفط"])
    by_author = ArticlePageFactory(authors=[author])
    by_desk = ArticlePageFactory(desk=desk)
    cases = {
        reverse("news:section_feed", args=[section.pk]): in_section,
        reverse("news:tag_feed", args=["نفط"]): tagged,
        reverse("news:author_feed", args=[author.slug]): by_author,
        reverse("news:desk_feed", args=[desk.slug]): by_desk,
    }
    for url, expected in cases.items():
        feed, _ = fetch(client, url)
        assert [entry.title for entry in feed.entries] == [expected.title], url
        atom, _ = fetch(client, url + "atom/")
        assert [entry.title for entry in atom.entries] == [expected.title], url
    author_entry = fetch(client, reverse("news:author_feed", args=[author.slug]))[0].entries[0]
    assert "ليلى حسن" in author_entry.author


def test_feeds_leave_out_drafts_and_every_email(client, seed_article):
    draft = ArticlePageFactory(live=False)
    Comment.objects.create(
        article=seed_article, name="ق", email="secret-reader@example.org", body="ت", status="approved"
    )
    feed, xml = fetch(client, "/feed/")
    assert draft.title not in [entry.title for entry in feed.entries]
    assert "@" not in xml


def test_full_content_feeds_carry_the_body(client, seed_article, settings):
    settings.NASHIR_FEED_FULL_CONTENT = True
    feed, _ = fetch(client, "/feed/")
    entry = next(e for e in feed.entries if e.title == seed_article.title)
    assert "الائتلاف يرد" in entry.summary
    assert "<h2" in entry.summary


def test_an_embed_in_a_full_content_feed_is_a_link_to_the_provider(client, home, settings):
    settings.NASHIR_FEED_FULL_CONTENT = True
    embed = StoredEmbedFactory()
    ArticlePageFactory(body=[{"type": "embed", "value": {"embed": embed.url, "caption": "تسجيل"}}])
    feed, xml = fetch(client, "/feed/")
    description = BeautifulSoup(feed.entries[0].summary, "html.parser")
    link = description.find("a")
    assert (link["href"], link.get_text()) == (embed.url, "YouTube: تسجيل من الوقفة")
    # Not the page's placeholder: no button, no template, no frame, in the feed as sent.
    for tag in ("<button", "<template", "<iframe"):
        assert tag not in html.unescape(xml)


def test_featured_image_is_an_enclosure(client, home):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="صورة", file=get_test_image_file(size=(1600, 900)))
    ArticlePageFactory(featured_image=image)
    entry = fetch(client, "/feed/")[0].entries[0]
    enclosure = entry.enclosures[0]
    assert enclosure.type == "image/png"
    assert int(enclosure.length) > 0
    assert enclosure.href.startswith("http://testserver/media/")


def test_pages_announce_their_feeds(client, seed_article):
    section = seed_article.get_parent()
    for url, expected in [
        ("/", {"/feed/"}),
        (section.url, {"/feed/", reverse("news:section_feed", args=[section.pk])}),
        (seed_article.url, {"/feed/", reverse("news:section_feed", args=[section.pk])}),
        (
            reverse("news:desk", args=[seed_article.desk.slug]),
            {reverse("news:desk_feed", args=[seed_article.desk.slug])},
        ),
    ]:
        links = {
            link["href"] for link in parse(client.get(url)).select('link[rel=alternate][type="application/rss+xml"]')
        }
        assert expected <= links, url
    atom = {link["href"] for link in parse(client.get("/")).select('link[rel=alternate][type="application/atom+xml"]')}
    assert atom == {"/feed/atom/"}


def test_short_link_redirects_permanently_to_the_article(client, seed_article):
    response = client.get(f"/a/{seed_article.pk}/")
    assert response.status_code == 301
    assert response["Location"] == seed_article.url
    draft = ArticlePageFactory(live=False)
    assert client.get(f"/a/{draft.pk}/").status_code == 404


def test_a_renamed_or_moved_article_keeps_its_old_address(client, home, django_capture_on_commit_callbacks):
    article = ArticlePageFactory(title="خبر أول")
    old_url = article.url
    revision = article.save_revision()
    revision.content["slug"] = "عنوان-جديد"
    revision.save()
    # Wagtail's redirects app records the old address after the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    article.refresh_from_db()
    assert article.url != old_url
    response = client.get(old_url)
    assert response.status_code == 301
    assert unquote(response["Location"]).endswith("/عنوان-جديد/")

    moved_from = article.url
    destination = SectionPageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article.move(destination, pos="last-child")
    response = client.get(moved_from)
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.usefixtures("whole_pages_off")
def test_feed_items_are_described_once_per_publication_and_follow_changes(client, monkeypatch):
    from news import feeds

    author, section = AuthorFactory(name="رنا"), SectionPageFactory()
    first = ArticlePageFactory(parent=section, title="الخبر الأول", authors=[author])
    fetch(client, "/feed/")
    described = []
    real = feeds._described
    monkeypatch.setattr(feeds, "_described", lambda article: described.append(article.title) or real(article))
    ArticlePageFactory(parent=section, title="الخبر الثاني")
    feed, _ = fetch(client, "/feed/")
    assert [entry.title for entry in feed.entries] == ["الخبر الثاني", "الخبر الأول"]
    assert described == ["الخبر الثاني"]

    author.name = "رنا الخطيب"
    author.save()
    revision = first.get_latest_revision_as_object()
    revision.title = "الخبر الأول بعد التعديل"
    revision.save_revision().publish()
    entry = next(e for e in fetch(client, "/feed/")[0].entries if e.title == "الخبر الأول بعد التعديل")
    assert "رنا الخطيب" in entry.author


@pytest.mark.usefixtures("whole_pages_off")
def test_a_feed_goes_to_the_server_in_one_piece(client, seed_article):
    for address in ("/feed/", "/feed/atom/", reverse("corrections:feed")):
        # What the WSGI server iterates over, and writes to the reader one piece at a time.
        pieces = list(client.get(address))
        assert len(pieces) == 1, address
        assert pieces[0].startswith(b"<?xml")


@pytest.mark.usefixtures("whole_pages_off")
def test_a_feeds_items_are_kept_until_something_is_published(client, home):
    first = ArticlePageFactory()
    client.get("/feed/")
    with CaptureQueriesContext(connection) as context:
        assert [entry.title for entry in fetch(client, "/feed/")[0].entries] == [first.title]
    assert not [query for query in context.captured_queries if "news_articlepage" in query["sql"]]

    draft = ArticlePageFactory(live=False)
    draft.save_revision().publish()
    assert [entry.title for entry in fetch(client, "/feed/")[0].entries] == [draft.title, first.title]
