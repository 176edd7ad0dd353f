"""A cache outage costs speed, not answers: Redis stopped or the disk cache unusable, every page still works.

The stores production runs behind cachestores.backends.FaultTolerantCache: Redis
(several servers) and diskcache (one server). Each test has a store of its
own (a port, a folder), since the wrapper remembers an outage per store.
"""

import logging
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from cachestores.backends import FaultTolerantCache, cache_recovered
from comments.models import Comment
from news.models import ArticlePage
from readership import buffer
from readership.services import views_flush
from testing.helpers import shown_seconds_ago

pytestmark = pytest.mark.django_db


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache(url, **extra):
    """The production settings' Redis caches: pages, and rate limits under a key prefix of their own."""
    default = {
        "BACKEND": "cachestores.backends.FaultTolerantCache",
        "STORE": "cachestores.backends.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        **extra,
    }
    return {"default": default, "ratelimit": {**default, "KEY_PREFIX": "ratelimit"}}


def disk_cache(location, **extra):
    """The production settings' disk caches: pages, and rate limits in a folder of their own."""
    default = {
        "BACKEND": "cachestores.backends.FaultTolerantCache",
        "STORE": "cachestores.backends.DiskCache",
        "LOCATION": str(location),
        **extra,
    }
    return {"default": default, "ratelimit": {**default, "LOCATION": str(Path(location) / "ratelimit")}}


@pytest.fixture
def reader_visit(client, seed_article):
    """What readers do on the site, each answer by name: pages, the API, search, a read, a comment."""

    def visit():
        article = ArticlePage.objects.get(pk=seed_article.pk)
        answers = {
            "home": client.get("/"),
            "article": client.get(article.url),
            "section": client.get(article.get_parent().url),
            "api": client.get("/api/v1/articles"),
            "api article": client.get(f"/api/v1/articles/{article.pk}"),
            "search": client.get("/search/", {"q": "الأحداث"}),
            "beacon": client.post(
                reverse("readership:beacon", args=[article.pk]), HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64)"
            ),
            "comment": client.post(
                reverse("comments:post", args=[article.pk]),
                {
                    "name": "سامي",
                    "email": "sami@example.org",
                    "body": f"تعليق أثناء العطل {time.monotonic_ns()}",
                    "website": "",
                    "rendered_at": shown_seconds_ago(),
                },
                REMOTE_ADDR="203.0.113.9",
            ),
        }
        return {name: response.status_code for name, response in answers.items()}

    return visit


EXPECTED = {
    "home": 200,
    "article": 200,
    "section": 200,
    "api": 200,
    "api article": 200,
    "search": 200,
    "beacon": 204,
    "comment": 302,
}


def health(client):
    """/health/ with its details, as a monitor holding the token reads it."""
    settings.NASHIR_HEALTH_TOKEN = "health-token-for-tests"
    return client.get("/health/", {"format": "json"}, HTTP_AUTHORIZATION="Bearer health-token-for-tests")


def test_with_redis_stopped_every_page_answers_and_health_says_the_cache_is_down(
    client, settings, reader_visit, caplog
):
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = redis_cache(url)
    settings.REDIS_URL = url  # the view counts' buffer too
    buffer.reset_buffer()
    try:
        with caplog.at_level(logging.ERROR):
            assert reader_visit() == EXPECTED
            assert reader_visit() == EXPECTED
    finally:
        counted = views_flush()
        buffer.reset_buffer()
    assert Comment.objects.count() == 2
    assert counted == 1  # the second read is the same reader's, kept apart in this process's memory
    # Logged when it began, not once a request.
    assert [record.name for record in caplog.records if record.levelno >= logging.ERROR] == [
        "cachestores.backends",
        "readership.buffer",
    ]
    check = health(client).json()["checks"]["cache"]
    assert check["ok"] is False
    assert "ConnectionError" in check["detail"]


def test_with_the_disk_cache_folder_impossible_every_page_answers(client, settings, tmp_path, reader_visit):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache's parent folder should be")
    settings.CACHES = disk_cache(blocker / "cache")
    buffer.reset_buffer()
    assert reader_visit() == EXPECTED
    assert reader_visit() == EXPECTED
    assert Comment.objects.count() == 2
    assert views_flush() == 1  # the same reader twice: told apart in this process's memory
    response = health(client)
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
    assert "NotADirectoryError" in response.json()["checks"]["cache"]["detail"]


