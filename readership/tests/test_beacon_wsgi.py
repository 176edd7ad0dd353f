"""View beacons answered before Django's handler: counted, headed and refused as Django would."""

import io
import threading
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from news.factories import ArticlePageFactory
from readership import buffer, services
from readership.services import views_flush
from readership.views import PIXEL
from readership.wsgi import ViewBeaconApplication

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


@pytest.fixture(autouse=True)
def local_buffer(monkeypatch):
    # As Django's test client does, nothing closes the test's connection in its transaction: not the
    # wrapper, nor Django's handler behind it (request_started and request_finished).
    monkeypatch.setattr("readership.wsgi.close_old_connections", lambda: None)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    buffer.reset_buffer()
    services._live_articles.clear()
    yield
    buffer.reset_buffer()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class Recorder:
    """The application behind the wrapper: what reaches Django."""

    def __init__(self, application=None):
        self.application = application
        self.paths = []

    def __call__(self, environ, start_response):
        self.paths.append(environ["PATH_INFO"])
        if self.application is not None:
            return self.application(environ, start_response)
        start_response("599 Not Expected", [])
        return [b""]


@pytest.fixture
def wsgi():
    from nashir import wsgi

    return wsgi


@pytest.fixture
def behind(wsgi):
    """The wrapper as nashir.wsgi builds it, around Django's application, counting what reaches Django."""
    django = Recorder(wsgi.django_application)
    logged = []
    app = ViewBeaconApplication(
        django, middleware=wsgi.BEACON_MIDDLEWARE, on_answer=lambda request, response, started: logged.append(response)
    )
    app.django, app.logged = django, logged
    return app


def call(app, path, *, method="POST", host="testserver", user_agent=BROWSER, ip="203.0.113.5", forwarded=None):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": host, "REMOTE_ADDR": ip}
    if user_agent:
        environ["HTTP_USER_AGENT"] = user_agent
    if forwarded:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    environ["wsgi.input"] = io.BytesIO(b"")
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    answer["body"] = b"".join(app(environ, start_response))
    return answer


def counted(article):
    views_flush()
    article.refresh_from_db()
    return article.view_count


def test_a_beacon_is_answered_and_counted_before_django(home, behind):
    article = ArticlePageFactory()
    answer = call(behind, f"/views/{article.pk}/")
    assert answer["status"] == 204 and answer["body"] == b""
    assert behind.django.paths == []
    assert [response.status_code for response in behind.logged] == [204]
    assert counted(article) == 1


def test_the_noscript_pixel_is_answered_before_django(home, behind):
    article = ArticlePageFactory()
    answer = call(behind, f"/views/{article.pk}/", method="GET")
    assert (answer["status"], answer["headers"]["Content-Type"], answer["body"]) == (200, "image/gif", PIXEL)
    assert behind.django.paths == []
    assert counted(article) == 1


@pytest.mark.parametrize("method", ["POST", "GET", "PUT", "HEAD"])
def test_the_answer_has_the_headers_djangos_middleware_gives_it(home, wsgi, method):
    article = ArticlePageFactory()
    # The first beacon goes through the middleware; the next ones get the headers it gave.
    first, next_one = (
        call(wsgi.application, f"/views/{article.pk}/", method=method, ip=ip) for ip in ("203.0.113.10", "203.0.113.12")
    )
    slow = call(wsgi.django_application, f"/views/{article.pk}/", method=method, ip="203.0.113.11")
    for fast in (first, next_one):
        assert fast["status"] == slow["status"] == {"POST": 204, "GET": 200, "PUT": 405, "HEAD": 405}[method]
        assert fast["body"] == slow["body"]
        # Expires is the moment of the answer.
        assert {**fast["headers"], "Expires": ""} == {**slow["headers"], "Expires": ""}
        assert "no-store" in fast["headers"]["Cache-Control"] and "private" in fast["headers"]["Cache-Control"]
        assert fast["headers"]["X-Content-Type-Options"] == "nosniff"
        assert fast["headers"]["Expires"] == slow["headers"]["Expires"] or "GMT" in fast["headers"]["Expires"]


