"""The view counter counts real reads, survives concurrency and never writes on the hot path."""

import hashlib
import os
import threading
import time
import types
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news.factories import ArticlePageFactory, SectionPageFactory
from news.models import ArticlePage
from readership import buffer
from readership.models import HourlyViews
from readership.services import address_source, most_read, views_flush
from testing.helpers import parse

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


@pytest.fixture(autouse=True)
def local_buffer():
    from readership import services

    buffer.reset_buffer()
    services._live_articles.clear()  # primary keys come back after each test's rollback
    yield
    buffer.reset_buffer()


@pytest.fixture(params=["locmem", "redis", "redis-with-buffer"])
def counter_store(request, settings, monkeypatch):
    """Where the per-address counters are kept, and the counted reads wait.

    In the rate-limit local cache; in a Redis cache of their own (one script a
    read), the reads in this process; or that Redis holding the reads too, the
    script adding each read there (one round trip a read in all: the buffer's
    own `add` is never called).
    """
    if request.param == "locmem":
        yield
        return
    import redis

    url = _redis_url()
    if url is None:
        pytest.skip("needs Redis on 127.0.0.1:6379 (CI has it)")
    prefix = f"test-counters-{uuid.uuid4().hex}"
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {**settings.CACHES, "counters": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": prefix}}
    monkeypatch.setattr("readership.counters.COUNTERS_CACHE", "counters")
    store = redis.Redis.from_url(url)
    if request.param == "redis-with-buffer":
        settings.REDIS_URL = url
        store.delete(buffer.PENDING_KEY)
        buffer.reset_buffer()

        def separate_round_trip(*args, **kwargs):
            raise AssertionError("a read added to the buffer in a round trip of its own")

        monkeypatch.setattr(buffer.RedisViewBuffer, "add", separate_round_trip)
    yield
    kept = store.keys(f"{prefix}:*")
    assert kept, "the counters were kept in Redis"
    store.delete(*kept)


def beacon(client, article, *, method="post", user_agent=BROWSER, ip="203.0.113.5"):
    url = reverse("readership:beacon", args=[article.pk])
    return getattr(client, method)(url, HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


def counted(article):
    views_flush()
    article.refresh_from_db()
    return article.view_count


def test_a_read_is_counted_once_flushed(client, home):
    article = ArticlePageFactory(view_count=34)
    response = beacon(client, article)
    assert response.status_code == 204
    assert response["Cache-Control"].startswith("max-age=0")
    article.refresh_from_db()
    assert article.view_count == 34  # nothing written before the flush
    assert counted(article) == 35
    hour = HourlyViews.objects.get(article=article)
    assert hour.views == 1
    assert hour.hour == timezone.now().astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def test_one_address_counts_once_in_30_minutes_whatever_browser_it_claims(client, home, counter_store):
    article = ArticlePageFactory()
    for _ in range(3):
        beacon(client, article)
    beacon(client, article, ip="198.51.100.7")
    beacon(client, article, user_agent=BROWSER + " Firefox")
    assert counted(article) == 2


def test_3000_beacons_from_one_address_count_once_and_do_not_lead_the_most_read(client, home, counter_store):
    read = ArticlePageFactory(title="خبر قرأه عشرون قارئًا")
    pushed = ArticlePageFactory(title="خبر يدفعه عنوان واحد")
    for reader in range(20):
        beacon(client, read, ip=f"198.51.100.{reader + 1}")
    for number in range(3000):
        beacon(client, pushed, ip="203.0.113.66", user_agent=f"Mozilla/5.0 (Windows NT 10.0) Chrome/{number}.0")
    assert counted(pushed) == 1
    assert counted(read) == 20
    assert most_read(within=timedelta(hours=24)) == [read, pushed]
    soup = parse(client.get("/"))
    assert [a.get_text() for a in soup.select(".most-read__day a")] == [read.title, pushed.title]


def test_an_address_returning_later_adds_reads_but_stays_one_reader(client, home, monkeypatch):
    steady = ArticlePageFactory()
    returning = ArticlePageFactory()
    for reader in range(3):
        beacon(client, steady, ip=f"198.51.100.{reader + 1}")
    beacon(client, returning, ip="203.0.113.9")
    for half_hours in range(1, 6):
        later = time.time() + half_hours * 31 * 60
        clock = types.SimpleNamespace(time=lambda later=later: later)
        monkeypatch.setattr("django.core.cache.backends.locmem.time", clock)
        monkeypatch.setattr("django.core.cache.backends.base.time", clock)
        beacon(client, returning, ip="203.0.113.9")
    assert counted(returning) == 6  # a read each half hour
    assert counted(steady) == 3
    assert most_read(within=timedelta(hours=24)) == [steady, returning]  # but 3 readers outrank 1


def test_one_address_has_an_hourly_allowance_across_articles(client, home, counter_store, settings):
    settings.NASHIR_VIEWS_PER_ADDRESS_PER_HOUR = 5
    articles = [ArticlePageFactory() for _ in range(8)]
    for article in articles:
        beacon(client, article, ip="203.0.113.70")
    beacon(client, articles[-1], ip="198.51.100.70")  # another address is not held back
    assert [counted(article) for article in articles] == [1] * 5 + [0, 0, 1]


def test_reads_from_many_addresses_all_count_and_an_ipv6_block_counts_as_one(client, home, counter_store):
    article = ArticlePageFactory()
    for reader in range(50):
        beacon(client, article, ip=f"100.64.{reader // 250}.{reader % 250 + 1}")
    beacon(client, article, ip="2001:db8:aa:1::1")
    beacon(client, article, ip="2001:db8:aa:1:ffff::2")  # the same /64
    beacon(client, article, ip="2001:db8:aa:2::1")
    assert counted(article) == 52


def test_addresses_are_kept_only_as_keyed_hashes(client, home, settings):
    article = ArticlePageFactory()
    beacon(client, article, ip="203.0.113.99")
    stored = " ".join(
        f"{key} {value!r}" for alias in ("default", "ratelimit") for key, value in caches[alias]._cache.items()
    )
    assert "readership:read:" in stored
    assert "203.0.113.99" not in stored and "203-0-113-99" not in stored
    # Keyed with SECRET_KEY: the four billion IPv4 hashes cannot be computed in advance.
    keyed = address_source("203.0.113.99")
    assert keyed != hashlib.sha256(b"203.0.113.99").hexdigest()[:32]
    settings.SECRET_KEY = "another-secret"
    assert address_source("203.0.113.99") != keyed


@pytest.mark.parametrize(
    "user_agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 HeadlessChrome/126.0",
        "",
    ],
)
def test_bots_and_scripts_are_not_counted(client, home, user_agent):
    article = ArticlePageFactory()
    beacon(client, article, user_agent=user_agent)
    assert counted(article) == 0


def test_head_requests_and_unpublished_articles_are_not_counted(client, home):
    article = ArticlePageFactory()
    draft = ArticlePageFactory(live=False)
    assert beacon(client, article, method="head").status_code == 405
    beacon(client, draft)
    assert counted(article) == 0
    assert counted(draft) == 0


def test_the_noscript_pixel_counts_too(client, home):
    article = ArticlePageFactory()
    response = beacon(client, article, method="get")
    assert response["Content-Type"] == "image/gif"
    assert counted(article) == 1


def test_the_beacon_writes_no_database_row(client, home):
    article = ArticlePageFactory()
    beacon(client, ArticlePageFactory())  # warm the live-article cache for a different article
    beacon(client, article, ip="192.0.2.1")
    with CaptureQueriesContext(connection) as queries:
        beacon(client, article, ip="192.0.2.2")
    assert not [q for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_article_page_carries_the_beacon_but_previews_do_not(client, home, django_user_model):
    article = ArticlePageFactory()
    soup = parse(client.get(article.url))
    assert soup.select_one("[data-view-beacon]")["data-view-beacon"] == f"/views/{article.pk}/"
    assert soup.find("noscript") is not None
    editor = django_user_model.objects.create_superuser("boss", "boss@example.org", "x")
    client.force_login(editor)
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[article.pk]))
    assert b"data-view-beacon" not in preview.content


