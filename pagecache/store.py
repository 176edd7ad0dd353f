"""Whole pages for anonymous readers, kept in Django's cache and invalidated by tags.

A stored page remembers the version of each of its tags when it was rendered:
"site" (every page), "content" (pages that list articles: home, sections,
tags, feeds, sitemaps, search), or "article:<id>" and "discussion:<id>" (one
article's page: its own content, and what others added to it). Bumping a tag
makes every page that carries it stale at once, without having to find them.
A stale page is kept a while longer, so that while one request regenerates
it, the others are answered from the stale copy: a purge during a traffic
spike costs one render per address, not one per reader.

A stored page's text is kept gzip-compressed (`Entry`): compressed once when
stored rather than by nginx on every hit, and a fifth of the bytes or less
for each hit to carry from Redis.
"""

import gzip
import hashlib
import threading
import time
import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from pagecache import files

PREFIX = "pagecache:"
SITE = "site"
CONTENT = "content"


def article_tag(article_id: int) -> str:
    """An article's own content: its fields, body, sections, bylines, sources and tags."""
    return f"article:{article_id}"


def discussion_tag(article_id: int) -> str:
    """What others added to an article: comments, linkbacks, correction notes, replies, requests for comment.

    Apart from `article_tag` so that an approved comment does not render the article's body again.
    """
    return f"discussion:{article_id}"


# Compressed when stored: text of any kind (HTML, feeds, sitemaps, JSON) at
# least as long as nginx's gzip_min_length, below which neither compresses.
COMPRESSED_MIN_BYTES = 512
# zlib's default: the demo home page's 73 KB to 9 KB in about a millisecond
# (level 9: 2% smaller, three times as long).
COMPRESS_LEVEL = 6


def _worth_compressing(headers: list[tuple[str, str]], content: bytes) -> bool:
    if len(content) < COMPRESSED_MIN_BYTES:
        return False
    found = {name.lower(): value for name, value in headers}
    if "content-encoding" in found:  # compressed already, by the view
        return False
    media_type = found.get("content-type", "").partition(";")[0].strip().lower()
    return media_type.startswith("text/") or media_type.endswith(("/json", "+json", "/xml", "+xml", "/javascript"))


@dataclass
class Entry:
    """A rendered page: what is sent again on a hit, and what makes it fresh.

    Made from the page as rendered: `content` is kept gzip-compressed when
    it is text worth compressing (`content_encoding` is then "gzip"), so
    read it through `identity()`, or send it as it is with
    `Content-Encoding: gzip` and `gzip_etag`. `etag` is the page's as
    rendered, whatever is stored.
    """

    status: int
    headers: list[tuple[str, str]]
    content: bytes
    tags: dict[str, str]
    stored_at: float
    etag: str = field(init=False)
    # Entries pickled before pages were compressed have no such attribute:
    # they read this class attribute, and are served as they were stored.
    content_encoding: str = field(default="", init=False)

    def __post_init__(self):
        self.etag = '"' + hashlib.blake2b(self.content, digest_size=16).hexdigest() + '"'
        if _worth_compressing(self.headers, self.content):
            compressed = gzip.compress(self.content, compresslevel=COMPRESS_LEVEL, mtime=0)
            if len(compressed) < len(self.content):
                self.content, self.content_encoding = compressed, "gzip"

    @property
    def gzipped(self) -> bool:
        return self.content_encoding == "gzip"

    @property
    def gzip_etag(self) -> str:
        """The compressed copy's ETag: another representation, so another strong ETag than `etag`."""
        return self.etag[:-1] + '-gzip"'

    def identity(self) -> bytes:
        """The page as rendered, decompressed if it is stored compressed."""
        return zlib.decompress(self.content, wbits=31) if self.gzipped else self.content

    def is_fresh(self, versions: dict[str, str], now: float) -> bool:
        if now - self.stored_at >= settings.NASHIR_PAGE_CACHE_SECONDS:
            return False
        return all(versions.get(tag) == version for tag, version in self.tags.items())


def _tag_key(tag: str) -> str:
    return f"{PREFIX}tag:{tag}"


# The versions this request has read, and the tags its page declared when this
# process last rendered it: see `request_scope`.
_request_versions: ContextVar[dict[str, str] | None] = ContextVar("pagecache_request_versions", default=None)
_request_hints: ContextVar[tuple[str, ...]] = ContextVar("pagecache_request_hints", default=())


@contextmanager
def request_scope(path: str = ""):
    """Within it, each tag's version is read from the cache once (PageCacheMiddleware wraps each request in it).

    A page render asks for the same few tags many times (each kept part, the
    site's memo, the page itself); once is enough, and the whole render sees
    one consistent set of versions. The tags the page at `path` declared the
    last time this process rendered it (an article's own, say) are read with
    the first ones, in the same round trip to Redis.
    """
    token = _request_versions.set({})
    hints = _request_hints.set(declared_tags.get(path) or ()) if path else None
    try:
        yield
    finally:
        _request_versions.reset(token)
        if hints is not None:
            _request_hints.reset(hints)


