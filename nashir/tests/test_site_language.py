"""The public site is Arabic, right to left, for every reader; the admin follows each editor's own choice.

A reader whose browser asks for English (Accept-Language, or Django's
`django_language` cookie) gets the same page, byte for byte, as one whose
browser asks for Arabic, from the page cache in either order of arrival.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.users.models import UserProfile

from comments.models import Comment
from corrections.services import correction_note_publish
from news.factories import ArticlePageFactory, AuthorFactory
from news.services import about_page_publish
from search.services import articles_sync

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = "en-US,en;q=0.9,ar;q=0.8"
ARABIC_BROWSER = "ar,en;q=0.5"


def english_reader():
    """A browser set to English that has also been told Django's language cookie."""
    client = Client(HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    client.cookies["django_language"] = "en"
    return client


def arabic_reader():
    return Client(HTTP_ACCEPT_LANGUAGE=ARABIC_BROWSER)


def html_element(response):
    return BeautifulSoup(response.content, "lxml").html


@pytest.fixture
def site(seed_article):
    section = seed_article.get_parent()
    writer = AuthorFactory(name="سلمى الحلبي", bio="مراسلة.")
    article = ArticlePageFactory(title="خبر عن حلب", parent=section, authors=[writer], tags=["حلب"])
    Comment.objects.create(
        article=article, name="قارئ", email="r@example.org", body="تعليق", status="approved", ip_address="1.2.3.4"
    )
    correction_note_publish(article=article, kind="correction", text="تصحيح منشور.")
    articles_sync([article.pk, seed_article.pk])
    about = about_page_publish(parent=section.get_parent().get_parent(), title="عن الموقع", paragraphs=["من نحن."])
    locked = ArticlePageFactory(title="خبر محمي", parent=section)
    PageViewRestriction.objects.create(page=locked, restriction_type=PageViewRestriction.PASSWORD, password="سر")
    return {
        "section": section,
        "article": article,
        "seed": seed_article,
        "writer": writer,
        "about": about,
        "locked": locked,
    }


def stored_pages(site):
    """Every kind of public page a reader can be served from the page cache."""
    return {
        "home": "/",
        "section": site["section"].url,
        "article": site["article"].url,
        "seed article": site["seed"].url,
        "section, page 2": site["section"].url + "?page=2",
        "about": site["about"].url,
        "tag": reverse("news:tag", args=["حلب"]),
        "author": reverse("news:author", args=[site["writer"].slug]),
        "desk": reverse("news:desk", args=[site["seed"].desk.slug]),
        "search": reverse("search:search") + "?q=حلب",
        "search, nothing found": reverse("search:search") + "?q=قزقزقز",
        "search form": reverse("search:search"),
        "corrections log": reverse("corrections:log"),
        "correction form": reverse("corrections:new", args=[site["article"].pk]),
        "reply form": reverse("corrections:reply", args=[site["article"].pk]),
    }


def other_pages(site):
    """Public HTML pages that are never stored: (method, address, form data, status)."""
    return {
        "not found": ("get", "/لا-توجد-صفحة/", None, 404),
        "password required": ("get", site["locked"].url, None, 200),
        "health": ("get", reverse("operations:health"), None, 200),
        "comment with errors": ("post", reverse("comments:post", args=[site["article"].pk]), {"body": ""}, 400),
        "correction with errors": ("post", reverse("corrections:new", args=[site["article"].pk]), {}, 400),
    }


def test_every_public_page_is_arabic_right_to_left_whatever_the_browser_asks(site):
    reader = english_reader()
    for name, url in stored_pages(site).items():
        response = reader.get(url)
        assert response.status_code == 200, name
        html = html_element(response)
        assert (html["lang"], html["dir"]) == ("ar", "rtl"), name
        assert "Accept-Language" not in response.get("Vary", ""), name
    for name, (method, url, data, status) in other_pages(site).items():
        response = getattr(reader, method)(url, data)
        assert response.status_code == status, name
        html = html_element(response)
        assert (html["lang"], html["dir"]) == ("ar", "rtl"), name
    # Django's own messages are Arabic too: the form errors of a post with nothing in it.
    response = reader.post(reverse("corrections:new", args=[site["article"].pk]), {})
    assert "هذا الحقل مطلوب" in response.content.decode()
    assert "This field is required" not in response.content.decode()


def test_a_cross_site_post_is_refused_in_arabic_for_an_english_browser(site):
    response = english_reader().post(
        reverse("comments:post", args=[site["article"].pk]), {"body": "x"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 403
    html = html_element(response)
    assert (html["lang"], html["dir"]) == ("ar", "rtl")


@pytest.mark.parametrize("first", ["english", "arabic"])
def test_the_stored_copy_is_the_same_for_every_reader(site, first):
    readers = {"english": english_reader(), "arabic": arabic_reader(), "no preference": Client()}
    order = [first, *(name for name in readers if name != first)]
    for name, url in stored_pages(site).items():
        responses = {reader: readers[reader].get(url) for reader in order}
        assert responses[first]["X-Cache"] == "MISS", name
        for reader in order[1:]:
            assert responses[reader]["X-Cache"] == "HIT", (name, reader)
            assert responses[reader].content == responses[first].content, (name, reader)
        assert (html_element(responses[first])["lang"], html_element(responses[first])["dir"]) == ("ar", "rtl")


def test_dates_read_in_arabic_order_for_an_english_browser(site):
    page = BeautifulSoup(english_reader().get(site["seed"].url).content, "lxml")
    published = page.select_one(".article__published")
    # Day, month (Gulf/Levantine names), year: the order Arabic newsrooms write.
    assert re.fullmatch(r"\d{1,2} [^\d/ ]+/[^\d/]+ \d{4}", published.get_text()), published.get_text()
    assert published.find_parent("html")["dir"] == "rtl"


def form_data(form):
    """What a browser would send for `form` as it stands: every named field with its current value."""
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        kind = field.get("type", "text")
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[field["name"]] = chosen.get("value", chosen.get_text()) if chosen else ""
        elif field.name == "textarea":
            data[field["name"]] = field.get_text()
        elif kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[field["name"]] = field.get("value", "on")
        elif kind not in ("submit", "button", "file", "password"):
            data[field["name"]] = field.get("value", "")
    return data


def admin_html(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return html_element(response)


def test_the_admin_follows_the_editors_own_language(home, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    for client in (arabic_reader(), english_reader()):
        client.force_login(editor)
        html = admin_html(client)
        assert (html["lang"], html["dir"]) == ("en", "ltr")
        assert html.find("h1") is not None and "Dashboard" in html.title.get_text()


def test_the_admin_is_arabic_for_an_editor_without_a_choice_even_in_an_english_browser(home, editor):
    client = english_reader()
    client.force_login(editor)
    html = admin_html(client)
    assert (html["lang"], html["dir"]) == ("ar", "rtl")
    assert "لوحة التحكم" in html.title.get_text()


def test_the_admin_login_page_is_arabic_in_an_english_browser(db):
    response = english_reader().get(reverse("wagtailadmin_login"))
    html = html_element(response)
    assert (html["lang"], html["dir"]) == ("ar", "rtl")


def test_an_editor_who_chooses_english_in_the_account_settings_gets_the_admin_in_english(home, editor):
    client = arabic_reader()
    client.force_login(editor)
    assert admin_html(client)["lang"] == "ar"
    form = BeautifulSoup(client.get(reverse("wagtailadmin_account")).content, "lxml").select_one("form[method=post]")
    data = form_data(form)
    assert data["locale-preferred_language"] in ("", "ar")
    data["locale-preferred_language"] = "en"
    response = client.post(reverse("wagtailadmin_account"), data)
    assert response.status_code == 302
    assert UserProfile.get_for_user(editor).preferred_language == "en"
    assert admin_html(client)["lang"] == "en"
    # The public site stays Arabic for the same editor.
    assert html_element(client.get("/"))["dir"] == "rtl"


def test_an_editor_in_english_previews_pages_as_readers_see_them(site, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client = english_reader()
    client.force_login(editor)
    article = site["article"]
    revision = article.save_revision(user=editor)
    # Both go through Wagtail's preview request, as the preview panel beside the editor does.
    for url in (
        reverse("wagtailadmin_pages:view_draft", args=[article.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[article.pk, revision.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = html_element(response)
        assert (html["lang"], html["dir"]) == ("ar", "rtl"), url
        assert html.find("h1").get_text() == article.title