def test_a_disk_cache_that_fails_then_comes_back_is_used_again_without_stale_pages(
    client, settings, tmp_path, seed_article, monkeypatch
):
    from diskcache import FanoutCache

    settings.CACHES = disk_cache(tmp_path / "cache", RETRY_SECONDS=0)
    article = ArticlePage.objects.get(pk=seed_article.pk)
    client.get(article.url)
    assert client.get(article.url)["X-Cache"] == "HIT"

    def disk_error(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    for method in ("get", "set", "add", "delete", "incr"):
        monkeypatch.setattr(FanoutCache, method, disk_error)
    outage = client.get(article.url)
    assert outage.status_code == 200 and outage["X-Cache"] == "MISS"
    assert health(client).json()["checks"]["cache"]["ok"] is False
    # Edited while the cache could not be told: the copy it still holds is out of date.
    article.title = "عنوان صُحّح أثناء العطل"
    article.save_revision().publish()
    assert "عنوان صُحّح أثناء العطل" in client.get(article.url).content.decode()

    monkeypatch.undo()
    back = client.get(article.url)
    assert back.status_code == 200
    assert "عنوان صُحّح أثناء العطل" in back.content.decode()
    assert client.get(article.url)["X-Cache"] == "HIT"
    check = health(client).json()["checks"]["cache"]
    assert check["ok"] is True and check["detail"] == "DiskCache"


@pytest.fixture
def redis_server():
    """A Redis of this test's own, to stop and start again: (url, start, stop)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    processes = []

    def start():
        processes.append(
            subprocess.Popen(  # noqa: S603 - the system's redis-server on a loopback port
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop():
        process = processes.pop()
        process.terminate()
        process.wait(10)

    start()
    yield f"redis://127.0.0.1:{port}/0", start, stop
    while processes:
        stop()


def test_redis_stopped_and_started_again_is_used_again(client, settings, redis_server, reader_visit, caplog):
    url, start, stop = redis_server
    settings.CACHES = redis_cache(url, RETRY_SECONDS=0)
    assert cache.set("outage:probe", 1) is None and cache.get("outage:probe") == 1
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"

    stop()
    with caplog.at_level(logging.WARNING, logger="cachestores.backends"):
        assert client.get("/").status_code == 200
        assert health(client).json()["checks"]["cache"]["ok"] is False
        start()
        assert client.get("/").status_code == 200
    assert client.get("/")["X-Cache"] == "HIT"
    assert health(client).json()["checks"]["cache"]["ok"] is True
    messages = [record.getMessage() for record in caplog.records if record.name == "cachestores.backends"]
    assert len(messages) == 2
    assert "fails" in messages[0] and "answers again" in messages[1]


def test_rate_limits_do_not_hold_while_the_cache_is_down_and_hold_again_after(settings, tmp_path, monkeypatch):
    """Failing open is the documented choice: a reader is never refused because the cache is gone."""
    from diskcache import FanoutCache

    from operations.clients import rate_limited

    settings.CACHES = disk_cache(tmp_path / "cache", RETRY_SECONDS=0)
    assert [rate_limited("test", "198.51.100.1", limit=2, window=60) for _ in range(3)] == [False, False, True]

    def disk_error(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(FanoutCache, "add", disk_error)
    monkeypatch.setattr(FanoutCache, "incr", disk_error)
    monkeypatch.setattr(FanoutCache, "set", disk_error)
    assert [rate_limited("test", "198.51.100.2", limit=2, window=60) for _ in range(3)] == [False, False, False]
    monkeypatch.undo()
    assert rate_limited("test", "198.51.100.1", limit=2, window=60) is True


def test_a_thread_finding_the_store_back_waits_for_the_recovery_another_thread_is_making(tmp_path, monkeypatch):
    """Threaded workers: no thread reads from the store before what recovery makes stale is stale."""
    from diskcache import FanoutCache

    params = {"STORE": "cachestores.backends.DiskCache", "RETRY_SECONDS": 0}
    first, second = (FaultTolerantCache(str(tmp_path / "cache"), params) for _ in range(2))
    first.set("page", "kept before the outage")

    def disk_error(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(FanoutCache, "get", disk_error)
    assert first.get("page") is None
    monkeypatch.undo()

    entered, release = threading.Event(), threading.Event()

    def recovery(**kwargs):
        entered.set()
        release.wait(5)
        first.set("page", "made again after the outage")

    cache_recovered.connect(recovery, weak=False, dispatch_uid="test-slow-recovery")
    try:
        answers = {}
        recovering = threading.Thread(target=lambda: answers.update(first=first.get("page")))
        recovering.start()
        assert entered.wait(5)
        reading = threading.Thread(target=lambda: answers.update(second=second.get("page")))
        reading.start()
        reading.join(0.3)
        assert reading.is_alive(), "read the store while it was recovering"
        release.set()
        recovering.join(5)
        reading.join(5)
    finally:
        cache_recovered.disconnect(dispatch_uid="test-slow-recovery")
    assert answers == {"first": "made again after the outage", "second": "made again after the outage"}
