"""Stored pages are kept gzip-compressed and sent so to readers who accept gzip, as rendered to the others."""

import gzip
import pickle

import pytest
from django.core.cache import cache

from news.factories import ArticlePageFactory, SectionPageFactory
from pagecache import middleware, store

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def article(home):
    return ArticlePageFactory(parent=SectionPageFactory(parent=home), title="انقطاع الكهرباء في حلب")


def stored_entry(client, url) -> store.Entry:
    return cache.get(middleware._cache_key(client.get(url).wsgi_request))


def test_a_page_is_stored_compressed(client, article):
    page = client.get(article.url)
    entry = stored_entry(client, article.url)
    assert entry.gzipped
    assert len(entry.content) < len(page.content) / 2
    assert entry.identity() == page.content


def test_a_reader_who_accepts_gzip_gets_the_stored_compressed_copy(client, article):
    first = client.get(article.url, **BROWSER)
    second = client.get(article.url, **BROWSER)
    plain = client.get(article.url)
    assert (first["X-Cache"], second["X-Cache"], plain["X-Cache"]) == ("MISS", "HIT", "HIT")
    for response in (first, second):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
    assert "Content-Encoding" not in plain.headers
    assert "انقطاع الكهرباء في حلب" in plain.content.decode()
    # Two representations: each says that the other exists, and has an ETag of its own.
    for response in (second, plain):
        assert "Accept-Encoding" in response["Vary"]
    assert second["ETag"] != plain["ETag"]
    assert second["ETag"].startswith('"') and plain["ETag"].startswith('"')  # strong, both


@pytest.mark.parametrize(
    ("accept_encoding", "gets_gzip"),
    [
        ("gzip", True),
        ("deflate, GZIP;q=0.5", True),
        ("*", True),
        ("x-gzip", True),
        ("gzip;q=0, deflate", False),
        ("gzip; q=0.000", False),
        ("gzip;q=0, *", False),
        ("*;q=0", False),
        ("deflate, br", False),
        ("identity", False),
        ("", False),
    ],
)
def test_gzip_only_for_a_reader_who_accepts_it(client, article, accept_encoding, gets_gzip):
    client.get(article.url)
    response = client.get(article.url, HTTP_ACCEPT_ENCODING=accept_encoding)
    assert response["X-Cache"] == "HIT"
    assert (response.get("Content-Encoding") == "gzip") is gets_gzip


def test_head_gives_the_length_of_what_a_get_would_send(client, article):
    plain, compressed = client.get(article.url), client.get(article.url, **BROWSER)
    head = client.head(article.url)
    assert head.content == b"" and int(head["Content-Length"]) == len(plain.content)
    assert head["ETag"] == plain["ETag"] and "Content-Encoding" not in head.headers
    head = client.head(article.url, **BROWSER)
    assert head.content == b"" and int(head["Content-Length"]) == len(compressed.content)
    assert head["ETag"] == compressed["ETag"] and head["Content-Encoding"] == "gzip"


def test_every_copy_says_its_length(client, article):
    """Miss, hit and stale alike: without Content-Length gunicorn would send the page chunked, and nginx keep it so."""
    responses = [client.get(article.url, **BROWSER), client.get(article.url, **BROWSER), client.get(article.url)]
    store.invalidate(store.SITE)
    store.lock(middleware._cache_key(responses[0].wsgi_request), 30)  # another request is rendering it
    responses.append(client.get(article.url, **BROWSER))
    assert [response["X-Cache"] for response in responses] == ["MISS", "HIT", "HIT", "STALE"]
    for response in responses:
        assert int(response["Content-Length"]) == len(response.content)


def test_each_etag_is_not_modified_for_its_own_representation(client, article):
    plain_etag = client.get(article.url)["ETag"]
    gzip_etag = client.get(article.url, **BROWSER)["ETag"]
    not_modified = client.get(article.url, HTTP_IF_NONE_MATCH=gzip_etag, **BROWSER)
    assert not_modified.status_code == 304
    assert (not_modified["ETag"], not_modified["Vary"]) == (gzip_etag, "Accept-Encoding")
    assert client.get(article.url, HTTP_IF_NONE_MATCH=plain_etag).status_code == 304
    # The other representation's ETag: the page as this reader gets it.
    changed = client.get(article.url, HTTP_IF_NONE_MATCH=plain_etag, **BROWSER)
    assert changed.status_code == 200 and changed["Content-Encoding"] == "gzip"
    changed = client.get(article.url, HTTP_IF_NONE_MATCH=gzip_etag)
    assert changed.status_code == 200 and "Content-Encoding" not in changed.headers


def test_a_stale_copy_is_sent_compressed_too(client, article):
    plain = client.get(article.url)
    key = middleware._cache_key(plain.wsgi_request)
    store.invalidate(store.article_tag(article.pk))
    assert store.lock(key, 30)  # another worker is rendering the page
    try:
        stale = client.get(article.url, **BROWSER)
    finally:
        store.unlock(key)
    assert (stale["X-Cache"], stale["Content-Encoding"]) == ("STALE", "gzip")
    assert gzip.decompress(stale.content) == plain.content


def test_a_copy_stored_before_pages_were_compressed_is_still_served(client, article):
    page = client.get(article.url)
    key = middleware._cache_key(page.wsgi_request)
    # An Entry as the previous release pickled it: no content_encoding, the page as rendered.
    old = store.Entry.__new__(store.Entry)
    old.__dict__.update(
        status=200,
        headers=[(name, value) for name, value in page.items() if name.lower() not in middleware.UNSTORED_HEADERS],
        content=page.content,
        tags=store.tag_versions([store.SITE, store.CONTENT]),
        stored_at=store.time.time(),
        etag='"old-etag"',
    )
    old_pickle = pickle.dumps(old)
    assert b"content_encoding" not in old_pickle
    store.store(key, pickle.loads(old_pickle))  # noqa: S301 - bytes pickled by this test
    for request_headers in ({}, BROWSER):
        response = client.get(article.url, **request_headers)
        assert response["X-Cache"] == "HIT"
        assert response.content == page.content
        assert "Content-Encoding" not in response.headers
        assert response["ETag"] == '"old-etag"'


@pytest.mark.parametrize(
    ("content_type", "compressed"),
    [
        ("text/html; charset=utf-8", True),
        ("application/rss+xml; charset=utf-8", True),
        ("application/atom+xml", True),
        ("application/xml", True),
        ("application/json", True),
        ("text/plain", True),
        ("image/png", False),
        ("application/pdf", False),
        ("application/octet-stream", False),
    ],
)
def test_only_text_is_compressed(content_type, compressed):
    content = b"<item>" + "خبر عاجل ".encode() * 200 + b"</item>"
    entry = store.Entry(status=200, headers=[("Content-Type", content_type)], content=content, tags={}, stored_at=0)
    assert entry.gzipped is compressed
    assert (entry.content == content) is not compressed
    assert entry.identity() == content


def test_short_or_already_compressed_pages_are_left_alone():
    short = store.Entry(status=200, headers=[("Content-Type", "text/html")], content=b"<p>x</p>", tags={}, stored_at=0)
    assert not short.gzipped and short.content == b"<p>x</p>"
    packed = gzip.compress(b"<p>" + b"x" * 2000 + b"</p>")
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    already = store.Entry(status=200, headers=headers, content=packed, tags={}, stored_at=0)
    assert not already.gzipped and already.content == packed
