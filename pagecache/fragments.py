"""Parts of a page kept rendered between whole-page renders.

A page-cache miss (a copy past its lifetime, a comment approved) renders the
page again, but most of it has not changed: an article's body changes only
with a new revision, its related stories only when some article changes.
Those parts are kept under the versions of the tags they depend on (see
`store`), so the events that refresh whole pages refresh them too.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe

from pagecache import store


def fragment(name: str, *, vary, tags, render, seconds: int | None = None):
    """The HTML `render()` returns, kept until a tag in `tags` changes or `seconds` pass.

    `vary` holds what else the HTML depends on (an id, a revision); `render`
    returns HTML that is safe as it is (a rendered template).
    """
    if not settings.NASHIR_FRAGMENT_CACHE:
        return render()
    versions = store.tag_versions(tags)
    parts = [name, *map(str, vary), *(versions[tag] for tag in sorted(tags))]
    key = f"{store.PREFIX}fragment:" + ":".join(parts)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds or settings.NASHIR_FRAGMENT_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by a template, which escaped it)
