"""Home, section, tag, author and desk pages, and the error pages."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.template import loader
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news.factories import ArticlePageFactory, AuthorFactory, DeskFactory, SectionPageFactory
from news.listings import PAGE_SIZE, SECTION_BLOCK_SIZE, section_blocks
from news.models import ArticlePage, SectionArticle
from testing.helpers import parse

pytestmark = pytest.mark.django_db


def card_titles(container):
    return [a.get_text(strip=True) for a in container.select(".card__title a")]


def test_home_page_leads_with_the_newest_story(client, home):
    older = ArticlePageFactory()
    newest = ArticlePageFactory()
    soup = parse(client.get("/"))
    assert card_titles(soup.select_one(".lead")) == [newest.title]
    # The next stories stand beside the lead (the second tier); past four, the latest list follows.
    assert card_titles(soup.select_one(".second-tier")) == [older.title]
    assert soup.select_one(".latest") is None


def test_home_page_lead_can_be_chosen_by_the_editors(client, home):
    chosen = ArticlePageFactory()
    ArticlePageFactory()
    home.lead_article = chosen
    home.save()
    assert card_titles(parse(client.get("/")).select_one(".lead")) == [chosen.title]


def test_unpublished_lead_falls_back_to_the_newest(client, home):
    chosen = ArticlePageFactory()
    newest = ArticlePageFactory()
    home.lead_article = chosen
    home.save()
    chosen.unpublish()
    assert card_titles(parse(client.get("/")).select_one(".lead")) == [newest.title]


def test_home_page_title_names_the_site_once(client, home):
    assert home.title == settings.WAGTAIL_SITE_NAME
    assert parse(client.get("/")).title.get_text() == settings.WAGTAIL_SITE_NAME
    section = SectionPageFactory(title="سياسة")
    assert parse(client.get(section.url)).title.get_text() == f"سياسة | {settings.WAGTAIL_SITE_NAME}"


def test_home_page_title_can_be_set_by_the_editors(client, home):
    home.seo_title = "ناشر: أخبار سوريا والعالم"
    home.save_revision().publish()
    assert parse(client.get("/")).title.get_text() == "ناشر: أخبار سوريا والعالم"


def test_home_page_has_a_block_per_section_including_subsections(client, home):
    politics = SectionPageFactory(title="سياسة")
    syria = SectionPageFactory(title="سوريا", parent=politics, show_in_menus=False)
    sport = SectionPageFactory(title="رياضة")
    politics_articles = [ArticlePageFactory(parent=syria) for _ in range(SECTION_BLOCK_SIZE + 2)]
    sport_article = ArticlePageFactory(parent=sport)

    soup = parse(client.get("/"))
    blocks = {block.h2.get_text(strip=True): card_titles(block) for block in soup.select(".section-block")}
    assert list(blocks) == ["سياسة", "رياضة"]
    # The newest four, newest first; the subsection's articles count for its parent.
    assert blocks["سياسة"] == [a.title for a in reversed(politics_articles)][:SECTION_BLOCK_SIZE]
    assert blocks["رياضة"] == [sport_article.title]
    assert [a.get_text() for a in soup.select(".site-nav a")] == ["سياسة", "رياضة"]


def test_listings_hide_drafts_and_private_articles(client, home):
    section = SectionPageFactory()
    visible = ArticlePageFactory(parent=section)
    draft = ArticlePageFactory(parent=section, live=False)
    private = ArticlePageFactory(parent=section)
    private.view_restrictions.create(restriction_type="login")
    for url in ("/", section.url):
        titles = card_titles(parse(client.get(url)))
        assert visible.title in titles
        assert draft.title not in titles
        assert private.title not in titles
    assert client.get(draft.url).status_code == 404


def test_section_page_paginates_newest_first(client, home):
    section = SectionPageFactory()
    articles = [ArticlePageFactory(parent=section) for _ in range(PAGE_SIZE + 3)]
    first = parse(client.get(section.url))
    assert card_titles(first) == [a.title for a in reversed(articles)][:PAGE_SIZE]
    assert first.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    second = parse(client.get(section.url, {"page": 2}))
    assert card_titles(second) == [a.title for a in reversed(articles)][PAGE_SIZE:]
    assert "صفحة 2 من 2" in second.select_one(".pagination").get_text()
    # A bad page number gives a page, not an error.
    assert card_titles(parse(client.get(section.url, {"page": "abc"}))) == card_titles(first)
    assert card_titles(parse(client.get(section.url, {"page": 99}))) == card_titles(second)


def test_section_page_counts_its_published_articles_from_the_section_index(client, home):
    section = SectionPageFactory()
    articles = [ArticlePageFactory(parent=section) for _ in range(PAGE_SIZE + 1)]
    assert "صفحة 1 من 2" in parse(client.get(section.url)).select_one(".pagination").get_text()
    articles[0].unpublish()  # the oldest: the second page had only it
    assert SectionArticle.objects.filter(article=articles[0]).count() == 0
    with CaptureQueriesContext(connection) as context:
        soup = parse(client.get(section.url))
    assert soup.select_one(".pagination") is None
    assert len(card_titles(soup)) == PAGE_SIZE
    counts = [query["sql"] for query in context.captured_queries if query["sql"].startswith("SELECT COUNT(")]
    assert len(counts) == 1 and '"wagtailcore_page"' not in counts[0]  # rows counted without joining their pages
    articles[0].save_revision().publish()
    assert "صفحة 1 من 2" in parse(client.get(section.url)).select_one(".pagination").get_text()


def test_section_page_lists_its_subsections(client, home):
    section = SectionPageFactory(title="الشرق الأوسط")
    SectionPageFactory(title="سوريا", parent=section)
    soup = parse(client.get(section.url))
    assert soup.h1.get_text() == "الشرق الأوسط"
    assert [a.get_text() for a in soup.select(".subsections a")] == ["سوريا"]


def test_empty_section_says_so(client, home):
    section = SectionPageFactory()
    assert "لا توجد أخبار منشورة هنا بعد" in parse(client.get(section.url)).select_one("main").get_text()


def test_author_page_lists_the_authors_articles(client, home):
    author = AuthorFactory(name="ليلى حسن", bio="مراسلة في إسطنبول.")
    theirs = ArticlePageFactory(authors=[author])
    ArticlePageFactory()
    soup = parse(client.get(author.get_absolute_url()))
    assert soup.h1.get_text() == "ليلى حسن"
    assert "مراسلة في إسطنبول." in soup.select_one(".listing-header").get_text()
    assert card_titles(soup) == [theirs.title]


def test_desk_page_lists_the_desks_articles(client, home):
    desk = DeskFactory(name="فريق التحرير")
    theirs = ArticlePageFactory(desk=desk)
    ArticlePageFactory()
    soup = parse(client.get(desk.get_absolute_url()))
    assert soup.h1.get_text() == "فريق التحرير"
    assert card_titles(soup) == [theirs.title]


def test_tag_page_lists_tagged_articles(client, home):
    tagged = ArticlePageFactory(tags=["قانون قيصر"])
    ArticlePageFactory(tags=["رياضة"])
    soup = parse(client.get("/tag/قانون-قيصر/"))
    assert soup.h1.get_text() == "قانون قيصر"
    assert card_titles(soup) == [tagged.title]


def test_cards_show_relative_times_for_recent_items(client, home):
    from django.utils import timezone

    ArticlePageFactory(first_published_at=timezone.now() - datetime.timedelta(minutes=5))
    card_time = parse(client.get("/")).select_one(".lead time")
    assert card_time.get_text() == "منذ 5 دقائق"


@pytest.mark.parametrize("url", ["/لا-يوجد/", "/author/nobody/", "/desk/لا-أحد/", "/tag/none/"])
def test_missing_pages_get_the_arabic_404(client, home, url):
    response = client.get(url)
    assert response.status_code == 404
    soup = parse_error(response)
    assert soup.html["lang"] == "ar" and soup.html["dir"] == "rtl"
    assert soup.h1.get_text() == "الصفحة غير موجودة"
    assert soup.select_one("main a")["href"] == "/"


def test_500_page_renders_without_a_request_or_database():
    html = loader.get_template("500.html").render()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "حدث خطأ في الخادم" in html


def test_server_error_returns_the_arabic_500_page(client, home, monkeypatch):
    from news.models import HomePage

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(HomePage, "get_context", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "حدث خطأ في الخادم" in response.content.decode()
    assert "the database went away" not in response.content.decode()


def parse_error(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "lxml")


def test_section_listings_follow_articles_and_sections_that_move(client, home):
    region = SectionPageFactory(title="الشرق الأوسط")
    syria = SectionPageFactory(title="سوريا", parent=region)
    sport = SectionPageFactory(title="رياضة")
    moved_article = ArticlePageFactory(parent=syria)
    stays = ArticlePageFactory(parent=syria)
    assert {moved_article.title, stays.title} <= set(card_titles(parse(client.get(region.url))))

    moved_article.move(sport, pos="last-child")
    assert card_titles(parse(client.get(sport.url))) == [moved_article.title]
    assert card_titles(parse(client.get(region.url))) == [stays.title]

    # Moving a section carries its articles, which are moved in SQL without being saved.
    syria.refresh_from_db()
    syria.move(sport, pos="last-child")
    assert card_titles(parse(client.get(sport.url))) == [stays.title, moved_article.title]
    assert "لا توجد أخبار منشورة هنا بعد" in parse(client.get(region.url)).select_one("main").get_text()


def test_home_block_of_a_section_too_quiet_for_the_recent_window(home):
    quiet, busy = SectionPageFactory(title="ثقافة"), SectionPageFactory(title="أخبار")
    quiet_articles = [ArticlePageFactory(parent=quiet) for _ in range(2)]
    busy_articles = [ArticlePageFactory(parent=busy) for _ in range(3)]
    unpublished = ArticlePageFactory(parent=quiet)
    unpublished.unpublish()
    blocks = {section.title: [row["pk"] for row in rows] for section, rows in section_blocks(home, window=1)}
    assert blocks["ثقافة"] == [article.pk for article in quiet_articles[::-1]]
    assert blocks["أخبار"] == [article.pk for article in busy_articles[::-1]]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the query plan checked is SQLite's")
def test_newest_in_a_section_is_read_from_the_section_index(home):
    section = SectionPageFactory()
    ArticlePageFactory(parent=section)
    query = ArticlePage.objects.published().in_section(section).values("pk")[:4].query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        plan = " | ".join(row[-1] for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
    assert "news_sectionarticle_newest" in plan, plan
    # Read in order from the index, not sorted after reading every row of the section.
    assert "TEMP B-TREE" not in plan, plan


@pytest.mark.usefixtures("whole_pages_off")
def test_home_page_rows_are_kept_until_something_is_published(client, home):
    first = ArticlePageFactory()
    client.get("/")
    with CaptureQueriesContext(connection) as context:
        assert card_titles(parse(client.get("/")).select_one(".lead")) == [first.title]
    assert not [query for query in context.captured_queries if "news_articlepage" in query["sql"]]

    draft = ArticlePageFactory(live=False)
    draft.save_revision().publish()
    assert card_titles(parse(client.get("/")).select_one(".lead")) == [draft.title]


def test_a_preview_of_the_home_page_shows_the_lead_article_of_the_draft(admin_client, client, home):
    chosen, newest = ArticlePageFactory(), ArticlePageFactory()
    assert card_titles(parse(client.get("/")).select_one(".lead")) == [newest.title]
    home.lead_article = chosen
    home.save_revision()
    preview = parse(admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[home.pk])))
    assert card_titles(preview.select_one(".lead")) == [chosen.title]
    assert card_titles(parse(client.get("/")).select_one(".lead")) == [newest.title]


@pytest.mark.usefixtures("whole_pages_off")
def test_section_page_rows_are_kept_per_page_until_something_is_published(client, home):
    section = SectionPageFactory(parent=home)
    older = [ArticlePageFactory(parent=section) for _ in range(PAGE_SIZE)]
    newest = ArticlePageFactory(parent=section)
    client.get(section.url, {"page": 2})
    with CaptureQueriesContext(connection) as context:
        second = parse(client.get(section.url, {"page": 2}))
    assert not [query for query in context.captured_queries if "news_articlepage" in query["sql"]]
    assert card_titles(second) == [older[0].title]
    assert second.select_one(".pagination [aria-current=page]").get_text(strip=True) == "صفحة 2 من 2"
    assert card_titles(parse(client.get(section.url)))[0] == newest.title

    newest.unpublish()
    assert parse(client.get(section.url, {"page": 2})).select_one(".pagination") is None
