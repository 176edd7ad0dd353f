"""The page cache shared by server processes: an invalidation or a lock taken in one holds in all.

Run against the two shared stores production uses, diskcache (one server) and
Redis (several), with a second process doing what another gunicorn worker
would.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from cachestores.backends import DiskCache
from pagecache import memo, store

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/13"

pytestmark = pytest.mark.slow  # each test starts Django again in the second process


def redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["disk", "redis"])
def shared(request, settings, tmp_path):
    """Settings for this process and the environment for another one, on the same store."""
    if request.param == "redis":
        if not redis_running():
            if os.environ.get("CI"):
                pytest.fail("Redis must run on 127.0.0.1:6379 in CI")
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
        env = {"NASHIR_CACHE": "redis", "REDIS_URL": REDIS_URL}
    else:
        location = str(tmp_path / "cache")
        settings.CACHES = {"default": {"BACKEND": "cachestores.backends.DiskCache", "LOCATION": location}}
        env = {"NASHIR_CACHE": "disk", "NASHIR_CACHE_DIR": location}
    cache.clear()
    yield {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "nashir.settings.base", "SECRET_KEY": "x", "DEBUG": "0"}
    cache.clear()


def other_worker(env, code):
    """Run `code` in another process with the pagecache store imported, as another worker."""
    script = f"import django; django.setup(); from pagecache import store; {code}"
    result = subprocess.run(  # noqa: S603 - this interpreter, running code written in this file
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def entry(tags):
    return store.Entry(status=200, headers=[], content=b"<p>copy</p>", tags=tags, stored_at=store.time.time())


def test_an_invalidation_in_another_worker_makes_the_copy_stale_here(shared):
    store.store("pagecache:test", entry(store.tag_versions([store.SITE, store.article_tag(7)])))
    assert store.lookup("pagecache:test")[1] is True
    other_worker(shared, "store.invalidate(store.article_tag(7))")
    found, fresh = store.lookup("pagecache:test")
    assert found is not None and not fresh  # kept, to be served stale while one request renders


def test_a_copy_stored_by_another_worker_is_served_here(shared):
    other_worker(
        shared,
        "import time; store.store('pagecache:other', store.Entry(status=200, headers=[], content=b'x', "
        "tags=store.tag_versions([store.SITE, store.CONTENT]), stored_at=time.time()))",
    )
    found, fresh = store.lookup("pagecache:other")
    assert fresh and found.content == b"x"


def test_only_one_worker_regenerates_a_page(shared):
    assert store.lock("pagecache:busy", 30)
    assert other_worker(shared, "print(store.lock('pagecache:busy', 30))") == "False"
    store.unlock("pagecache:busy")
    assert other_worker(shared, "print(store.lock('pagecache:busy', 30))") == "True"
    assert store.is_locked("pagecache:busy")


def test_what_a_process_keeps_ends_when_another_worker_changes_the_site(shared):
    computed = []

    def settings_row():
        computed.append(1)
        return len(computed)

    assert memo.site_wide("test-row", settings_row) == 1
    assert memo.site_wide("test-row", settings_row) == 1  # kept in this process
    other_worker(shared, "store.invalidate(store.SITE)")
    assert memo.site_wide("test-row", settings_row) == 2


def test_a_cache_left_open_between_requests_sees_other_workers_writes(shared):
    from django.core.cache import caches

    cache.set("pagecache:test-open", "before")
    opened = _connections(caches["default"])
    caches.close_all()  # what Django does when a request finishes; the disk store stays open
    assert _connections(caches["default"]) == opened
    other_worker(shared, "from django.core.cache import cache; cache.set('pagecache:test-open', 'after')")
    assert cache.get("pagecache:test-open") == "after"


def _connections(backend):
    """diskcache's open SQLite connections (one per shard), by identity; Redis's client."""
    if isinstance(backend, DiskCache):
        return [id(getattr(shard._local, "con", None)) for shard in backend._cache._shards]
    return [id(backend._cache)]


class CountingCache:
    """The cache the store uses, counting the calls made to it (each a round trip to Redis)."""

    def __init__(self, cache):
        self.cache = cache
        self.calls = []

    def __getattr__(self, name):
        method = getattr(self.cache, name)

        def counted(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return counted


def test_a_hit_is_one_call_to_the_cache_once_the_process_knows_the_pages_tags(shared, monkeypatch):
    counting = CountingCache(cache)
    monkeypatch.setattr(store, "cache", counting)
    store.known_tags.clear()
    other_worker(
        shared,
        "import time; store.store('pagecache:calls', store.Entry(status=200, headers=[], content=b'x', "
        "tags=store.tag_versions([store.SITE, store.article_tag(9)]), stored_at=time.time()))",
    )

    assert store.lookup("pagecache:calls")[1] is True
    assert counting.calls == ["get", "get_many"]  # stored by another process: its tags are learnt here
    counting.calls.clear()
    assert store.lookup("pagecache:calls")[1] is True
    assert counting.calls == ["get_many"]

    # Stale as soon as another worker bumps a tag, still in one call.
    other_worker(shared, "store.invalidate(store.article_tag(9))")
    counting.calls.clear()
    found, fresh = store.lookup("pagecache:calls")
    assert found is not None and not fresh
    assert counting.calls == ["get_many"]

    # Stored again with other tags: the versions of the new ones are read too, and the copy is fresh.
    other_worker(
        shared,
        "import time; store.store('pagecache:calls', store.Entry(status=200, headers=[], content=b'y', "
        "tags=store.tag_versions([store.SITE, store.CONTENT]), stored_at=time.time()))",
    )
    counting.calls.clear()
    found, fresh = store.lookup("pagecache:calls")
    assert fresh and found.content == b"y"
    assert counting.calls == ["get_many", "get_many"]
    counting.calls.clear()
    assert store.lookup("pagecache:calls")[1] is True
    assert counting.calls == ["get_many"]


def test_the_tags_a_process_remembers_are_bounded(monkeypatch):
    remembered = store._KnownTags()
    monkeypatch.setattr(remembered, "MAX", 10)
    for number in range(25):
        remembered.remember(f"pagecache:{number}", [store.SITE])
    assert remembered.get("pagecache:24") == (store.SITE,)
    assert remembered.get("pagecache:0") is None
    assert len(remembered._tags) <= 10
