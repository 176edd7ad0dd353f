"""The public site as readers' browsers show it: Arabic and right to left in any browser, readable focus, targets big enough.

Headless Debian Chromium driven by Playwright, against the live test server.
"""

import re

import pytest
from django.urls import reverse

from arabic.dates import format_date
from comments.models import Comment
from corrections.services import correction_note_publish
from news.factories import ArticlePageFactory, AuthorFactory
from search.services import articles_sync
from tests_browser.steps import PASSWORD, needs_chromium

# The module's Chromium is the shared one (conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_chromium]


ENGLISH_BROWSER = "en-US,en;q=0.9,ar;q=0.8"


@pytest.fixture
def newsroom(seed_article):
    """A section with two pages of stories, an author, a tag, comments and a correction note."""
    section = seed_article.get_parent()
    writer = AuthorFactory(name="سلمى الحلبي")
    stories = [ArticlePageFactory(parent=section, authors=[writer], tags=["حلب"]) for _ in range(21)]
    for story in stories[-3:]:
        Comment.objects.create(
            article=story, name="قارئ", email="r@example.org", body="تعليق", status="approved", ip_address="1.2.3.4"
        )
    correction_note_publish(article=stories[-1], kind="correction", text="صحّحنا اسم المتحدث.")
    articles_sync([story.pk for story in stories])
    return {"seed": seed_article, "section": section, "story": stories[-1]}


def english_pages(browser, live_server):
    """A browser whose language is English, and one that only sends an English Accept-Language; both with Django's language cookie."""
    by_locale = browser.new_page(locale="en-US")
    by_header = browser.new_page(extra_http_headers={"Accept-Language": ENGLISH_BROWSER})
    for page in (by_locale, by_header):
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return {"locale en-US": by_locale, "Accept-Language header": by_header}


# Where each part of the date text is drawn, from the rectangles of its characters.
DATE_PARTS = """(time) => {
  const text = time.firstChild, content = text.textContent;
  const box = (start, end) => { const range = document.createRange(); range.setStart(text, start); range.setEnd(text, end); return range.getBoundingClientRect(); };
  const day = content.match(/^\\d+/)[0].length;
  return {day: box(0, day).left, month: box(day + 1, content.length - 5).left, year: box(content.length - 4, content.length).left};
}"""


def test_an_english_browser_gets_the_arabic_site_right_to_left(live_server, newsroom, browser):
    seed = newsroom["seed"]
    date = format_date(seed.first_published_at)
    for name, page in english_pages(browser, live_server).items():
        for url in (seed.url, "/"):
            page.goto(live_server.url + url)
            html = page.locator("html")
            assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl"), (name, url)
            assert page.evaluate("getComputedStyle(document.body).direction") == "rtl", (name, url)
        page.goto(live_server.url + seed.url)
        breadcrumbs = page.locator(".breadcrumbs ol")
        assert breadcrumbs.evaluate("list => getComputedStyle(list).direction") == "rtl", name
        # Right to left, the first crumb (the home page) is the rightmost.
        crumbs = [box["x"] for box in (item.bounding_box() for item in breadcrumbs.locator("li").all())]
        assert crumbs == sorted(crumbs, reverse=True), name
        published = page.locator(".article__published")
        assert published.inner_text() == date, name
        parts = published.evaluate(DATE_PARTS)
        # Read from the right: day, month, year.
        assert parts["day"] > parts["month"] > parts["year"], (name, parts)


def test_an_editor_chooses_english_for_the_admin_and_readers_still_get_arabic(live_server, newsroom, editor, browser):
    admin = browser.new_page(locale="en-US")
    admin.goto(live_server.url + "/admin/login/")
    assert admin.locator("html").get_attribute("dir") == "rtl"
    admin.fill("#id_username", "editor")
    admin.fill("#id_password", PASSWORD)
    admin.click("button[type=submit]")
    admin.wait_for_url(re.compile(r"/admin/$"))
    assert admin.locator("html").get_attribute("lang") == "ar"

    admin.goto(live_server.url + reverse("wagtailadmin_account"))
    admin.fill("#id_name_email-first_name", "سلمى")
    admin.fill("#id_name_email-last_name", "الحلبي")
    admin.select_option("#id_locale-preferred_language", "en")
    admin.locator("form[method=post] button[type=submit]").last.click()
    admin.wait_for_load_state()
    admin.goto(live_server.url + "/admin/")
    html = admin.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("en", "ltr")
    assert "Dashboard" in admin.title()

    admin.goto(live_server.url + newsroom["seed"].url)
    assert admin.locator("html").get_attribute("dir") == "rtl"


def luminance(color: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+(?:\.\d+)?", color)[:3])

    def linear(channel):
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_helper_matches_wcag_examples():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert round(contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)"), 1) == 4.5


def test_the_focused_skip_link_is_readable(live_server, newsroom, browser):
    page = browser.new_page(locale="ar")
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    link = page.locator(":focus")
    assert link.get_attribute("class") == "skip-link"
    box = link.bounding_box()
    assert box["y"] >= 0 and box["height"] >= 24
    color, background = link.evaluate("a => [getComputedStyle(a).color, getComputedStyle(a).backgroundColor]")
    assert contrast(color, background) >= 4.5, (color, background)


# Interactive elements a pointer can hit, each measured as the box that takes the click (a radio's label).
TARGETS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter(element => !element.closest('.form-trap, .visually-hidden, .skip-link'))
  .filter(element => !element.closest(RUNNING_TEXT))
  .map(element => element.closest('label') || element)
  .filter(element => element.getClientRects().length)
  .map(element => { const box = element.getBoundingClientRect();
    return {what: element.className || element.tagName, text: element.textContent.trim().slice(0, 40), width: box.width, height: box.height}; })"""
# Links inside a sentence are exempt from the target size (WCAG 2.5.8 "inline").
RUNNING_TEXT = (
    ".article__body, .article__standfirst, .article__sources, .reader-cta p, .search-note, .reader-page__article"
)


def test_every_pointer_target_is_at_least_24_pixels(live_server, newsroom, browser):
    story, section = newsroom["story"], newsroom["section"]
    pages = {
        "home": "/",
        "section": section.url,
        "section, page 2": section.url + "?page=2",
        "article with comments and a correction": story.url,
        "seed article": newsroom["seed"].url,
        "tag": reverse("news:tag", args=["حلب"]),
        "search": reverse("search:search") + "?q=خبر",
        "corrections log": reverse("corrections:log"),
    }
    page = browser.new_page(locale="ar")
    script = TARGETS.replace("RUNNING_TEXT", repr(RUNNING_TEXT))
    measured = set()
    for name, url in pages.items():
        page.goto(live_server.url + url)
        targets = page.evaluate(script)
        measured.update(target["what"] for target in targets)
        small = [target for target in targets if target["width"] < 24 or target["height"] < 24]
        assert small == [], (name, small)
    # The small ones readers hit most are among those measured.
    assert {"card__comments", "comment__reply"} <= measured
