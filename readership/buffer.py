"""Where counted reads wait before they are written to the database in batches.

With `REDIS_URL` set, every worker adds to one Redis hash (`HINCRBY`, atomic),
and a flush takes the whole hash in one `RENAME`, so no read is counted twice
or lost however many workers and flushers run. Without Redis, each process
keeps its own tally in memory and flushes it itself.
"""

import threading
import uuid
from collections import Counter
from datetime import datetime

import redis
from django.conf import settings
from django.core.cache import cache
from redis.exceptions import ResponseError

PENDING_KEY = "nashir:views:pending"

# A count is keyed by "<article id>:<hour as YYYYMMDDHH in UTC>".
Key = tuple[int, str]


def hour_key(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H")


class RedisViewBuffer:
    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url)

    def add(self, article_id: int, hour: str, count: int = 1) -> None:
        self.client.hincrby(PENDING_KEY, f"{article_id}:{hour}", count)

    def first_sighting(self, key: str, ttl: int) -> bool:
        """True the first time `key` is seen within `ttl` seconds, across all processes."""
        return bool(self.client.set(f"nashir:views:seen:{key}", 1, nx=True, ex=ttl))

    def drain(self) -> Counter:
        claimed = f"{PENDING_KEY}:flushing:{uuid.uuid4().hex}"
        try:
            self.client.rename(PENDING_KEY, claimed)
        except ResponseError as error:
            if "no such key" in str(error).lower():  # nothing pending
                return Counter()
            raise
        raw = self.client.hgetall(claimed)
        self.client.delete(claimed)
        return Counter({_parse(field.decode()): int(value) for field, value in raw.items()})

    def restore(self, counts: Counter) -> None:
        """Put counts back after a failed write, so they go out with the next flush."""
        with self.client.pipeline() as pipe:
            for (article_id, hour), count in counts.items():
                pipe.hincrby(PENDING_KEY, f"{article_id}:{hour}", count)
            pipe.execute()


class LocalViewBuffer:
    def __init__(self):
        self.counts = Counter()
        self.lock = threading.Lock()

    def add(self, article_id: int, hour: str, count: int = 1) -> None:
        with self.lock:
            self.counts[(article_id, hour)] += count

    def first_sighting(self, key: str, ttl: int) -> bool:
        return cache.add(f"readership:seen:{key}", 1, ttl)

    def drain(self) -> Counter:
        with self.lock:
            counts, self.counts = self.counts, Counter()
        return counts

    def restore(self, counts: Counter) -> None:
        with self.lock:
            self.counts.update(counts)


def _parse(field: str) -> Key:
    article_id, hour = field.split(":")
    return int(article_id), hour


_buffer = None
_buffer_lock = threading.Lock()


def get_buffer():
    global _buffer
    with _buffer_lock:
        if _buffer is None:
            _buffer = RedisViewBuffer(settings.REDIS_URL) if settings.REDIS_URL else LocalViewBuffer()
        return _buffer


def reset_buffer() -> None:
    """Forget the buffer (tests switch between Redis and the local one)."""
    global _buffer
    with _buffer_lock:
        _buffer = None
