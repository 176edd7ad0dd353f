"""What a view restriction hides on the article, every public surface hides too: lists, feeds, sitemaps, search,
the API, the corrections log, the most-read lists, related stories and the short link."""

from datetime import timedelta

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from corrections.services import correction_note_publish
from news.factories import ArticlePageFactory, AuthorFactory, DeskFactory, SectionPageFactory
from readership.models import HourlyViews
from readership.services import _live_articles as live_articles
from readership.services import views_flush
from search.services import articles_sync
from testing.helpers import parse

pytestmark = pytest.mark.django_db

OPEN_NOTE = "صُحّح عدد المقاعد في الخبر العلني"
HIDDEN_NOTE = "صُحّح اسم المصدر السري في الخبر المحجوب"
RESTRICTIONS = ["password", "login", "groups", "section-password"]


def restrict(page, kind):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="كلمة-سر" if kind == PageViewRestriction.PASSWORD else ""
    )
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.set([Group.objects.create(name="المشتركون")])


@pytest.fixture(params=RESTRICTIONS)
def newsroom(request, home):
    """An open story and one restricted (on itself, or on its section), alike in every other way."""
    section = SectionPageFactory(title="الانتخابات", slug="elections")
    author, desk = AuthorFactory(name="ليلى حداد", slug="layla"), DeskFactory(name="قسم السياسة", slug="politics")
    members = SectionPageFactory(title="ركن الأعضاء", slug="members") if request.param.startswith("section") else None
    recently = timezone.now() - timedelta(hours=2)
    shared = {"authors": [author], "desk": desk, "tags": ["برلمان"]}
    open_story = ArticlePageFactory(
        title="نتائج الانتخابات العلنية", slug="open-story", parent=section, first_published_at=recently, **shared
    )
    hidden = ArticlePageFactory(
        title="كواليس الانتخابات المحجوبة",
        slug="hidden-story",
        parent=members or section,
        first_published_at=recently + timedelta(minutes=1),  # the newest: the home page's lead if shown
        **shared,
    )
    articles_sync([open_story.pk, hidden.pk])
    correction_note_publish(article=open_story, kind="correction", text=OPEN_NOTE)
    correction_note_publish(article=hidden, kind="correction", text=HIDDEN_NOTE)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyViews.objects.create(article=open_story, hour=hour, views=3, readers=3)
    HourlyViews.objects.create(article=hidden, hour=hour, views=500, readers=500)
    restrict(members or hidden, request.param.removeprefix("section-"))
    return {"open": open_story, "hidden": hidden, "section": section, "members": members}


def public_surfaces(newsroom):
    section, tag = newsroom["section"], "برلمان"
    return [
        "/",
        section.url,
        reverse("news:tag", args=[tag]),
        reverse("news:author", args=["layla"]),
        reverse("news:desk", args=["politics"]),
        reverse("news:feed"),
        reverse("news:feed_atom"),
        reverse("news:section_feed", args=[section.pk]),
        reverse("news:tag_feed", args=[tag]),
        reverse("news:author_feed", args=["layla"]),
        reverse("news:desk_feed_atom", args=["politics"]),
        "/sitemap-articles.xml",
        reverse("news_sitemap"),
        reverse("corrections:log"),
        reverse("corrections:feed"),
        reverse("corrections:atom"),
        reverse("search:search") + "?q=الانتخابات",
        "/api/v1/articles",
        "/api/v1/corrections",
        newsroom["open"].url,  # its related stories share the tag
        # The lite edition (lite app) of the pages that list stories.
        "/lite/",
        "/lite" + section.url,
        "/lite" + reverse("news:tag", args=[tag]),
        "/lite" + reverse("news:author", args=["layla"]),
        "/lite" + reverse("news:desk", args=["politics"]),
        "/lite" + reverse("corrections:log"),
        "/lite" + reverse("search:search") + "?q=الانتخابات",
    ]


