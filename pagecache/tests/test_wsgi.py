"""Stored pages answered by the WSGI wrapper, before Django's request handling."""

import gzip
import importlib
import json
import logging
import sys
from urllib.parse import unquote, unquote_to_bytes

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

import nashir
from news.factories import ArticlePageFactory, SectionPageFactory
from operations.middleware import request_log
from pagecache.wsgi import PageCacheApplication

pytestmark = pytest.mark.django_db


def django_must_not_answer(environ, start_response):
    raise AssertionError("the stored page should have been answered before Django")


def call(application, path, method="GET", **extra):
    # As a server passes it: the path's bytes, as latin-1 text (PEP 3333).
    path_info = unquote_to_bytes(path).decode("iso-8859-1")
    environ = RequestFactory()._base_environ(PATH_INFO=path_info, REQUEST_METHOD=method, **extra)
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(application(environ, start_response))
    return answer


@pytest.fixture
def article(home):
    return ArticlePageFactory(parent=SectionPageFactory(parent=home), title="قصف على ريف إدلب")


def test_a_stored_page_is_answered_without_django(client, article, settings, caplog):
    settings.NASHIR_REQUEST_LOG = True
    rendered = client.get(article.url)  # a reader's request stores it
    application = PageCacheApplication(django_must_not_answer, on_hit=request_log)
    caplog.clear()
    with CaptureQueriesContext(connection) as queries, caplog.at_level(logging.INFO, logger="nashir.requests"):
        answer = call(application, article.url)
    assert answer["status"] == "200 OK"
    assert answer["body"] == rendered.content
    assert answer["headers"]["X-Cache"] == "HIT"
    assert answer["headers"]["ETag"] == rendered["ETag"]
    assert answer["headers"]["X-Accel-Expires"] == "1"
    assert len(queries.captured_queries) == 0
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "nashir.requests"]
    assert [(line["status"], line["cache"]) for line in lines] == [(200, "HIT")]


def test_the_sites_application_logs_the_pages_it_answers_from_the_cache(client, article, settings, caplog, monkeypatch):
    # nashir.wsgi as the server loads it, around a Django that must not be reached (and is not set up again).
    monkeypatch.setattr("django.core.wsgi.get_wsgi_application", lambda: django_must_not_answer)
    loaded = sys.modules.pop("nashir.wsgi", None)
    try:
        application = importlib.import_module("nashir.wsgi").application
    finally:  # no other test gets this one: not from sys.modules, nor as the package's attribute
        sys.modules.pop("nashir.wsgi", None)
        if loaded is not None:
            sys.modules["nashir.wsgi"] = loaded
            nashir.wsgi = loaded
        else:
            del nashir.wsgi
    settings.NASHIR_REQUEST_LOG = True
    client.get(article.url)
    caplog.clear()
    with CaptureQueriesContext(connection) as queries, caplog.at_level(logging.INFO, logger="nashir.requests"):
        answer = call(application, article.url)
    assert (answer["status"], answer["headers"]["X-Cache"], len(queries.captured_queries)) == ("200 OK", "HIT", 0)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "nashir.requests"]
    assert [(line["path"], line["cache"]) for line in lines] == [(unquote(article.url), "HIT")]


def test_conditional_and_head_requests(client, article):
    etag = client.get(article.url)["ETag"]
    application = PageCacheApplication(django_must_not_answer)
    assert call(application, article.url, HTTP_IF_NONE_MATCH=etag)["status"] == "304 Not Modified"
    head = call(application, article.url, method="HEAD")
    assert head["body"] == b"" and int(head["headers"]["Content-Length"]) > 0


def test_a_reader_who_accepts_gzip_gets_the_stored_compressed_bytes(client, article):
    rendered = client.get(article.url)
    application = PageCacheApplication(django_must_not_answer)
    answer = call(application, article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert answer["headers"]["Content-Encoding"] == "gzip"
    assert answer["headers"]["Vary"] == "Accept-Encoding"
    assert gzip.decompress(answer["body"]) == rendered.content
    assert answer["headers"]["ETag"] != rendered["ETag"]
    etag = answer["headers"]["ETag"]
    assert call(application, article.url, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING="gzip")["status"] == (
        "304 Not Modified"
    )
    head = call(application, article.url, method="HEAD", HTTP_ACCEPT_ENCODING="gzip")
    assert head["body"] == b"" and int(head["headers"]["Content-Length"]) == len(answer["body"])


def test_everything_else_goes_to_django(client, article):
    client.get(article.url)
    seen = []

    def django(environ, start_response):
        # What the server sent, untouched: the path's bytes as latin-1 text, as Django's handler reads it.
        seen.append(environ["PATH_INFO"].encode("iso-8859-1").decode())
        start_response("200 OK", [])
        return [b""]

    application = PageCacheApplication(django)
    call(application, "/not-stored-yet/")
    call(application, article.url, HTTP_COOKIE="sessionid=editor")  # an editor
    call(application, article.url, HTTP_HOST="evil.example")  # not an allowed host: Django's 400
    call(application, article.url, method="POST")
    assert seen == ["/not-stored-yet/", *[unquote(article.url)] * 3]
