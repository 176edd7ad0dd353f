"""Parts of a page kept between whole-page renders.

A page-cache miss (a copy past its lifetime, a comment approved) renders the
page again, but most of it has not changed: an article's body changes only
with a new revision, its related stories only when some article changes.
Those parts, rendered or as the rows they are made of, are kept under the
versions of the tags they depend on (see `store`), so the events that
refresh whole pages refresh them too.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

from pagecache import store


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
    key = f"{store.PREFIX}fragment:" + ":".join(parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds or settings.NASHIR_FRAGMENT_CACHE_SECONDS)
    return value


def fragment(name: str, *, vary, tags, render, seconds: int | None = None):
    """HTML that `render()` returns from a template (so already escaped), kept like `kept`."""
    return mark_safe(kept(name, vary=vary, tags=tags, compute=render, seconds=seconds))  # noqa: S308
