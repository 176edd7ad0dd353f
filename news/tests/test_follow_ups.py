"""Follow-ups («متابعة»): a story names the one it develops; both show the chain, and the older one points to the newest."""

from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from news.factories import ArticlePageFactory, SectionPageFactory
from news.models import ArticlePage
from news.tests.test_admin import add_url, article_form
from testing.helpers import parse

pytestmark = pytest.mark.django_db

NOTICE = "هناك تطورات أحدث في هذه القصة"


@pytest.fixture
def section(home):
    return SectionPageFactory(parent=home, title="سوريا")


def chain_of(soup):
    """(title, linked?, date shown) for each story of the «متابعة» box, in page order."""
    box = soup.select_one(".story-chain")
    assert box is not None, "no «متابعة» box"
    assert box.select_one("h2").get_text(strip=True) == "متابعة"
    rows = []
    for item in box.select("li"):
        link = item.select_one("a")
        title = (link or item.select_one("[aria-current=page]")).get_text(strip=True)
        rows.append((title, link["href"] if link else None, item.select_one("time")["datetime"][:10]))
    return rows


def notice_of(soup):
    notice = soup.select_one(".story-notice")
    return None if notice is None else (notice.select_one("a").get_text(strip=True), notice.select_one("a")["href"])


def test_both_stories_show_the_chain_newest_first_and_the_older_one_points_to_the_newer(client, section):
    older = ArticlePageFactory(parent=section, title="انقطاع الكهرباء عن حلب")
    newer = ArticlePageFactory(parent=section, title="عودة الكهرباء إلى نصف أحياء حلب", follows=older)
    # The site's date (Damascus): a story published at 22:00 UTC is dated the next day there.
    older_date, newer_date = (timezone.localdate(a.first_published_at).isoformat() for a in (older, newer))

    page = parse(client.get(older.url))
    assert chain_of(page) == [
        ("عودة الكهرباء إلى نصف أحياء حلب", newer.url, newer_date),
        ("انقطاع الكهرباء عن حلب", None, older_date),
    ]
    assert notice_of(page) == (NOTICE, newer.url)

    page = parse(client.get(newer.url))
    assert chain_of(page) == [
        ("عودة الكهرباء إلى نصف أحياء حلب", None, newer_date),
        ("انقطاع الكهرباء عن حلب", older.url, older_date),
    ]
    assert notice_of(page) is None


def test_a_chain_of_three_points_every_older_story_to_the_newest(client, section):
    first = ArticlePageFactory(parent=section, title="الأول")
    second = ArticlePageFactory(parent=section, title="الثاني", follows=first)
    third = ArticlePageFactory(parent=section, title="الثالث", follows=second)
    for story in (first, second):
        page = parse(client.get(story.url))
        assert [title for title, _, _ in chain_of(page)] == ["الثالث", "الثاني", "الأول"]
        assert notice_of(page) == (NOTICE, third.url)
    assert notice_of(parse(client.get(third.url))) is None


def test_a_story_on_its_own_shows_no_chain(client, section):
    story = ArticlePageFactory(parent=section)
    page = parse(client.get(story.url))
    assert page.select_one(".story-chain") is None and notice_of(page) is None


def test_an_unpublished_follow_up_is_not_shown(client, section):
    older = ArticlePageFactory(parent=section)
    ArticlePageFactory(parent=section, follows=older, live=False)
    page = parse(client.get(older.url))
    assert page.select_one(".story-chain") is None and notice_of(page) is None


def test_publishing_and_unpublishing_a_follow_up_refreshes_the_stored_older_page(client, editor, section):
    older = ArticlePageFactory(parent=section, title="انقطاع الكهرباء عن حلب")
    client.get(older.url)
    stored = client.get(older.url)
    assert stored["X-Cache"] == "HIT" and notice_of(parse(stored)) is None

    client.force_login(editor)
    response = client.post(add_url(section), article_form(title="عودة الكهرباء", desk=older.desk, follows=older.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    follow_up = ArticlePage.objects.get(title="عودة الكهرباء")
    assert follow_up.live and follow_up.follows_id == older.pk
    client.logout()

    page = client.get(older.url)
    assert page["X-Cache"] == "MISS"
    assert notice_of(parse(page)) == (NOTICE, follow_up.url)
    assert [title for title, _, _ in chain_of(parse(page))] == ["عودة الكهرباء", "انقطاع الكهرباء عن حلب"]
    assert client.get(older.url)["X-Cache"] == "HIT"

    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[follow_up.pk]))
    assert response.status_code == 302
    client.logout()
    page = parse(client.get(older.url))
    assert notice_of(page) is None and page.select_one(".story-chain") is None


def test_a_follow_up_that_changes_its_story_refreshes_both_chains(client, section):
    first = ArticlePageFactory(parent=section, title="القصة الأولى")
    other = ArticlePageFactory(parent=section, title="القصة الأخرى")
    follow_up = ArticlePageFactory(parent=section, title="المتابعة", follows=first)
    assert notice_of(parse(client.get(first.url))) is not None
    client.get(other.url)

    follow_up.follows = other
    follow_up.save_revision().publish()

    assert notice_of(parse(client.get(first.url))) is None
    assert notice_of(parse(client.get(other.url))) == (NOTICE, follow_up.url)


def test_the_edit_form_saves_what_the_story_follows(client, editor, section):
    older = ArticlePageFactory(parent=section)
    story = ArticlePageFactory(parent=section)
    client.force_login(editor)
    form = parse(client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])))
    assert form.select_one("input[name=follows]") is not None
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]),
        article_form(title=story.title, desk=story.desk, follows=older.pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    story.refresh_from_db()
    assert story.follows == older
    assert list(older.follow_ups.all()) == [story]


def test_the_lite_edition_shows_the_chain_and_the_notice_with_lite_links(client, section):
    older = ArticlePageFactory(parent=section, title="انقطاع الكهرباء عن حلب")
    newer = ArticlePageFactory(parent=section, title="عودة الكهرباء", follows=older)
    lite_newer = "/lite" + unquote(newer.url)  # the lite edition writes its addresses in Arabic letters
    page = parse(client.get("/lite" + older.url))
    notice = page.select_one(".story-notice a")
    assert (notice.get_text(strip=True), notice["href"]) == (NOTICE, lite_newer)
    items = page.select(".story-chain li")
    assert [item.select_one("a, [aria-current=page]").get_text(strip=True) for item in items] == [
        "عودة الكهرباء",
        "انقطاع الكهرباء عن حلب",
    ]
    assert items[0].select_one("a")["href"] == lite_newer
    assert parse(client.get("/lite" + newer.url)).select_one(".story-notice") is None


def test_a_story_cannot_follow_itself_or_a_story_that_follows_it(client, editor, section):
    first = ArticlePageFactory(parent=section)
    second = ArticlePageFactory(parent=section, follows=first)
    client.force_login(editor)
    for chosen in (first, second):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[first.pk]),
            article_form(title=first.title, desk=first.desk, follows=chosen.pk),
        )
        assert response.status_code == 200
        assert "لا يتابع الخبر نفسه ولا خبرًا يتابعه" in response.content.decode()
    first.refresh_from_db()
    assert first.follows_id is None
