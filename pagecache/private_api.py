"""The private attributes of Django and Wagtail that the cache relies on, in one place.

Wagtail looks up a request's site with `Site._find_for_request` (Django's
`get_host()` validates the host against ALLOWED_HOSTS, which the lookup must
not do twice) and keeps it, and the sites' root paths, on the request under
private names that `Site.find_for_request` and `Page.get_url(request)` read
first. An upgrade of Django or Wagtail that renames one of them breaks here,
and the tests of `pagecache.memo` and `SiteMiddleware` say so.
"""

from wagtail.models import Site


def site_found_for(request) -> Site | None:
    """Wagtail's own lookup of the request's site, without the copy it keeps on the request."""
    return Site._find_for_request(request)


def raw_host(request) -> str:
    """The Host header (or the server's name) as sent, unchecked: what Wagtail matches sites on."""
    return request._get_raw_host()


def site_set_for(request, site: Site | None, root_paths: list) -> None:
    """Where Wagtail looks first for the request's site and the sites' root paths."""
    request._wagtail_site = site
    request._wagtail_cached_site_root_paths = root_paths
