"""Rows that almost every request reads and that almost never change, kept in each process.

The site for a host, with its home page, the sites' root paths, whether any
page is restricted, the menu and the comment settings: without this, every
page render began with four queries and a few cache reads to find them.
A process keeps them while the "site" tag keeps its version. Everything
that changes them (a site saved or deleted, a page other than an article
published, moved or withdrawn, a view restriction added or removed, the
settings saved) bumps that tag (`pagecache.invalidation`),
and the new version reaches every process through the shared cache.
"""

import copy

from wagtail.models import PageViewRestriction, Site

from pagecache import private_api, store

# Sites are looked up by the Host header a reader sends: bounded, whatever hosts arrive.
MAX_ENTRIES = 64

_kept: dict = {}


def site_wide(key, compute):
    """What `compute()` returns, computed once per process and per version of the site tag."""
    version = store.tag_versions([store.SITE])[store.SITE]
    found = _kept.get(key)
    if found is not None and found[0] == version:
        return found[1]
    value = compute()
    if len(_kept) >= MAX_ENTRIES:
        _kept.clear()
    _kept[key] = (version, value)
    return value


def site_for_request(request) -> Site | None:
    """`Site.find_for_request`, with the site's home page already loaded as its own type.

    Each request gets its own copies: the page instance caches what it loads
    (its lead article, say), which must not outlive the request.
    """

    def compute():
        site = private_api.site_found_for(request)
        if site is not None:
            site.root_page = site.root_page.localized.specific
        return site

    hostname, port = private_api.raw_host(request), request.get_port()
    site = site_wide(("site", hostname, port), compute)
    if site is None:
        return None
    site = copy.copy(site)
    site.root_page = copy.copy(site.root_page)
    return site


def site_root_paths() -> list:
    """Wagtail's `Site.get_site_root_paths()`: what every page address is built from."""
    return site_wide("site-root-paths", Site.get_site_root_paths)


def any_view_restriction() -> bool:
    return site_wide("any-view-restriction", PageViewRestriction.objects.exists)
