"""Content-Security-Policy, Permissions-Policy and Referrer-Policy on every page type, from the cache too; security.txt."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote_to_bytes

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.urls import reverse

from comments.models import Comment
from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from news.factories import ArticlePageFactory, AuthorFactory, StoredEmbedFactory
from news.services import about_page_publish
from pagecache.wsgi import PageCacheApplication
from search.services import articles_sync

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "Referrer-Policy", "X-Content-Type-Options")


def parse_policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} twice"
        directives[name] = sources
    return directives


@pytest.fixture
def public_pages(seed_article):
    section = seed_article.get_parent()
    writer = AuthorFactory(name="سلمى الحلبي", bio="مراسلة.")
    article = ArticlePageFactory(
        title="خبر بصورة",
        parent=section,
        authors=[writer],
        tags=["حلب"],
        featured_image=wagtail_factories.ImageFactory(file__width=1600, file__height=900),
        body=[
            {"type": "paragraph", "value": "<p>فقرة.</p>"},
            {"type": "embed", "value": {"embed": StoredEmbedFactory().url, "caption": "تسجيل"}},
        ],
    )
    Comment.objects.create(
        article=article, name="قارئ", email="r@example.org", body="تعليق", status="approved", ip_address="1.2.3.4"
    )
    articles_sync([article.pk, seed_article.pk])
    about = about_page_publish(parent=section.get_parent().get_parent(), title="عن الموقع", paragraphs=["من نحن."])
    coverage = LiveCoveragePageFactory(parent=section)
    LiveEntryFactory(coverage=coverage, pinned=True)
    return {
        "home": "/",
        "section": section.url,
        "article": article.url,
        "seed-article": seed_article.url,
        "tag": reverse("news:tag", args=["حلب"]),
        "author": reverse("news:author", args=[writer.slug]),
        "desk": reverse("news:desk", args=[seed_article.desk.slug]),
        "about": about.url,
        "live": coverage.url,
        "search": reverse("search:search") + "?q=حلب",
        "corrections": reverse("corrections:log"),
        "correction-form": reverse("corrections:new", args=[article.pk]),
        "reply-form": reverse("corrections:reply", args=[article.pk]),
        "health": "/health/",
        "not-found": "/لا-توجد-صفحة/",
    }


def assert_public_policy(response, name):
    policy = parse_policy(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"], name
    assert policy["style-src"] == ["'self'"], name
    assert policy["default-src"] == ["'self'"], name
    assert policy["object-src"] == ["'none'"], name
    assert policy["base-uri"] == ["'none'"], name
    assert policy["frame-ancestors"] == ["'none'"], name
    assert policy["form-action"] == ["'self'"], name
    assert not any("unsafe" in source for sources in policy.values() for source in sources), name
    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert features[feature] == "()", (name, feature)
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", name


def test_every_public_page_type_has_the_strict_policy_and_no_inline_script(client, public_pages):
    for name, url in public_pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, response.status_code)
        assert_public_policy(response, name)
        html = BeautifulSoup(response.content, "html.parser")
        for script in html.find_all("script"):
            # JSON-LD is data: a browser does not run it and script-src does not apply.
            assert script.get("src") or script.get("type") == "application/ld+json", (name, str(script)[:200])
            assert script.get("src", "").startswith("/static/") or not script.get("src"), (name, script["src"])
        handlers = [
            (tag.name, attribute)
            for tag in html.find_all(True)
            for attribute in tag.attrs
            if attribute.startswith("on")
        ]
        assert handlers == [], name
        assert html.find_all(style=True) == [], name
        assert html.find_all("style") == [], name
        assert not re.search(rb'href=["\']javascript:', response.content), name


def test_a_page_from_the_cache_carries_the_same_headers(client, public_pages):
    url = public_pages["article"]
    first = client.get(url)
    second = client.get(url)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")

    def django_must_not_answer(environ, start_response):
        raise AssertionError("the stored page should have been answered before Django")

    environ = RequestFactory()._base_environ(PATH_INFO=unquote_to_bytes(url).decode("iso-8859-1"))
    answered = {}
    body = PageCacheApplication(django_must_not_answer)(
        environ, lambda status, headers: answered.update(status=status, headers=dict(headers))
    )
    assert b"".join(body) == first.content
    assert answered["headers"]["X-Cache"] == "HIT"
    for header in SECURITY_HEADERS:
        assert first[header] == second[header] == answered["headers"][header], header


def test_the_admin_is_as_strict_as_wagtail_allows(admin_client, public_pages, seed_article):
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[seed_article.pk]),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add"),
        reverse("wagtaildocs:index"),
        reverse("wagtailadmin_login"),
    ):
        response = admin_client.get(url)
        assert response.status_code in (200, 302), url
        policy = parse_policy(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'self'"], url
        assert policy["form-action"] == ["'self'"], url
        assert policy["connect-src"] == ["'self'"], url
        assert "'unsafe-eval'" not in policy["script-src"], url
        assert "Report-Only" not in "".join(response.headers), url
        assert "camera=()" in response["Permissions-Policy"], url


def test_an_absolute_media_url_is_allowed_for_images(client, settings, home):
    settings.MEDIA_URL = "https://media.news.example/files/"
    policy = parse_policy(client.get("/")["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "data:", "https://media.news.example"]


def test_security_txt_follows_rfc_9116(client, settings):
    settings.NASHIR_SECURITY_CONTACT = "mailto:security@news.example"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines() if line)
    assert fields["Contact"] == "mailto:security@news.example"
    assert fields["Preferred-Languages"] == "ar, en"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=30) < expires - datetime.now(UTC) < timedelta(days=365)


def test_no_contact_no_security_txt(client, settings):
    settings.NASHIR_SECURITY_CONTACT = ""
    assert client.get("/.well-known/security.txt").status_code == 404


def test_the_dashboard_asks_no_other_site_for_wagtails_latest_release(admin_client):
    """Wagtail's update check would have every superuser's browser call releases.wagtail.org."""
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert 'data-controller="w-upgrade' not in response.content.decode()
