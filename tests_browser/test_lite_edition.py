"""The lite edition in a browser: text only, nothing from another site, no script, accessible on a small phone.

Screenshots go to NASHIR_SCREENSHOT_DIR when it is set (docs/screenshots/lite-article.png is one).
"""

from urllib.parse import unquote

import pytest
import wagtail_factories
from django.urls import reverse

from comments.models import Comment
from corrections.services import correction_note_publish
from news.factories import ArticlePageFactory, AuthorFactory
from search.services import articles_sync
from tests_browser.steps import needs_chromium
from tests_browser.test_reader_design import axe_violations, screenshot

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_chromium]

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 1}


@pytest.fixture
def story(seed_article):
    """A story with a photo in its body, a byline, a source, a tag, a comment and a correction."""
    article = ArticlePageFactory(
        parent=seed_article.get_parent(),
        title="محطة الكهرباء تعود إلى العمل بعد ترميمها",
        standfirst="عادت محطة الكهرباء في حلب إلى العمل بعد أشهر من الترميم، وتزيد ساعات التغذية في أحياء المدينة.",
        authors=[AuthorFactory(name="سلمى الحلبي")],
        tags=["حلب"],
        sources=[("وكالة الأنباء", "https://example.org/news/1", "agency")],
        featured_image=wagtail_factories.ImageFactory(file__width=1600, file__height=900),
        featured_image_caption="عمال في قاعة التوربينات",
        body=[
            {"type": "paragraph", "value": "<p>قال مدير المحطة إن التوربين الثاني عاد إلى العمل صباح الأحد.</p>"},
            {"type": "heading", "value": "ساعات تغذية أطول"},
            {"type": "paragraph", "value": "<p>وتتوقع المؤسسة أن تصل التغذية إلى عشر ساعات يوميًا.</p>"},
            {
                "type": "image",
                "value": {
                    "image": wagtail_factories.ImageFactory().pk,
                    "alt_text": "لوحة التحكم",
                    "caption": "لوحة التحكم بعد تحديثها",
                    "credit": "ناشر",
                },
            },
        ],
    )
    Comment.objects.create(
        article=article, name="قارئ", email="r@example.org", body="خبر مفرح.", status="approved", ip_address="1.2.3.4"
    )
    correction_note_publish(article=article, kind="correction", text="صحّحنا اسم المحطة.")
    articles_sync([article.pk, seed_article.pk])
    return article


def lite_pages(story):
    return {
        "home": "/lite/",
        "section": "/lite" + story.get_parent().url,
        "article": "/lite" + story.url,
        "search": "/lite" + reverse("search:search") + "?q=حلب",
        "corrections log": "/lite" + reverse("corrections:log"),
        "tag": "/lite" + reverse("news:tag", args=["حلب"]),
    }


def test_lite_pages_ask_for_one_stylesheet_and_nothing_else(reader, story, live_server):
    page = reader(**PHONE)
    requested = []
    page.on("request", lambda request: requested.append((request.resource_type, request.url)))
    for name, url in lite_pages(story).items():
        requested.clear()
        response = page.goto(url)
        assert response.status == 200, name
        assert page.evaluate("document.scripts.length") == 0, name
        assert page.locator("img").count() == 0, name
        # The page and its stylesheet, from this site: no font, image or script, nothing from elsewhere.
        assert {kind for kind, _url in requested} == {"document", "stylesheet"}, (name, requested)
        assert all(url.startswith(live_server.url) for _kind, url in requested), (name, requested)
        # Nothing wider than a small phone's screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
        if name == "article":
            screenshot(page, "lite-article")


def test_photos_are_links_and_the_footer_goes_between_editions(reader, story):
    page = reader(**PHONE)
    page.goto(story.url)
    page.get_by_role("link", name="النسخة الخفيفة من هذه الصفحة").click()
    assert unquote(page.url).endswith("/lite" + unquote(story.url))
    photo = page.get_by_role("link", name="صورة: لوحة التحكم بعد تحديثها")
    assert photo.get_attribute("href").startswith("/media/images/")
    assert page.get_by_text("صحّحنا اسم المحطة.").is_visible()
    assert page.get_by_text("خبر مفرح.").is_visible()
    page.get_by_role("link", name="سلمى الحلبي").click()
    assert "/lite/author/" in unquote(page.url)
    page.get_by_role("link", name="النسخة الكاملة").first.click()
    assert "/lite/" not in unquote(page.url) and "/author/" in unquote(page.url)


def test_the_lite_search_works_without_script(reader, story):
    page = reader(java_script_enabled=False, **PHONE)
    page.goto("/lite/")
    page.get_by_role("searchbox").first.fill("حلب")
    page.get_by_role("button", name="ابحث").first.click()
    assert "/lite/search/" in page.url
    page.get_by_role("link", name="محطة الكهرباء تعود إلى العمل بعد ترميمها").click()
    assert page.locator("h1").inner_text() == "محطة الكهرباء تعود إلى العمل بعد ترميمها"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations_in_the_lite_edition(reader, story, scheme):
    # axe is added to the page as an inline script, which the site's policy refuses: bypassed for the test only.
    page = reader(color_scheme=scheme, bypass_csp=True, **PHONE)
    for name, url in lite_pages(story).items():
        page.goto(url)
        assert axe_violations(page) == [], (scheme, name)
