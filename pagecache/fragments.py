"""Parts of a page kept between whole-page renders.

A page-cache miss (a copy past its lifetime, a comment approved) renders the
page again, but most of it has not changed: an article's body changes only
with a new revision, its related stories only when some article changes.
Those parts, rendered or as the rows they are made of, are kept under the
versions of the tags they depend on (see `store`), so the events that
refresh whole pages refresh them too. Each process also keeps the ones it
used last, so that a render reads none of them from the shared cache.
"""

import pickle
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

from pagecache import store

# Part of every key; changed when what is stored under a key changes shape,
# so that a new release never reads an old one's entries from a shared cache.
FORMAT = 2


def kept(name: str, *, vary, tags, compute, seconds: int | None = None):
    """What `compute()` returns (anything the cache can pickle), kept until a tag in `tags` changes.

    `vary` holds what else the value depends on (an id, a revision); the
    language is always part of it. At most `seconds` old
    (NASHIR_FRAGMENT_CACHE_SECONDS by default).
    """
    if not settings.NASHIR_FRAGMENT_CACHE:
        return compute()
    versions = store.tag_versions(tags)
    parts = [name, translation.get_language() or "", *map(str, vary), *(versions[tag] for tag in sorted(tags))]
    key = f"{store.PREFIX}fragment:{FORMAT}:" + ":".join(parts)
    found = _local.get(key)
    if found is not None:
        return _thawed(found)
    stored = cache.get(key)
    if stored is None:
        value, lifetime = compute(), seconds or settings.NASHIR_FRAGMENT_CACHE_SECONDS
        expires = time.time() + lifetime
        cache.set(key, (expires, value), lifetime)
    else:
        expires, value = stored
    _local.put(key, _frozen(value), expires)
    return value


def _frozen(value):
    """Text as it is; anything else pickled, so that no request sees what another did to the objects."""
    return value if isinstance(value, str) else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _thawed(frozen):
    return frozen if isinstance(frozen, str) else pickle.loads(frozen)  # noqa: S301 - pickled by this process


class _LocalCopies:
    """The fragments this process used last, so that a render needs no trip to the shared cache for them.

    A key names the tag versions its value was made under, so a copy can
    never pass for a newer version; it expires when the shared one does.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, tuple[float, object]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            expires, value = found
            if expires <= time.time():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return value

    def put(self, key: str, value, expires: float) -> None:
        with self.lock:
            self.entries[key] = (expires, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


# A rendered body is 5–50 KB: a few MB per worker at most.
_local = _LocalCopies(size=200)


def fragment(name: str, *, vary, tags, render, seconds: int | None = None):
    """HTML that `render()` returns from a template (so already escaped), kept like `kept`."""
    return mark_safe(kept(name, vary=vary, tags=tags, compute=render, seconds=seconds))  # noqa: S308
