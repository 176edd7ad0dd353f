"""Anonymous readers get stored pages; what changes a page makes its copies stale at once."""

import datetime
import time
import types

import pytest
import wagtail_factories
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from comments.models import Comment, CommentStatus
from corrections.models import CorrectionNote, NoteKind
from news.factories import ArticlePageFactory, AuthorFactory, DeskFactory, SectionPageFactory
from news.listings import PAGE_SIZE
from pagecache import middleware, store
from testing.helpers import RecordingBackend, parse
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(home):
    section = SectionPageFactory(parent=home, title="اقتصاد")
    return ArticlePageFactory(
        parent=section, title="الليرة تتراجع أمام الدولار", authors=[AuthorFactory(name="سامر")], tags=["الليرة"]
    )


def test_a_second_reader_gets_the_stored_page_without_a_query(client, article):
    first = client.get(article.url)
    assert first["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(article.url)
    assert second["X-Cache"] == "HIT"
    assert len(queries.captured_queries) == 0
    assert second.content == first.content
    assert "الليرة تتراجع أمام الدولار" in parse(second).h1.get_text()


def test_stored_pages_tell_shared_caches_what_they_may_do(client, article):
    response = client.get(article.url)
    cache_control = response["Cache-Control"]
    assert cache_control.startswith("public")
    assert "max-age=0" in cache_control
    assert "s-maxage=60" in cache_control
    assert response["X-Accel-Expires"] == "1"
    assert response["ETag"].startswith('"')
    assert "Set-Cookie" not in response.headers


def test_a_view_with_a_public_lifetime_of_its_own_keeps_it():
    """An endpoint polled every few seconds is kept seconds by nginx and a CDN, not a minute."""
    own = HttpResponse()
    own["Cache-Control"] = "public, max-age=0, s-maxage=5"
    own["X-Accel-Expires"] = "2"
    middleware._public_headers(own)
    assert (own["Cache-Control"], own["X-Accel-Expires"]) == ("public, max-age=0, s-maxage=5", "2")
    half = HttpResponse()
    half["Cache-Control"] = "public, max-age=0, s-maxage=5"
    middleware._public_headers(half)
    assert "s-maxage=60" in half["Cache-Control"]


def test_a_matching_etag_or_date_gets_304(client, article):
    response = client.get(article.url)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(article.url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(article.url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(article.url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    # The same ETag on the copy served from the cache as on the first render.
    assert client.get(article.url)["ETag"] == etag


def test_editors_never_get_a_stored_page(client, article):
    client.get(article.url)  # a reader stores it
    editor = User.objects.create_superuser("editor", "editor@example.org", "x")
    client.force_login(editor)
    response = client.get(article.url)
    assert response["X-Cache"] == "BYPASS"
    assert "private" in response["Cache-Control"]
    assert "X-Accel-Expires" not in response.headers
    # Nor does what an editor sees become what readers get.
    client.logout()
    assert client.get(article.url)["X-Cache"] == "HIT"


def test_previews_and_the_admin_are_never_stored(admin_client, article):
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[article.pk]), preview):
        response = admin_client.get(url)
        assert response["X-Cache"] == "BYPASS"
        assert "X-Accel-Expires" not in response.headers


def page_kinds(article):
    section = article.get_parent()
    tag = article.tags.get()
    author = article.bylines.get().author
    return {
        "home": "/",
        "section": section.url,
        "tag": reverse("news:tag", args=[tag.slug]),
        "author": author.get_absolute_url(),
        "feed": reverse("news:feed"),
        "section feed": reverse("news:section_feed", args=[section.pk]),
        "news sitemap": reverse("news_sitemap"),
        "search": "/search/?q=" + "الليرة",
    }


def test_a_published_story_is_on_every_listing_at_once(client, article):
    urls = page_kinds(article)
    for url in urls.values():
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    new = ArticlePageFactory(
        parent=article.get_parent(),
        title="البنك المركزي يرفع سعر الفائدة",
        authors=[article.bylines.get().author],
        tags=["الليرة"],
        live=False,
        first_published_at=None,  # set when published: a story of today, for the news sitemap
    )
    for url in urls.values():  # a draft changes nothing readers see
        assert client.get(url)["X-Cache"] == "HIT"
    new.save_revision().publish()
    for kind, url in urls.items():
        response = client.get(url)
        assert response["X-Cache"] == "MISS", kind
        assert "البنك المركزي يرفع سعر الفائدة" in response.content.decode(), kind


def test_an_edit_is_on_the_article_and_the_listings(client, article):
    client.get(article.url)
    client.get("/")
    revision = article.get_latest_revision_as_object()
    revision.title = "الليرة تتعافى أمام الدولار"
    revision.save_revision().publish()
    assert parse(client.get(article.url)).h1.get_text(strip=True) == "الليرة تتعافى أمام الدولار"
    assert "الليرة تتعافى أمام الدولار" in client.get("/").content.decode()


def test_an_unpublished_story_leaves_its_page_and_every_listing(client, article):
    for url in (article.url, "/", article.get_parent().url):
        client.get(url)
    article.unpublish()
    assert client.get(article.url).status_code == 404
    assert "الليرة تتراجع أمام الدولار" not in client.get("/").content.decode()
    assert "الليرة تتراجع أمام الدولار" not in client.get(article.get_parent().url).content.decode()


def test_a_view_restriction_takes_the_story_out_of_the_cache(client, article):
    client.get(article.url)
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 302  # to the login page, not the stored copy


def test_an_approved_comment_shows_at_once(client, article):
    comment = Comment.objects.create(
        article=article, name="ريم", email="reem@example.org", body="شكرًا على المتابعة الدقيقة", status="pending"
    )
    assert "شكرًا على المتابعة الدقيقة" not in client.get(article.url).content.decode()
    comment.status = CommentStatus.APPROVED
    comment.save()
    assert "شكرًا على المتابعة الدقيقة" in client.get(article.url).content.decode()


def test_comments_approved_in_bulk_show_at_once(admin_client, client, article):
    comment = Comment.objects.create(
        article=article, name="ريم", email="reem@example.org", body="تعليق ينتظر الموافقة", status="pending"
    )
    client.get(article.url)
    url = reverse("wagtail_bulk_action", args=["comments", "comment", "approve"])
    response = admin_client.post(f"{url}?id={comment.pk}&next=/admin/")
    assert response.status_code == 302
    assert Comment.objects.get().status == CommentStatus.APPROVED
    assert "تعليق ينتظر الموافقة" in client.get(article.url).content.decode()


def test_a_correction_note_shows_on_the_article_and_the_log(client, article):
    log = reverse("corrections:log")
    client.get(article.url)
    client.get(log)
    CorrectionNote.objects.create(
        article=article, kind=NoteKind.CORRECTION, text="صُحّح سعر الصرف المذكور في الفقرة الثانية."
    )
    assert "صُحّح سعر الصرف" in client.get(article.url).content.decode()
    assert "صُحّح سعر الصرف" in client.get(log).content.decode()


def test_a_renamed_desk_shows_everywhere(client, home):
    desk = DeskFactory(name="قسم الأخبار")
    article = ArticlePageFactory(parent=SectionPageFactory(parent=home), desk=desk, authors=[])
    assert "قسم الأخبار" in client.get(article.url).content.decode()
    desk.name = "غرفة الأخبار"
    desk.save()
    assert "غرفة الأخبار" in client.get(article.url).content.decode()


def test_an_edited_image_shows_everywhere(client, home):
    image = wagtail_factories.ImageFactory(title="صورة", description="مبنى البرلمان")
    article = ArticlePageFactory(parent=SectionPageFactory(parent=home), featured_image=image)
    figure_alt = parse(client.get(article.url)).select_one(".article__figure img")["alt"]
    assert figure_alt == "مبنى البرلمان"
    image.get_file_size()  # Wagtail notes the size on first use: nothing a reader sees changes
    image.description = "قاعة البرلمان"
    image.save()
    assert parse(client.get(article.url)).select_one(".article__figure img")["alt"] == "قاعة البرلمان"


def test_personal_confirmations_are_never_stored_or_served_from_the_cache(client, article):
    client.get(article.url)
    response = client.get(f"{article.url}?posted=anything")
    assert response["X-Cache"] == "BYPASS"


def test_tracking_parameters_share_the_readers_copy(client, article):
    client.get(article.url)
    response = client.get(f"{article.url}?utm_source=facebook&fbclid=abc")
    assert response["X-Cache"] == "HIT"
    assert client.get(f"{article.url}?page=2")["X-Cache"] == "MISS"


def test_repeated_parameters_keep_their_order_in_the_key(client, home):
    """Of a repeated parameter the last one counts: `?page=2&page=1` is page 1, `?page=1&page=2` page 2."""
    section = SectionPageFactory(parent=home, title="اقتصاد")
    ArticlePageFactory.create_batch(PAGE_SIZE + 1, parent=section)
    first = client.get(f"{section.url}?page=2&page=1")
    second = client.get(f"{section.url}?page=1&page=2")
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "MISS")
    assert parse(first).select_one(".pagination [aria-current]").get_text() == "صفحة 1 من 2"
    assert parse(second).select_one(".pagination [aria-current]").get_text() == "صفحة 2 من 2"
    assert client.get(f"{section.url}?page=1&page=2").content == second.content


def test_a_stale_copy_is_served_while_another_request_regenerates_it(client, article):
    client.get(article.url)
    key = middleware._cache_key(client.get(article.url).wsgi_request)
    store.invalidate(store.article_tag(article.pk))
    assert store.lock(key, 30)  # another worker is rendering the page right now
    response = client.get(article.url)
    assert response["X-Cache"] == "STALE"
    assert "الليرة تتراجع أمام الدولار" in response.content.decode()
    # Neither nginx nor a CDN may keep a copy known to be old, or it would outlive the new page.
    assert response["X-Accel-Expires"] == "0"
    assert "s-maxage=0" in response["Cache-Control"]
    store.unlock(key)
    response = client.get(article.url)
    assert response["X-Cache"] == "MISS"
    assert response["X-Accel-Expires"] == "1"


def test_without_any_copy_a_reader_waits_for_the_render_in_progress(client, article, monkeypatch):
    """Nothing stored and another request rendering: wait for it (here it never ends, so render after the wait)."""
    monkeypatch.setattr(middleware, "WAIT_SECONDS", 0.1)
    response = client.get(article.url)
    key = middleware._cache_key(response.wsgi_request)
    from django.core.cache import cache

    cache.delete(key)
    assert store.lock(key, 30)
    response = client.get(article.url)
    assert response.status_code == 200
    assert "الليرة تتراجع أمام الدولار" in response.content.decode()


def test_a_stale_copy_is_served_when_the_page_fails(client, article, monkeypatch):
    client.get(article.url)
    store.invalidate(store.SITE)

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("the database is gone")

    monkeypatch.setattr(type(article), "serve", broken)
    client.raise_request_exception = False
    response = client.get(article.url)
    assert response.status_code == 200
    assert response["X-Cache"] == "STALE"


def test_a_stored_page_expires(client, article, settings, monkeypatch):
    client.get(article.url)
    later = timezone.now() + datetime.timedelta(seconds=settings.NASHIR_PAGE_CACHE_SECONDS + 1)
    # The store's own clock moves on; the rest of the process keeps the real one.
    monkeypatch.setattr(store, "time", types.SimpleNamespace(time=later.timestamp, time_ns=time.time_ns))
    assert client.get(article.url)["X-Cache"] == "MISS"


def test_the_cache_can_be_turned_off(client, article, settings):
    settings.NASHIR_PAGE_CACHE = False
    client.get(article.url)
    assert client.get(article.url)["X-Cache"] == "BYPASS"


def test_publishing_purges_the_story_and_its_listings_from_a_cdn(article, settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": "testing.helpers.RecordingBackend"}}
    RecordingBackend.purged = []
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    paths = {url.removeprefix("http://localhost") for url in RecordingBackend.purged}
    section = article.get_parent()
    tag = article.tags.get()
    assert article.url in paths
    assert {
        "/",
        section.url,
        reverse("news:feed"),
        reverse("news_sitemap"),
        reverse("news:tag", args=[tag.slug]),
    } <= paths
    # The lite edition's copies of the article and its listings, not of feeds (it has none).
    assert {
        "/lite" + article.url,
        "/lite/",
        "/lite" + section.url,
        "/lite" + reverse("news:tag", args=[tag.slug]),
    } <= paths
    assert not any(path.startswith("/lite") and "/feed/" in path for path in paths)


def test_head_gets_the_headers_of_the_stored_page_without_its_body(client, article):
    page = client.get(article.url)
    head = client.head(article.url)
    assert head.status_code == 200 and head["X-Cache"] == "HIT"
    assert head.content == b""
    assert int(head["Content-Length"]) == len(page.content)
    assert head["ETag"] == page["ETag"]


def test_a_reader_waiting_for_a_page_that_is_not_stored_stops_waiting(client, home, monkeypatch):
    """A render that stores nothing (a 404) releases the waiters at once, not after the wait."""
    response = client.get("/no-such-page/")
    key = middleware._cache_key(response.wsgi_request)
    assert store.lock(key, 30)
    store.unlock(key)
    started = time.monotonic()
    assert middleware.PageCacheMiddleware(lambda request: None)._wait(key) is None
    assert time.monotonic() - started < 1


def test_a_published_reply_shows_at_once(client, article):
    from corrections.services import reply_publish

    client.get(article.url)
    reply_publish(article=article, organisation="وزارة الاقتصاد", statement="ننفي ما ورد في الخبر عن سعر الصرف.")
    page = client.get(article.url)
    assert page["X-Cache"] == "MISS"
    assert "ننفي ما ورد في الخبر عن سعر الصرف." in page.content.decode()


def test_a_page_stored_for_https_is_not_served_over_http(client, article, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(article.url, secure=True)["X-Cache"] == "MISS"
    assert client.get(article.url, secure=True)["X-Cache"] == "HIT"
    response = client.get(article.url)  # plain http: the redirect, never the stored page
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