def tag_versions(tags) -> dict[str, str]:
    """The current version of each tag; a tag seen for the first time gets one."""
    known = _request_versions.get()
    if known is None:
        return _read_versions(tags)
    missing = [tag for tag in tags if tag not in known]
    if missing:
        # Every page reads the site's tag and nearly every one the content's
        # (listings, most-read lists, an article's related stories): whichever
        # is read first brings the other, one round trip to Redis less a page.
        missing += [tag for tag in (SITE, CONTENT) if tag not in known and tag not in missing]
        missing += [tag for tag in _request_hints.get() if tag not in known and tag not in missing]
        known.update(_read_versions(missing))
    return {tag: known[tag] for tag in tags}


def _read_versions(tags) -> dict[str, str]:
    keys = {_tag_key(tag): tag for tag in tags}
    found = cache.get_many(list(keys))
    versions = {keys[key]: value for key, value in found.items()}
    for key, tag in keys.items():
        if tag not in versions:
            cache.add(key, _new_version(), None)
            # Nothing while the cache is down: a version of this request's own, so that
            # nothing kept under an earlier one (memo, fragments) passes for current.
            versions[tag] = cache.get(key) or _new_version()
    return versions


def _new_version() -> str:
    return str(time.time_ns())


def current_versions(tags) -> dict[str, str]:
    """The tags' versions as the cache has them now, whatever this request has read before."""
    return _read_versions(tags)


def invalidate(*tags: str) -> None:
    """Make every stored page that carries one of these tags stale, and delete their page files."""
    versions = {tag: _new_version() for tag in tags}
    cache.set_many({_tag_key(tag): version for tag, version in versions.items()}, None)
    known = _request_versions.get()
    if known is not None:  # what this request renders next must not pass for the old version
        known.update(versions)
    # After the new versions are set: a file written meanwhile is deleted by its writer (files.write).
    files.purge(tags)


def tag_request(request, *tags: str) -> None:
    """Say what this page shows, before it is rendered (views call this).

    The versions are read now: if the article changes while its page renders,
    the copy is stored already stale rather than passing for the new one.
    """
    request.pagecache_versions = {**getattr(request, "pagecache_versions", {}), **tag_versions(tags)}
    declared_tags.remember(request.path, tags)


class _KnownTags:
    """Tags this process has seen, by page-cache key or by path, so that a hit is one cache call.

    A page's tags are inside its entry, so the first read of a key takes two
    calls: the page, then its tags' versions. Once the tags are known here, the
    page and the versions come back together (one MGET on Redis, the slowest
    part of a hit there). The tags of a key rarely change; when they do, the
    versions not fetched are read in a second call. Bounded: past MAX keys the
    oldest half is forgotten, and those keys take two calls again.
    """

    MAX = 20_000

    def __init__(self):
        self._tags: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[str, ...] | None:
        return self._tags.get(key)

    def remember(self, key: str, tags) -> None:
        tags = tuple(tags)
        if self._tags.get(key) == tags:
            return
        with self._lock:
            if len(self._tags) >= self.MAX:
                for old in list(self._tags)[: self.MAX // 2]:  # in insertion order: the oldest first
                    del self._tags[old]
            self._tags[key] = tags

    def clear(self) -> None:
        with self._lock:
            self._tags.clear()


# By page-cache key: the tags of each stored page. By path: the tags each page declared (`tag_request`).
known_tags = _KnownTags()
declared_tags = _KnownTags()


def lookup(key: str) -> tuple[Entry | None, bool]:
    """The stored page under `key` (or None) and whether it is still fresh."""
    tags = known_tags.get(key)
    if tags is None:
        entry = cache.get(key)
        if entry is None:
            return None, False
        found = cache.get_many([_tag_key(tag) for tag in entry.tags])
    else:
        found = cache.get_many([key, *(_tag_key(tag) for tag in tags)])
        entry = found.pop(key, None)
        if entry is None:
            return None, False
        unread = [_tag_key(tag) for tag in entry.tags if tag not in tags]
        if unread:
            found.update(cache.get_many(unread))
    known_tags.remember(key, entry.tags)
    versions = {tag: found.get(_tag_key(tag)) for tag in entry.tags}
    return entry, entry.is_fresh(versions, time.time())


def store(key: str, entry: Entry) -> None:
    timeout = settings.NASHIR_PAGE_CACHE_SECONDS + settings.NASHIR_PAGE_CACHE_STALE_SECONDS
    cache.set(key, entry, timeout)
    known_tags.remember(key, entry.tags)


def lock(key: str, seconds: int) -> bool:
    """Take the right to regenerate `key`; atomic in Redis and diskcache, per process in memory."""
    return cache.add(f"{key}:lock", 1, seconds)


def is_locked(key: str) -> bool:
    return cache.get(f"{key}:lock") is not None


def unlock(key: str) -> None:
    cache.delete(f"{key}:lock")
