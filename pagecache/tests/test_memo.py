"""What each process keeps between requests (the site, its home page, whether anything is restricted, the
comments), and that every change to them reaches the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from comments.models import Comment
from news.factories import ArticlePageFactory, SectionPageFactory
from testing.helpers import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whole_pages_off")]


@pytest.fixture
def section(home):
    return SectionPageFactory(parent=home, title="سياسة")


@pytest.fixture
def article(section):
    return ArticlePageFactory(parent=section, title="جلسة البرلمان")


def test_a_page_render_reads_only_the_article_once_the_rest_is_kept(client, article):
    client.get(article.url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(article.url)
    assert response.status_code == 200
    assert len(context.captured_queries) == 1
    assert '"news_articlepage"' in context.captured_queries[0]["sql"]  # routing: the article by its address


def test_a_renamed_site_shows_on_the_next_request(client, article):
    client.get(article.url)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "الجريدة الجديدة"
    site.save()
    assert parse(client.get(article.url)).select_one(".site-name").get_text(strip=True) == "الجريدة الجديدة"


def test_a_new_site_serves_its_host_at_once(client, settings, section, article):
    settings.ALLOWED_HOSTS = ["*"]
    assert client.get("/", HTTP_HOST="politics.example").status_code == 200  # the default site, for now
    Site.objects.create(hostname="politics.example", root_page=section, site_name="سياسة اليوم")
    soup = parse(client.get("/", HTTP_HOST="politics.example"))
    assert soup.select_one(".site-name").get_text(strip=True) == "سياسة اليوم"
    assert soup.select_one("h1").get_text(strip=True) == "سياسة"  # the section is this site's home


def test_a_view_restriction_applies_and_lifts_at_once(client, section, article):
    assert "جلسة البرلمان" in parse(client.get(article.url)).select_one("h1").get_text()
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="سر"
    )
    locked = parse(client.get(article.url))
    assert locked.select_one(".article__body") is None
    assert locked.select_one("input[name=password]") is not None
    restriction.delete()
    assert parse(client.get(article.url)).select_one(".article__body") is not None


def test_the_lead_story_on_the_home_page_is_never_an_old_copy(client, home, article):
    home.lead_article = article
    home.save_revision().publish()
    assert "جلسة البرلمان" in parse(client.get("/")).select_one(".lead").get_text()
    revision = article.get_latest_revision_as_object()
    revision.title = "البرلمان يقرّ الموازنة"
    revision.save_revision().publish()
    assert "البرلمان يقرّ الموازنة" in parse(client.get("/")).select_one(".lead").get_text()


def test_comments_follow_moderation(client, article):
    def comment_bodies():
        return [p.get_text(strip=True) for p in parse(client.get(article.url)).select(".comment__body")]

    assert comment_bodies() == []
    comment = Comment.objects.create(article=article, name="قارئ", email="r@example.org", body="رأي", status="pending")
    assert comment_bodies() == []
    comment.status = "approved"
    comment.save()
    assert comment_bodies() == ["رأي"]
    comment.delete()
    assert comment_bodies() == []


def test_the_header_marks_the_current_section_and_follows_the_menu(client, home, section, article):
    sport = SectionPageFactory(parent=home, title="رياضة")

    def current(path):
        nav = parse(client.get(path)).select(".site-nav a")
        return [a.get_text(strip=True) for a in nav], [a.get_text(strip=True) for a in nav if a.get("aria-current")]

    assert current(article.url) == (["سياسة", "رياضة"], ["سياسة"])
    assert current(sport.url) == (["سياسة", "رياضة"], ["رياضة"])
    assert current("/") == (["سياسة", "رياضة"], [])
    sport.title = "الرياضة"
    sport.save_revision().publish()
    assert current(sport.url) == (["سياسة", "الرياضة"], ["الرياضة"])
