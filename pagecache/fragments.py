"""Parts of a page kept between whole-page renders.

A page-cache miss (a copy past its lifetime, a comment approved) renders the
page again, but most of it has not changed: an article's body changes only
with a new revision, its related stories only when some article changes.
Those parts, rendered or as the rows they are made of, are kept under the
versions of the tags they depend on (see `store`), so the events that
refresh whole pages refresh them too. Each process also keeps the ones it
used last, so that a render reads none of them from the shared cache.
"""

import functools
import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from importlib.metadata import version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

from pagecache import store

# How long an article's parts kept per publication live: the page around them
# is rendered again every few minutes, and they show no relative time. Every
# change they show ends them before that (tags).
PUBLICATION_KEPT_SECONDS = 3600


@functools.cache
def release() -> str:
    """What identifies the running code, part of every key: a new release never reads an old one's entries.

    Kept values are pickled model instances and rows: after a release that
    adds a field or changes what a fragment holds, an old entry would unpickle
    into the wrong shape. So the key names a hash of the project's own
    sources (migrations included) and of the Django and Wagtail versions,
    whose models are pickled too; processes of one release share entries.
    """
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"django {version('django')} wagtail {version('wagtail')}".encode())
    base = Path(settings.BASE_DIR).resolve()
    for config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        path = Path(config.path).resolve()
        if not path.is_relative_to(base):
            continue  # installed packages: their version above
        for source in sorted(path.rglob("*.py")):
            digest.update(source.relative_to(base).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def kept(name: str, *, vary, tags, compute, seconds: int | None = None):
    """What `compute()` returns (anything the cache can pickle), kept until a tag in `tags` changes.

    `vary` holds what else the value depends on (an id, a revision); the
    language is always part of it. At most `seconds` old
    (NASHIR_FRAGMENT_CACHE_SECONDS by default).
    """
    return kept_many(name, varies=[vary], tags=tags, compute=lambda _missing: [compute()], seconds=seconds)[0]


def kept_many(name: str, *, varies: list, tags, compute, seconds: int | None = None) -> list:
    """`kept` for several values at once, one per item of `varies`.

    `compute(indexes)` returns the values of the items at `indexes`, the ones
    not kept, so that they can be made together (one query for all the
    missing cards of a list, say).
    """
    if not settings.NASHIR_FRAGMENT_CACHE:
        return compute(list(range(len(varies))))
    versions = store.tag_versions(tags)
    suffix = [versions[tag] for tag in sorted(tags)]
    prefix = f"{store.PREFIX}fragment:{release()}:{name}:{translation.get_language() or ''}:"
    # Hashed: what varies may hold spaces or any text, which some cache stores refuse in keys.
    keys = [
        prefix + hashlib.blake2b(":".join(map(str, [*vary, *suffix])).encode(), digest_size=16).hexdigest()
        for vary in varies
    ]
    values = [_local.get(key) for key in keys]
    values = [None if found is None else _thawed(found) for found in values]
    if any(value is None for value in values):
        unknown = [key for key, value in zip(keys, values, strict=True) if value is None]
        stored = cache.get_many(unknown)
        for index, key in enumerate(keys):
            if values[index] is None and key in stored:
                expires, values[index] = stored[key]
                _local.put(key, _frozen(values[index]), expires)
        missing = [index for index, value in enumerate(values) if value is None]
        if missing:
            lifetime = seconds or settings.NASHIR_FRAGMENT_CACHE_SECONDS
            expires = time.time() + lifetime
            made = compute(missing)
            cache.set_many(
                {keys[index]: (expires, value) for index, value in zip(missing, made, strict=True)}, lifetime
            )
            for index, value in zip(missing, made, strict=True):
                values[index] = value
                _local.put(keys[index], _frozen(value), expires)
    return values


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
