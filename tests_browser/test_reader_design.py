"""The reader's page as designed: the site's own fonts, light and dark, print, sharing and reading aids, accessibility.

axe-core (npm, `npm ci --ignore-scripts`) checks each page against WCAG 2.2 A and AA;
where it is missing the axe test is skipped, except in CI, where it fails.
Screenshots go to NASHIR_SCREENSHOT_DIR when it is set (docs/screenshots holds a set).
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect
from wagtail_factories import ImageFactory

from comments.models import Comment
from corrections.services import correction_note_publish
from news import structured_data
from news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from tests_browser.steps import needs_chromium

# Layout, theme and origins: what the browser makes of the pages, the same whatever the database.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_chromium,
    pytest.mark.database_agnostic,
]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def story(seed_article):
    """A story with everything the article page can show: byline, sources, tags, a comment and a correction."""
    article = ArticlePageFactory(
        parent=seed_article.get_parent(),
        title="محطة الكهرباء تعود إلى العمل في 2020",
        authors=[AuthorFactory(name="سلمى الحلبي")],
        tags=["حلب"],
        sources=[("وكالة الأنباء", "https://example.org/news/1", "agency")],
    )
    Comment.objects.create(
        article=article, name="قارئ", email="r@example.org", body="تعليق", status="approved", ip_address="1.2.3.4"
    )
    correction_note_publish(article=article, kind="correction", text="صحّحنا اسم المتحدث.")
    return article


def screenshot(page, name):
    folder = os.environ.get("NASHIR_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


WHITE, DARK = "rgb(255, 255, 255)", "rgb(20, 19, 18)"


def test_fonts_come_from_the_site_and_draw_latin_digits_too(reader, story, live_server):
    page = reader()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for url in ("/", story.url):
        page.goto(url)
        page.evaluate("document.fonts.ready.then(() => true)")
    fonts = [url for url in requested if url.endswith(".woff2")]
    assert fonts, "no font was requested"
    assert all(url.startswith(live_server.url + "/static/fonts/") for url in fonts), fonts
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => [f.family, f.weight, f.unicodeRange])"
    )
    families = {(family.strip('"'), weight) for family, weight, _ in loaded}
    assert {("Noto Naskh Arabic", "400"), ("Noto Kufi Arabic", "700")} <= families
    # The Latin subset of the text face is there for the "2020" of the title and dates.
    assert any(f[0].strip('"') == "Noto Naskh Arabic" and "U+0-FF" in f[2].upper() for f in loaded), loaded
    assert page.evaluate("document.fonts.check('400 16px \"Noto Naskh Arabic\"', '2020 عربي')")
    title_font = page.locator(".article__title").evaluate("e => getComputedStyle(e).fontFamily")
    assert title_font.startswith('"Noto Kufi Arabic"')


def test_dark_follows_the_system_without_javascript(reader, story):
    page = reader(color_scheme="dark", java_script_enabled=False)
    page.goto(story.url)
    assert background(page) == DARK
    assert page.locator(".theme-toggle").is_hidden()
    # The share links and the short link work as they are; the copy buttons need a script.
    assert page.locator(".share__links a").count() == 5
    assert page.locator("#short-link").is_visible()
    assert page.locator(".share button").evaluate_all("buttons => buttons.every(b => b.hidden)")
    light = reader(color_scheme="light", java_script_enabled=False)
    light.goto(story.url)
    assert background(light) == WHITE


def test_the_readers_choice_of_theme_is_remembered_and_the_page_stays_the_same_for_all(reader, story):
    page = reader(color_scheme="light")
    first = page.goto(story.url).text()
    toggle = page.locator(".theme-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    assert background(page) == WHITE
    screenshot(page, "article-light")

    toggle.click()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert toggle.get_attribute("aria-pressed") == "true"
    assert background(page) == DARK

    again = page.reload().text()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert background(page) == DARK
    screenshot(page, "article-dark")
    # The choice lives in the browser: the server sent the same page, and no cookie holds it.
    assert again == first
    assert [cookie["name"] for cookie in page.context.cookies()] == []

    page.locator(".theme-toggle").click()
    page.reload()
    assert page.locator("html").get_attribute("data-theme") == "light"
    assert background(page) == WHITE

    # A reader whose system is dark may choose light.
    night = reader(color_scheme="dark")
    night.goto("/")
    assert background(night) == DARK
    assert night.locator(".theme-toggle").get_attribute("aria-pressed") == "true"
    screenshot(night, "home-dark")
    night.locator(".theme-toggle").click()
    assert background(night) == WHITE


def test_print_shows_the_story_and_its_address_without_menus_forms_or_asides(reader, story):
    page = reader(color_scheme="dark")
    page.goto(story.url)
    page.emulate_media(media="print")
    for hidden in (".site-nav", ".site-search", ".theme-toggle", ".breadcrumbs", ".share", ".comments", "form"):
        assert page.locator(hidden).first.is_hidden(), hidden
    for shown in (
        ".article__title",
        ".article__byline",
        ".article__published",
        ".article__sources",
        ".correction-notes",
    ):
        assert page.locator(shown).is_visible(), shown
    address = page.locator(".article__address")
    assert address.is_visible()
    assert address.inner_text().endswith(structured_data.absolute_url(f"/a/{story.pk}/"))
    # Paper is white, whatever the screen's theme.
    assert background(page) == WHITE
    screenshot(page, "article-print")
    source_after = page.locator(".article__sources a").evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://example.org/news/1" in source_after
    page.emulate_media(media="screen")
    assert address.is_hidden()


def test_share_links_carry_the_address_and_title_and_load_nothing_until_clicked(reader, story, live_server):
    page = reader()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(story.url)
    url = structured_data.absolute_url(story.url)
    links = {a.get_attribute("data-service"): a.get_attribute("href") for a in page.locator(".share__links a").all()}
    assert set(links) == {"whatsapp", "telegram", "x", "facebook", "email"}

    def split(href):
        parts = urlsplit(href)
        return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query, strict_parsing=True)

    assert split(links["whatsapp"]) == ("https://wa.me/", {"text": [f"{story.title} {url}"]})
    assert split(links["telegram"]) == ("https://t.me/share/url", {"url": [url], "text": [story.title]})
    assert split(links["x"]) == ("https://x.com/intent/post", {"url": [url], "text": [story.title]})
    assert split(links["facebook"]) == ("https://www.facebook.com/sharer/sharer.php", {"u": [url]})
    mail = urlsplit(links["email"])
    assert mail.scheme == "mailto" and "+" not in mail.query  # mail clients read + as a plus sign, not a space
    assert parse_qs(mail.query) == {"subject": [story.title], "body": [f"{story.title}\n{url}"]}
    assert [request for request in requested if not request.startswith(live_server.url)] == []


def test_copying_the_link_and_the_short_link(reader, story, live_server):
    page = reader(permissions=["clipboard-read", "clipboard-write"])
    page.goto(story.url)
    short = page.locator("#short-link")
    short_url = structured_data.absolute_url(reverse("news:short_link", args=[story.pk]))
    assert short.input_value() == short_url

    page.get_by_role("button", name="انسخ الرابط").click()
    expect(page.locator("#share-status")).to_have_text("نُسخ رابط الخبر.")
    assert page.evaluate("navigator.clipboard.readText()") == structured_data.absolute_url(story.url)

    page.get_by_role("button", name="انسخ", exact=True).click()
    expect(page.locator("#share-status")).to_have_text("نُسخ الرابط المختصر.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == short_url
    # The short link leads to the story.
    page.goto(live_server.url + urlsplit(copied).path)
    assert urlsplit(page.url).path == urlsplit(structured_data.absolute_url(story.url)).path


def test_reading_time_is_shown_in_arabic(reader, story):
    page = reader()
    page.goto(story.url)
    assert page.locator(".article__reading-time").inner_text().startswith("وقت القراءة: ")


def axe_violations(page):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run axe-core: run `npm ci --ignore-scripts`")
        pytest.skip("needs axe-core (`npm ci --ignore-scripts`)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    # The contrast rule ran and found text to measure: the theme's colours were checked.
    assert "color-contrast" in {rule["id"] for rule in result["passes"]}
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:5], violation["help"])
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations_in_light_or_dark(reader, story, seed_article, scheme):
    # axe is added to the page as an inline script, which the site's policy refuses: bypassed for the test only.
    page = reader(color_scheme=scheme, bypass_csp=True)
    pages = {
        "home": "/",
        "section": seed_article.get_parent().url,
        "article with comments and a correction": story.url,
        "seed article": seed_article.url,
        "search": reverse("search:search") + "?q=حلب",
        "corrections log": reverse("corrections:log"),
    }
    for name, url in pages.items():
        page.goto(url)
        page.evaluate("document.fonts.ready.then(() => true)")
        assert axe_violations(page) == [], (scheme, name)


WIDTHS = [360, 390, 768, 1024, 1280, 1920]


@pytest.fixture
def front_page(story, seed_article):
    """Enough for every block of the layouts: stories with pictures in two sections, an author with photo and bio."""
    section = seed_article.get_parent()
    other = SectionPageFactory(parent=section.get_parent(), title="اقتصاد")
    writer = AuthorFactory(name="هالة الشامي", role="كاتبة رأي", bio="كاتبة في الاقتصاد السوري.", photo=ImageFactory())
    for number in range(6):
        ArticlePageFactory(
            parent=other if number % 2 else section,
            title=f"خبر مصوَّر رقم {number + 1} عن الأسواق",
            authors=[writer],
            featured_image=ImageFactory(file__width=1600, file__height=900),
        )
    return {"section": section, "writer": writer}


def layout_pages(story, front_page):
    return {
        "home": "/",
        "section": front_page["section"].url,
        "article": story.url,
        "search": reverse("search:search") + "?q=حلب",
        "author": reverse("news:author", args=[front_page["writer"].slug]),
        "404": "/لا-توجد-صفحة/",
    }


def no_blank_half(page):
    """The main content reaches across the container: no column left empty beside it."""
    return page.evaluate(
        """() => {
          const main = document.querySelector('main').getBoundingClientRect();
          const blocks = [...document.querySelectorAll('main > *')].filter(e => e.getBoundingClientRect().height > 0);
          const left = Math.min(...blocks.map(e => e.getBoundingClientRect().left));
          const right = Math.max(...blocks.map(e => e.getBoundingClientRect().right));
          return (right - left) / main.width;
        }"""
    )


def test_layouts_at_every_width_without_empty_columns_or_other_origins(reader, story, front_page, live_server):
    articles_and_home = {"home", "article", "section", "author"}
    for width in WIDTHS:
        page = reader(viewport={"width": width, "height": 900})
        requested = []
        page.on("request", lambda request, requested=requested: requested.append(request.url))
        for name, url in layout_pages(story, front_page).items():
            page.goto(url)
            page.evaluate("document.fonts.ready.then(() => true)")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, width)
            if name in articles_and_home and width >= 1024:
                assert no_blank_half(page) > 0.95, (name, width)
            screenshot(page, f"layout-{name}-{width}")
        assert [url for url in requested if not url.startswith(live_server.url)] == [], width
    # At a desktop width the article has its aside beside it; on a phone the cards are compact lists.
    desk = reader(viewport={"width": 1280, "height": 900})
    desk.goto(story.url)
    article_box = desk.locator(".article-column").bounding_box()
    aside_box = desk.locator(".page-aside").bounding_box()
    assert aside_box["x"] + aside_box["width"] <= article_box["x"]  # RTL: the aside on the left
    assert desk.locator(".page-aside .related .card").count() >= 1
    phone = reader(viewport={"width": 360, "height": 800})
    phone.goto("/")
    thumb = phone.locator(".latest .card--image .card__image img, .second-tier .card--image .card__image img").first
    assert thumb.bounding_box()["width"] < 150
    # Below the fold, pictures wait; the lead does not.
    assert phone.locator(".lead img").get_attribute("loading") is None
    assert phone.locator(".section-block img").first.get_attribute("loading") == "lazy"
    assert phone.locator(".section-block img").first.get_attribute("srcset")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_layouts_have_no_accessibility_violations(reader, story, front_page, scheme):
    for width in (360, 1280):
        page = reader(color_scheme=scheme, bypass_csp=True, viewport={"width": width, "height": 900})
        for name, url in layout_pages(story, front_page).items():
            page.goto(url)
            page.evaluate("document.fonts.ready.then(() => true)")
            assert axe_violations(page) == [], (scheme, width, name)
            if scheme == "dark":
                screenshot(page, f"layout-{name}-{width}-dark")
