"""Where the lite edition of a page lives: the same address under /lite/."""

from urllib.parse import unquote

from django.urls import Resolver404, resolve

PREFIX = "/lite"
# The full pages that have a lite equivalent besides the page tree (served by Wagtail).
LITE_VIEWS = frozenset({"wagtail_serve", "news:author", "news:desk", "news:tag", "search:search", "corrections:log"})
# What a lite page keeps of its full page's query string: the page of a listing, the search.
KEPT_PARAMETERS = ("q", "page")


def lite_path(path: str) -> str:
    """The lite address of a full page's address; an address on another site is left as it is.

    Arabic slugs are written as they are (UTF-8, an IRI), not percent-encoded:
    a third of the bytes, and a lite listing is mostly addresses.
    """
    if not path.startswith("/") or path.startswith("//"):
        return path
    return PREFIX + unquote(path)


def full_path(lite: str) -> str:
    """The full page's address of a lite address."""
    return lite.removeprefix(PREFIX) or "/"


def lite_equivalent(request) -> str:
    """The lite page showing what `request`'s page shows, or the lite home page when it has none (a form)."""
    path = request.path
    if path == PREFIX or path.startswith(PREFIX + "/"):
        return path
    # The request's own match when it has one: resolving again walks every address pattern.
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return PREFIX + "/"
    if match.view_name not in LITE_VIEWS:
        return PREFIX + "/"
    kept = request.GET.copy()
    for name in list(kept):
        if name not in KEPT_PARAMETERS:
            del kept[name]
    query = kept.urlencode()
    return lite_path(path) + (f"?{query}" if query else "")
