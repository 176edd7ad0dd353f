"""Where counted reads wait before they are written to the database in batches.

With `REDIS_URL` set, every worker adds to one Redis hash (`HINCRBY`, atomic),
and a flush takes the whole hash in one `RENAME`, so no read is counted twice
or lost however many workers and flushers run. Without Redis, each process
keeps its own tally in memory and flushes it itself. While Redis is down,
the Redis buffer does the same, and hands its tally over with the next flush.

Two tallies are kept per article and hour: reads, and new readers (an address
not counted for that article in the last day), which the most-read lists rank by.
"""

import logging
import threading
import time
import uuid
from collections import Counter
from datetime import datetime

import redis
from django.conf import settings
from redis.exceptions import RedisError, ResponseError

from readership.counters import Tally

logger = logging.getLogger(__name__)

PENDING_KEY = "nashir:views:pending"

READS, READERS = "reads", "readers"
# A count is keyed by (article id, hour as YYYYMMDDHH in UTC, READS or READERS);
# in Redis by "<article id>:<hour>" for reads and "<article id>:<hour>:r" for readers.
Key = tuple[int, str, str]


def hour_key(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H")


class LocalViewBuffer:
    def __init__(self):
        self.counts = Counter()
        self.lock = threading.Lock()

    def add(self, article_id: int, hour: str, count: int = 1, *, readers: int = 0) -> None:
        with self.lock:
            self.counts[(article_id, hour, READS)] += count
            if readers:
                self.counts[(article_id, hour, READERS)] += readers

    def tally(self, article_id: int, hour: str) -> None:
        return None  # in this process: nothing the counters' Redis could add to

    def drain(self) -> Counter:
        with self.lock:
            counts, self.counts = self.counts, Counter()
        return counts

    def restore(self, counts: Counter) -> None:
        with self.lock:
            self.counts.update(counts)


class RedisViewBuffer:
    """Reads in one Redis hash; in this process's memory while Redis does not answer."""

    def __init__(self, url: str):
        self.url = url
        # An unreachable Redis costs a beacon a second at most (and a refused connection nothing).
        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self.fallback = LocalViewBuffer()
        self.down_logged_at = 0.0

    def _down(self, error: RedisError) -> None:
        """Log the outage once a minute, not once a read."""
        now = time.monotonic()
        if now - self.down_logged_at >= 60:
            self.down_logged_at = now
            logger.error("Redis does not answer (%s); reads are counted in this process until it does.", error)

    def tally(self, article_id: int, hour: str) -> Tally:
        """Where a read of the article in `hour` goes: the counters' script adds it there when on this Redis."""
        return Tally(self.url, PENDING_KEY, _field(article_id, hour, READS), _field(article_id, hour, READERS))

    def add(self, article_id: int, hour: str, count: int = 1, *, readers: int = 0) -> None:
        try:
            with self.client.pipeline(transaction=False) as pipe:
                pipe.hincrby(PENDING_KEY, _field(article_id, hour, READS), count)
                if readers:
                    pipe.hincrby(PENDING_KEY, _field(article_id, hour, READERS), readers)
                pipe.execute()
        except RedisError as error:
            self._down(error)
            self.fallback.add(article_id, hour, count, readers=readers)

    def drain(self) -> Counter:
        counts = self.fallback.drain()
        try:
            counts.update(self._drain_shared())
        except RedisError as error:
            self._down(error)
        return counts

    def _drain_shared(self) -> Counter:
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
        try:
            with self.client.pipeline() as pipe:
                for key, count in counts.items():
                    pipe.hincrby(PENDING_KEY, _field(*key), count)
                pipe.execute()
        except RedisError as error:
            self._down(error)
            self.fallback.restore(counts)


def _field(article_id: int, hour: str, kind: str) -> str:
    return f"{article_id}:{hour}" if kind == READS else f"{article_id}:{hour}:r"


def _parse(field: str) -> Key:
    article_id, hour, *readers = field.split(":")
    return int(article_id), hour, READERS if readers else READS


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
