"""The per-address counters that decide whether a read counts, kept in the cache named by COUNTERS_CACHE.

Page copies must not be able to evict them (an evicted counter lets the same
address count again), so they live in the cache kept for rate limits. Every
beacon asks, so on Redis the three checks are one round trip (a script); on
any other cache they are the cache's own `add` and `incr`. When the buffer of
counted reads is a hash on the same Redis, the script adds the read to it
too, and a beacon costs one round trip in all.
"""

import threading
import time
import weakref
from collections import OrderedDict
from typing import NamedTuple

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from cachestores.backends import FaultTolerantCache, cache_recovered
from operations.clients import RATE_LIMIT_CACHE

COUNTERS_CACHE = RATE_LIMIT_CACHE

# KEYS: the address's read of the article, its counted reads this hour, its reading of the article.
# ARGV: the lifetimes of the three, then the hourly allowance (0: none).
# Optionally KEYS[4], the buffer's hash, and ARGV[5] and ARGV[6], its fields
# for the reads and the new readers: a counted read is added there too.
# Returns 0 (not counted), 1 (counted) or 2 (counted, and a new reader of the article).
READ_SCRIPT = """
if not redis.call("SET", KEYS[1], 1, "NX", "EX", ARGV[1]) then return 0 end
local allowance = tonumber(ARGV[4])
if allowance > 0 then
  local used = redis.call("INCR", KEYS[2])
  if used == 1 then redis.call("EXPIRE", KEYS[2], ARGV[2]) end
  if used > allowance then return 0 end
end
local outcome = 1
if redis.call("SET", KEYS[3], 1, "NX", "EX", ARGV[3]) then outcome = 2 end
if KEYS[4] then
  redis.call("HINCRBY", KEYS[4], ARGV[5], 1)
  if outcome == 2 then redis.call("HINCRBY", KEYS[4], ARGV[6], 1) end
end
return outcome
"""
HOUR_SECONDS = 3600


class SeenLocally:
    """Keys this process has seen, each for its lifetime: the repeat check while the shared store is down.

    Bounded: past `size` entries the oldest are forgotten, so a flood of new
    visitors costs memory once, not without end.
    """

    def __init__(self, size: int = 50_000):
        self.size = size
        self.expiries: OrderedDict[str, float] = OrderedDict()
        self.lock = threading.Lock()

    def clear(self) -> None:
        with self.lock:
            self.expiries.clear()

    def first_sighting(self, key: str, ttl: int) -> bool:
        now = time.monotonic()
        with self.lock:
            expires = self.expiries.get(key)
            if expires is not None and expires > now:
                return False
            self.expiries[key] = now + ttl
            self.expiries.move_to_end(key)
            while len(self.expiries) > self.size:
                self.expiries.popitem(last=False)
            return True


_seen_locally = SeenLocally()
# Once the shared store answers again, what this process saw meanwhile is no longer asked.
cache_recovered.connect(lambda **kwargs: _seen_locally.clear(), weak=False)


class Tally(NamedTuple):
    """Where a counted read is added: a Redis hash (at `url`) and its two fields."""

    url: str
    key: str
    reads_field: str
    readers_field: str


class Admission(NamedTuple):
    counted: bool
    new_reader: bool
    tallied: bool  # already added to the tally, in the same round trip


# Per Django Redis cache client: one redis-py client and the script, made once (Django makes a client per call).
_scripts = weakref.WeakKeyDictionary()


def read_admitted(
    *,
    source: str,
    article_id: int,
    hour: str,
    repeat_seconds: int,
    reader_seconds: int,
    allowance: int,
    tally: Tally | None = None,
) -> Admission:
    """Whether a read of `article_id` by `source` in `hour` counts, and is a new reader's.

    Counted: the first read of the article by `source` in `repeat_seconds`,
    while the source's counted reads this hour stay within `allowance`
    (0: no limit). A new reader: its first counted read of the article in
    `reader_seconds`. `tally`: where counted reads go, added to by the same
    script when it is on the counters' own Redis (then `tallied` is true).
    """
    cache = caches[COUNTERS_CACHE]
    keys = [
        f"readership:read:{source}:{article_id}",
        f"readership:hour:{source}:{hour}",
        f"readership:reader:{source}:{article_id}",
    ]
    args = [repeat_seconds, HOUR_SECONDS, reader_seconds, allowance]
    if isinstance(cache, FaultTolerantCache):
        # While the store is down its `add` answers yes: reads count, as the cache outage is logged.
        outcome = cache.with_store(lambda store: _script_outcome(store, keys, args, tally), None)
    else:
        outcome = _script_outcome(cache, keys, args, tally)
    if outcome is not None:
        return outcome
    if getattr(cache, "fault", ""):
        # The shared store is down and its `add` says yes to all: this process's memory tells repeats apart.
        if not _seen_locally.first_sighting(keys[0], repeat_seconds):
            return Admission(False, False, False)
        return Admission(True, _seen_locally.first_sighting(keys[2], reader_seconds), False)
    if not cache.add(keys[0], 1, repeat_seconds):
        return Admission(False, False, False)
    if allowance and not _within(cache, keys[1], allowance):
        return Admission(False, False, False)
    return Admission(True, cache.add(keys[2], 1, reader_seconds), False)


def _within(cache, key: str, allowance: int) -> bool:
    if cache.add(key, 1, HOUR_SECONDS):
        return True
    try:
        return cache.incr(key) <= allowance
    except ValueError:  # expired between the two calls
        cache.set(key, 1, HOUR_SECONDS)
        return True


def _script_outcome(cache, keys, args, tally: Tally | None) -> Admission | None:
    """The read script's answer on a Redis cache; None on any other."""
    if not isinstance(cache, RedisCache):
        return None
    keys = [cache.make_and_validate_key(key) for key in keys]
    # Django's RedisCache writes to its first server: the tally joins the call only on that very Redis.
    tallied = tally is not None and cache._servers[0] == tally.url
    if tallied:
        keys.append(tally.key)  # the buffer's own key, without the cache's prefix
        args = [*args, tally.reads_field, tally.readers_field]
    outcome = _run_script(cache, keys, args)
    return Admission(outcome > 0, outcome == 2, tallied and outcome > 0)


def _run_script(cache, keys, args) -> int:
    # Django's RedisCache has no scripting: its redis-py client is behind `_cache` (Django 4.0+).
    backend = cache._cache
    script = _scripts.get(backend)
    if script is None:
        script = _scripts[backend] = backend.get_client(write=True).register_script(READ_SCRIPT)
    return int(script(keys=keys, args=args))