def test_a_wrong_method_is_refused_and_not_counted(home, behind):
    article = ArticlePageFactory()
    answer = call(behind, f"/views/{article.pk}/", method="DELETE")
    assert answer["status"] == 405 and answer["headers"]["Allow"] == "GET, POST"
    assert counted(article) == 0


def test_a_host_not_allowed_goes_to_django_which_answers_400(home, behind):
    article = ArticlePageFactory()
    answer = call(behind, f"/views/{article.pk}/", host="evil.example")
    assert answer["status"] == 400
    assert behind.django.paths == [f"/views/{article.pk}/"]
    assert counted(article) == 0


@pytest.mark.parametrize("path", ["/views/0/", "/views/99999999999999999999/", "/views/1/extra/", "/views/"])
def test_what_is_no_beacon_address_goes_to_django(home, behind, path):
    assert call(behind, path, method="GET")["status"] == 404
    assert behind.django.paths == [path]


def test_bots_and_unpublished_articles_are_answered_but_not_counted(home, behind):
    article = ArticlePageFactory()
    draft = ArticlePageFactory(live=False)
    assert call(behind, f"/views/{article.pk}/", user_agent="curl/8.5.0")["status"] == 204
    assert call(behind, f"/views/{article.pk}/", user_agent="")["status"] == 204
    assert call(behind, f"/views/{draft.pk}/")["status"] == 204
    assert behind.django.paths == []
    assert counted(article) == 0 and counted(draft) == 0


def test_x_forwarded_for_is_the_reader_only_behind_a_trusted_proxy(home, behind, settings):
    article = ArticlePageFactory()
    settings.NASHIR_TRUSTED_PROXY_HEADER = ""
    for reader in range(3):
        call(behind, f"/views/{article.pk}/", ip="127.0.0.1", forwarded=f"198.51.100.{reader + 1}")
    assert counted(article) == 1  # a client's own header: all three are the proxy's address

    settings.NASHIR_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    for reader in range(3):
        call(behind, f"/views/{article.pk}/", ip="127.0.0.1", forwarded=f"198.51.100.{reader + 1}, 10.0.0.1")
    assert counted(article) == 4


def test_concurrent_beacons_from_many_readers_are_all_counted(home, behind):
    article = ArticlePageFactory()
    # The threads share the test's in-memory database, which one writer locks; this
    # process knows the article is live once the first beacon asked.
    call(behind, f"/views/{article.pk}/", ip="192.0.2.1")
    failures = []

    def readers(first):
        for reader in range(first, first + 100):
            status = call(behind, f"/views/{article.pk}/", ip=f"100.64.{reader // 250}.{reader % 250 + 1}")["status"]
            if status != 204:
                failures.append(status)

    threads = [threading.Thread(target=readers, args=(first,)) for first in range(0, 400, 100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sum(buffer.get_buffer().counts.values()) == 2 * 401  # reads, and as many new readers
    assert counted(article) == 401


def test_a_path_that_only_looks_like_a_beacon_goes_to_django(home, behind):
    article = ArticlePageFactory()
    answer = call(behind, f"/views/{article.pk}/\n")
    assert answer["status"] == 404
    assert behind.django.paths == [f"/views/{article.pk}/\n"]
    assert counted(article) == 0


def test_a_beacon_that_fails_is_answered_by_django_as_any_failure(home, behind, monkeypatch):
    article = ArticlePageFactory()

    def database_down(**kwargs):
        raise OSError("database unreachable")

    monkeypatch.setattr("readership.views.view_record", database_down)
    assert call(behind, f"/views/{article.pk}/")["status"] == 500
    assert behind.django.paths == [f"/views/{article.pk}/"]
