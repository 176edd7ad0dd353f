"""The cache stores: the embedded shared one ("disk"), and a wrapper that lets any store fail without failing pages.

Nothing the cache holds is the only copy of anything: pages, fragments, tag
versions and rate-limit counters can all be made again. So when the store
is down (Redis stopped, the disk cache's folder gone or unwritable), the
site goes on without it, slower, rather than answering 500.
"""

import logging
import sqlite3
import threading
import time
from dataclasses import dataclass, field

import diskcache
import redis
from diskcache import DjangoCache
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.dispatch import Signal
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# What a store raises when it is unreachable or cannot write, as opposed to a
# caller's mistake (an unpicklable value, a bad key), which still raises.
STORE_FAULTS = (OSError, sqlite3.Error, diskcache.Timeout, redis.RedisError)

# Sent with the store's `location` when it answers again after an outage:
# what was written meanwhile (invalidations among it) was dropped.
cache_recovered = Signal()
# Asked for when a store that failed is tried again (FaultTolerantCache.with_store).
PROBE_KEY = "cachestores:probe"


class DiskCache(DjangoCache):
    """Django closes every cache when a request finishes, which suits network clients.

    diskcache opens its SQLite files again on the next use, at about 1.5 ms a
    shard and a handful of shards a request; its author's advice is to open it
    as little as possible. Its connections are per thread and reopened after
    a fork (gunicorn's workers), so keeping them is safe.
    """

    def close(self, **kwargs):
        pass


class _KeptRedisClient(RedisCacheClient):
    """Django's Redis client, with one `redis.Redis` per connection pool instead of one per call.

    Django makes a new `redis.Redis` for every cache call, and redis-py fills
    a dictionary of some 170 response callbacks in each: in a profile of an
    article render, making the clients took half as long as the Redis calls
    themselves. The object holds no connection of its own (the pool lends one
    per command), so sharing it is what redis-py intends.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache with `_KeptRedisClient`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _KeptRedisClient


@dataclass
class _Outage:
    """One store's state in this process, shared by the threads' instances of it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    # Since when (time.time()) the store fails; None while it answers.
    since: float | None = None
    fault: str = ""
    # Calls skip the store until then (time.monotonic()), so that a store
    # that times out costs a request once per interval, not on every call.
    retry_at: float = 0.0
    logged_at: float = 0.0
    # Bumped at each failure: every thread then opens the store afresh
    # instead of reusing a connection that may point at what is gone.
    generation: int = 0
    # Held while cache_recovered is sent: other threads that find the store
    # answering wait for it rather than read what recovery is about to make stale.
    recovery_lock: threading.Lock = field(default_factory=threading.Lock)
    # The thread sending cache_recovered, whose receivers use the store as it recovers.
    recovering: int | None = None


_outages: dict[tuple[str, str], _Outage] = {}
_outages_lock = threading.Lock()


class FaultTolerantCache(BaseCache):
    """Any Django cache backend, named by `STORE`, whose failures cost speed instead of answers.

        CACHES = {"default": {
            "BACKEND": "cachestores.backends.FaultTolerantCache",
            "STORE": "cachestores.backends.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            # TIMEOUT, KEY_PREFIX, OPTIONS…: the store's own
        }}

    While the store fails, every call behaves as on an empty cache that keeps
    nothing: `get` returns the default, `get_many` nothing, writes are
    dropped, and `incr` raises ValueError as for a missing key. `add` answers
    True: nothing is known to hold the key, so a lock or a run-once guard
    (the page cache's regeneration lock, scheduled publishing) lets the work
    go ahead rather than drop it.
    The fault is logged when it starts, at most once every LOG_SECONDS while
    it lasts, and when it ends. The store is tried again every RETRY_SECONDS,
    opened afresh (new connections to Redis, the SQLite files of diskcache
    reopened); once it answers, `cache_recovered` is sent.

    Callers that count on the cache (rate limits) count nothing during an
    outage: a limit does not hold until the store is back, which the log says.
    """

    def __init__(self, location, params):
        params = dict(params)
        self._store_class = params.pop("STORE")
        self.retry_seconds = params.pop("RETRY_SECONDS", 5)
        self.log_seconds = params.pop("LOG_SECONDS", 60)
        super().__init__(params)
        self._location, self._params = location, params
        self._store, self._generation = None, -1
        with _outages_lock:
            self._outage = _outages.setdefault((self._store_class, location), _Outage())

    @property
    def fault(self) -> str:
        """The kind of the store's failure while it is down ("ConnectionError"); empty while it answers."""
        return self._outage.fault if self._outage.since is not None else ""

    def _call(self, method, fallback, *args, **kwargs):
        return self.with_store(lambda store: getattr(store, method)(*args, **kwargs), fallback)

    def with_store(self, use, fallback):
        """`use(store)` on the wrapped backend, for what the cache API lacks (a Redis script); `fallback` on a fault."""
        outage = self._outage
        if outage.since is not None and time.monotonic() < outage.retry_at:
            return fallback
        try:
            if self._store is None or self._generation != outage.generation:
                self._close_store()
                self._generation = outage.generation
                self._store = import_string(self._store_class)(self._location, self._params)
            if outage.since is not None and outage.recovering != threading.get_ident():
                # A probe first: what recovery does (the page cache forgets
                # everything kept from before) must happen before this call,
                # or a read would answer with what recovery is about to make stale.
                self._store.get(PROBE_KEY)
                self._recovered()
                if self._store is None:  # failed again within what recovery did
                    return fallback
            return use(self._store)
        except STORE_FAULTS as error:
            self._failed(error)
            return fallback

    def _failed(self, error) -> None:
        outage, now = self._outage, time.time()
        with outage.lock:
            started = outage.since is None
            if started:
                outage.since = now
            outage.fault = type(error).__name__
            outage.retry_at = time.monotonic() + self.retry_seconds
            outage.generation += 1
            due = started or now - outage.logged_at >= self.log_seconds
            if due:
                outage.logged_at = now
        self._close_store()
        if started:
            logger.error(
                "The cache %s fails (%s: %s); pages are made without it until it answers again.",
                self._location or self._store_class,
                type(error).__name__,
                error,
            )
        elif due:
            logger.error(
                "The cache %s still fails after %d s (%s: %s); rate limits do not hold meanwhile.",
                self._location or self._store_class,
                now - outage.since,
                type(error).__name__,
                error,
            )

    def _recovered(self) -> None:
        outage = self._outage
        with outage.recovery_lock:
            since, generation = outage.since, outage.generation
            if since is None:  # another thread recovered it while this one waited
                return
            outage.recovering = threading.get_ident()
            try:
                cache_recovered.send(sender=type(self), location=self._location)
            finally:
                outage.recovering = None
            with outage.lock:
                if outage.generation != generation:  # failed again while recovering: still down
                    return
                outage.since, outage.fault = None, ""
        logger.warning(
            "The cache %s answers again after %d s.", self._location or self._store_class, time.time() - since
        )

    def _close_store(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            try:
                store.close()
            except STORE_FAULTS:
                pass

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, key, value, timeout=timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version=version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, key, delta, version=version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found: the cache store is down.")
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)

    def clear(self):
        self._call("clear", None)

    def close(self, **kwargs):
        if self._store is not None:
            try:
                self._store.close(**kwargs)
            except STORE_FAULTS:
                pass