def test_every_public_surface_hides_what_the_restricted_article_hides(client, newsroom):
    open_story, hidden = newsroom["open"], newsroom["hidden"]
    for url in public_surfaces(newsroom):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert hidden.title not in text, url
        assert "hidden-story" not in text and f"/a/{hidden.pk}/" not in text, url
        assert HIDDEN_NOTE not in text, url
        assert open_story.title in text or "open-story" in text, url  # the surface does list stories


def test_the_corrections_log_and_its_feeds_list_only_notes_on_readable_articles(client, newsroom):
    log = parse(client.get(reverse("corrections:log")))
    entries = [item.get_text(" ", strip=True) for item in log.select(".corrections-log li")]
    assert len(entries) == 1 and OPEN_NOTE in entries[0] and newsroom["open"].title in entries[0]
    for feed in ("corrections:feed", "corrections:atom"):
        parsed = feedparser.parse(client.get(reverse(feed)).content)
        assert [entry.summary for entry in parsed.entries] == [OPEN_NOTE]
        assert parsed.entries[0].link.startswith(f"http://testserver{newsroom['open'].url}")
    api = client.get("/api/v1/corrections").json()
    assert [item["text"] for item in api["items"]] == [OPEN_NOTE]


def test_the_most_read_lists_leave_the_restricted_article_out(client, newsroom):
    home = parse(client.get("/"))
    for selector in (".most-read__day a", ".most-read__week a"):
        assert [a.get_text() for a in home.select(selector)] == [newsroom["open"].title]


def test_the_article_itself_and_its_short_link_and_forms_refuse(client, newsroom):
    hidden, open_story = newsroom["hidden"], newsroom["open"]
    assert client.get(reverse("news:short_link", args=[open_story.pk])).status_code == 301
    assert client.get(reverse("news:short_link", args=[hidden.pk])).status_code == 404
    assert client.get(f"/api/v1/articles/{hidden.pk}").status_code == 404
    assert client.get(reverse("corrections:new", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("comments:post", args=[hidden.pk]), {"body": "تعليق"}).status_code == 404
    live_articles.clear()  # what this process remembers of earlier tests' articles, whose ids come back
    for story in (open_story, hidden):
        client.post(reverse("readership:beacon", args=[story.pk]), HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0")
    views_flush()
    assert HourlyViews.objects.filter(article=hidden).get().views == 500  # the beacon did not count it
    assert HourlyViews.objects.filter(article=open_story).get().views == 4
    for address in (hidden.url, "/lite" + hidden.url):
        page = client.get(address)
        assert HIDDEN_NOTE not in page.content.decode(), address
        assert page.status_code in (200, 302), address  # a password form, or the way to log in


@pytest.mark.parametrize("newsroom", ["section-password"], indirect=True)
def test_a_restricted_section_leaves_the_menu_the_sitemap_the_search_form_and_the_api(client, newsroom):
    members = newsroom["members"]
    home = parse(client.get("/"))
    assert "ركن الأعضاء" not in [a.get_text(strip=True) for a in home.select(".site-nav a")]
    assert "الانتخابات" in [a.get_text(strip=True) for a in home.select(".site-nav a")]
    search = parse(client.get(reverse("search:search")))
    choices = [option.get_text(strip=True) for option in search.select("select[name=section] option")]
    assert "الانتخابات" in choices and "ركن الأعضاء" not in choices
    refused = client.get(reverse("search:search"), {"q": "الانتخابات", "section": members.pk}).content.decode()
    assert "اختر قيمة من القائمة." in refused and newsroom["hidden"].title not in refused
    sitemap = client.get("/sitemap-sections.xml").content.decode()
    assert "/elections/" in sitemap and "/members/" not in sitemap
    assert client.get(reverse("news:section_feed", args=[members.pk])).status_code == 404
    assert client.get("/api/v1/articles", {"section": members.pk}).status_code == 404
    assert "ركن الأعضاء" not in [section["title"] for section in client.get("/api/v1/sections").json()]
