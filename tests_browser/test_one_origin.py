"""Readers' browsers ask no other site for anything: every public page type loads from this origin alone.

A request to another origin tells that site who reads what (a font CDN, an
analytics script, a video player). The sweep loads each page type with the
Content-Security-Policy switched off in the browser, so that a third-party
font, script or frame in a template shows up as a request here instead of
being quietly refused by the policy (nashir/tests/test_security_headers.py
tests the policy itself). An embed asks its provider only after the reader's
click, under the real policy.
"""

from urllib.parse import urlsplit

import pytest
import wagtail_factories
from django.urls import reverse
from wagtail.models import PageViewRestriction

from comments.models import Comment
from corrections.services import correction_note_publish
from news.factories import ArticlePageFactory, AuthorFactory, StoredEmbedFactory, every_kind_of_block
from news.services import about_page_publish
from search.services import articles_sync
from tests_browser.steps import needs_chromium

# Layout, theme and origins: what the browser makes of the pages, the same whatever the database.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_chromium,
    pytest.mark.database_agnostic,
]

PROVIDER = "https://www.youtube.com"


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def site(seed_article):
    """One of each public page type, the article with every kind of block, sources, comments and a correction."""
    section = seed_article.get_parent()
    home = section.get_parent()
    writer = AuthorFactory(name="سلمى الحلبي", bio="مراسلة.")
    embed = StoredEmbedFactory()
    article = ArticlePageFactory(
        title="خبر بكل أنواع الكتل",
        parent=section,
        authors=[writer],
        tags=["حلب"],
        featured_image=wagtail_factories.ImageFactory(file__width=1600, file__height=900),
        featured_image_caption="صورة من حلب",
        sources=[("وكالة", "https://example.org/", "agency")],
        body=every_kind_of_block(embed_url=embed.url, embed_caption="تسجيل من الوقفة"),
    )
    # Enough stories for a second page of the section.
    for _ in range(20):
        ArticlePageFactory(parent=section, authors=[writer], tags=["حلب"])
    Comment.objects.create(
        article=article, name="قارئ", email="r@example.org", body="تعليق", status="approved", ip_address="1.2.3.4"
    )
    correction_note_publish(article=article, kind="correction", text="صحّحنا اسم المتحدث.")
    locked = ArticlePageFactory(title="خبر بكلمة سر", parent=section)
    PageViewRestriction.objects.create(page=locked, restriction_type=PageViewRestriction.PASSWORD, password="سر")
    articles_sync([article.pk, seed_article.pk])
    about = about_page_publish(parent=home, title="عن الموقع", paragraphs=["من نحن."])
    policy = about_page_publish(parent=about, title="سياسة التصحيح", paragraphs=["نصحّح علنًا."])
    pages = {
        "home": "/",
        "section": section.url,
        "section, page 2": section.url + "?page=2",
        "article": article.url,
        "seed article": seed_article.url,
        "short link": reverse("news:short_link", args=[article.pk]),
        "password-protected article": locked.url,
        "tag": reverse("news:tag", args=["حلب"]),
        "author": reverse("news:author", args=[writer.slug]),
        "desk": reverse("news:desk", args=[seed_article.desk.slug]),
        "about": about.url,
        "policy": policy.url,
        "search results": reverse("search:search") + "?q=حلب",
        "search, nothing found": reverse("search:search") + "?q=قزقزقز",
        "search form": reverse("search:search"),
        "corrections log": reverse("corrections:log"),
        "correction form": reverse("corrections:new", args=[article.pk]),
        "reply form": reverse("corrections:reply", args=[article.pk]),
        "not found": "/لا-توجد-صفحة/",
        "API docs": "/api/v1/docs",
        "staff login": "/admin/login/",
    }
    return {"pages": pages, "article": article, "embed": embed}


def test_every_public_page_type_asks_nothing_of_another_origin(live_server, site, browser):
    here = origin(live_server.url)
    context = browser.new_context(locale="ar", base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(15_000)
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    # Offline or not, nothing leaves the machine: another origin's request is recorded, then refused.
    context.route(lambda url: origin(url) != here, lambda route: route.abort())
    page = context.new_page()
    seen = {}
    for name, path in site["pages"].items():
        requests.clear()
        response = page.goto(path, wait_until="load")
        assert response.status == (404 if name == "not found" else 200), (name, response.status)
        # Lazy images below the fold load once scrolled to.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        seen[name] = list(requests)
    context.close()

    elsewhere = {name: [url for url in urls if origin(url) != here] for name, urls in seen.items()}
    assert {name: urls for name, urls in elsewhere.items() if urls} == {}
    # The sweep saw the pages' own files: styles, the scripts, the images.
    assert any(url.endswith(".css") for url in seen["home"])
    assert any("/static/news/embeds.js" in url for url in seen["article"])
    assert any("/media/images/" in url for url in seen["article"])
    assert any("/static/ninja/" in url for url in seen["API docs"])


def test_an_embed_asks_its_provider_only_after_the_click(live_server, site, browser):
    context = browser.new_context(locale="ar", base_url=live_server.url)
    context.set_default_timeout(15_000)
    to_provider = []
    # The provider's player, answered here: the test runs offline.
    context.route(
        f"{PROVIDER}/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body="<!doctype html><title>player</title><p>مشغّل الفيديو</p>",
        ),
    )
    context.on("request", lambda request: to_provider.append(request.url) if origin(request.url) == PROVIDER else None)
    page = context.new_page()
    page.goto(site["article"].url, wait_until="load")
    page.wait_for_load_state("networkidle")
    figure = page.locator("figure.embed")
    assert figure.locator(".embed__title").inner_text() == "تسجيل من الوقفة"
    assert figure.locator("iframe").count() == 0
    assert to_provider == []

    with page.expect_request(f"{PROVIDER}/**") as request:
        figure.get_by_role("button", name="اعرض المحتوى من YouTube").click()
    assert request.value.url == "https://www.youtube.com/embed/nashir-test?feature=oembed"
    # The placeholder gave way to the provider's frame, which the page's policy lets load.
    assert figure.locator(".embed__placeholder").count() == 0
    frame = figure.locator("iframe")
    assert frame.get_attribute("title") == "تسجيل من الوقفة"
    assert page.frame_locator("figure.embed iframe").locator("p").inner_text() == "مشغّل الفيديو"
    assert figure.locator("figcaption").inner_text() == "تسجيل من الوقفة"
    context.close()


def test_without_javascript_an_embed_is_a_link_to_the_provider(live_server, site, browser):
    context = browser.new_context(locale="ar", base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(site["article"].url)
    figure = page.locator("figure.embed")
    assert not figure.locator("button").is_visible()
    link = figure.get_by_role("link", name="افتحه في موقع YouTube")
    assert link.get_attribute("href") == site["embed"].url
    assert figure.locator("iframe").count() == 0
    context.close()