def test_a_failed_flush_keeps_the_counts_for_the_next_one(client, home, monkeypatch):
    article = ArticlePageFactory()
    beacon(client, article)

    def broken(*args, **kwargs):
        raise RuntimeError("database is away")

    monkeypatch.setattr("readership.services._add_hourly", broken)
    with pytest.raises(RuntimeError):
        views_flush()
    monkeypatch.undo()
    assert counted(article) == 1


def test_concurrent_reads_are_all_counted_with_the_local_buffer(home):
    article = ArticlePageFactory()
    local = buffer.get_buffer()
    hour = buffer.hour_key(datetime.now(UTC))

    def read_many():
        for _ in range(500):
            local.add(article.pk, hour)

    threads = [threading.Thread(target=read_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counted(article) == 4000


def test_most_read_lists_rank_the_last_day_and_week(client, home):
    politics, sport = SectionPageFactory(), SectionPageFactory()
    today_hit = ArticlePageFactory(parent=politics)
    week_hit = ArticlePageFactory(parent=sport)
    old_hit = ArticlePageFactory(parent=politics)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyViews.objects.create(article=today_hit, hour=now, views=40, readers=30)
    HourlyViews.objects.create(article=week_hit, hour=now - timedelta(days=3), views=120, readers=100)
    HourlyViews.objects.create(article=old_hit, hour=now - timedelta(days=30), views=1000, readers=1000)

    assert most_read(within=timedelta(hours=24)) == [today_hit]
    assert most_read(within=timedelta(days=7)) == [week_hit, today_hit]
    assert most_read(within=timedelta(days=7), under=politics) == [today_hit]

    soup = parse(client.get("/"))
    assert [a.get_text() for a in soup.select(".most-read__day a")] == [today_hit.title]
    assert [a.get_text() for a in soup.select(".most-read__week a")] == [week_hit.title, today_hit.title]
    section = parse(client.get(politics.url))
    assert [a.get_text() for a in section.select(".most-read__week a")] == [today_hit.title]


def test_view_count_is_not_editable_in_the_admin(home):
    assert "view_count" not in ArticlePage.get_edit_handler().get_form_class()._meta.fields


def _redis_url():
    import redis

    # A database per pytest-xdist worker (15, 14): tests empty the buffer's key.
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    url = f"redis://127.0.0.1:6379/{15 - worker}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return None
    return url


@pytest.mark.skipif(_redis_url() is None, reason="needs Redis on 127.0.0.1:6379 (CI has it)")
def test_concurrent_reads_and_flushes_through_redis_lose_nothing(home, settings):
    import redis

    settings.REDIS_URL = _redis_url()
    redis.Redis.from_url(settings.REDIS_URL).delete(buffer.PENDING_KEY)
    buffer.reset_buffer()
    shared = buffer.get_buffer()
    assert isinstance(shared, buffer.RedisViewBuffer)
    article = ArticlePageFactory()
    hour = buffer.hour_key(datetime.now(UTC))
    drained = []

    def read_many():
        for _ in range(300):
            shared.add(article.pk, hour)

    def flush_while_reading():
        for _ in range(20):
            drained.append(sum(shared.drain().values()))

    threads = [threading.Thread(target=read_many) for _ in range(6)] + [threading.Thread(target=flush_while_reading)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    drained.append(sum(shared.drain().values()))
    assert sum(drained) == 1800

    shared.add(article.pk, hour, 7)
    assert counted(article) == 7


@pytest.mark.usefixtures("whole_pages_off")
def test_most_read_lists_are_kept_rendered_until_an_article_changes(client, home, settings):
    first, second = ArticlePageFactory(parent=home), ArticlePageFactory(parent=home)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyViews.objects.create(article=first, hour=hour, views=10, readers=10)

    def day_list():
        response = client.get("/")
        titles = [a.get_text() for a in parse(response).select(".most-read__day a")]
        return titles, "readership/_most_read.html" in [template.name for template in response.templates]

    assert day_list() == ([first.title], True)
    HourlyViews.objects.create(article=second, hour=hour, views=50, readers=50)
    assert day_list() == ([first.title], False)  # kept: a trend, not a ticker
    settings.NASHIR_FRAGMENT_CACHE = False  # as once the kept copy has expired
    assert day_list() == ([second.title, first.title], True)
    settings.NASHIR_FRAGMENT_CACHE = True

    second.title = "عنوان جديد"
    second.save_revision().publish()
    assert day_list() == (["عنوان جديد", first.title], True)
