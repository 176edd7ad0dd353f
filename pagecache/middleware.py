"""Serve anonymous readers from the page cache, with one regeneration per address at a time.

First in MIDDLEWARE, so that a hit costs two cache reads and nothing else:
no session, no database, no template. The response it stores has been
through every other middleware, security headers included.
"""

import hashlib
import logging
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from pagecache import files, memo, private_api, store

logger = logging.getLogger(__name__)

# Never cached: the admin and its previews, per-reader endpoints, files served elsewhere; the
# newsroom's stylesheet, which browsers keep a year by its versioned address and costs no query.
SKIPPED_PREFIXES = (
    "/admin/",
    "/static/",
    "/media/",
    "/documents/",
    "/views/",
    "/api/",
    "/health/",
    "/comments/",
    "/theme.css",
    # Its own short cache headers; the bar must not wait for a stored copy to expire.
    "/breaking.json",
)
# Links shared on social networks carry these; the page does not depend on them.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid", "ref", "_ga", "amp", "s_cid"}
)
# Confirmations meant for one reader (a comment waiting for moderation, a sent form).
PERSONAL_PARAMETERS = frozenset({"posted", "sent"})
LOCK_SECONDS = 30
# A reader who arrives while the first copy of a page is being rendered waits
# for it rather than rendering it too; after this long, renders it anyway.
WAIT_SECONDS = 5.0
WAIT_STEP = 0.02
# Headers that describe one response, not the page.
UNSTORED_HEADERS = frozenset({"date", "set-cookie", "x-cache", "etag", "last-modified", "content-length"})


def _cache_key(request) -> str | None:
    """The key for this request's page, or None when it must not come from the cache."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(SKIPPED_PREFIXES):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return None  # editors, previews and anything personal
    parameters = []
    for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True):
        if name in PERSONAL_PARAMETERS:
            return None
        if name.startswith("utm_") or name in TRACKING_PARAMETERS:
            continue
        parameters.append((name, value))
    # In the reader's order, not sorted: of repeated parameters the last one counts
    # (`?page=3&page=2` is page 2), and search repeats the others in its links as they came.
    # The language is not part of it: every reader gets the site's (arabic.middleware).
    query = urlencode(parameters)
    # The scheme too: a plain-http request must reach SecurityMiddleware's redirect to https.
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"{store.PREFIX}{hashlib.blake2b(address.encode(), digest_size=20).hexdigest()}"


def _storable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _public_headers(response) -> None:
    """What browsers, nginx and a CDN may do with a page anonymous readers all get alike.

    A view that set a public lifetime of its own for both (an endpoint polled
    every few seconds, kept seconds rather than a minute) keeps it.
    """
    if "public" in response.get("Cache-Control", "") and response.has_header("X-Accel-Expires"):
        return
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={settings.NASHIR_CDN_CACHE_SECONDS}, "
        "stale-while-revalidate=30, stale-if-error=86400"
    )
    # nginx keeps it this long (micro-caching) and does not pass the header on.
    response["X-Accel-Expires"] = str(settings.NASHIR_NGINX_CACHE_SECONDS)


def _bypassed(response):
    response.setdefault("X-Cache", "BYPASS")
    # Not for shared caches unless the view said otherwise (static files, the API do).
    response.setdefault("Cache-Control", "private, no-cache")
    return response


def _accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header allows gzip: named, or `*`, with a weight above 0 (`gzip;q=0` refuses it)."""
    weights = {}
    for item in accept_encoding.split(","):
        coding, *parameters = item.split(";")
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[coding.strip().lower()] = weight
    for coding in ("gzip", "x-gzip", "*"):
        if coding in weights:
            return weights[coding] > 0
    return False


def _sent_fresh(request, entry: store.Entry, state: str):
    """A fresh page (a hit, or just rendered): written as a page file too when nginx asks for one."""
    files.write(request, entry, store.current_versions)
    return _from_entry(request, entry, state)


def _from_entry(request, entry: store.Entry, state: str):
    # A page stored compressed goes out as it is to whoever accepts gzip
    # (nginx asks for it on every request), decompressed to anyone else.
    send_gzip = entry.gzipped and _accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    content = entry.content if send_gzip else entry.identity()
    etag = entry.gzip_etag if send_gzip else entry.etag
    response = HttpResponse(content, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    if entry.gzipped:
        # Both copies say so, or a shared cache could hand one to readers who asked for the other.
        patch_vary_headers(response, ["Accept-Encoding"])
    if send_gzip:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(entry.stored_at)
    response["X-Cache"] = state
    if state == "STALE":
        # Known to be out of date: if nginx or a CDN kept it, readers would
        # still see it after the new page is ready.
        response["X-Accel-Expires"] = "0"
        response["Cache-Control"] = "public, max-age=0, s-maxage=0, stale-if-error=86400"
    # Said, not left to the server: without it gunicorn sends the page in chunks, and
    # nginx keeps it so and sends every micro-cached copy chunked, by write() rather
    # than by sendfile() as a static file goes.
    response["Content-Length"] = str(len(content))
    if request.method == "HEAD":  # the headers of the page, without its body
        response.content = b""
    return get_conditional_response(request, etag=etag, last_modified=int(entry.stored_at), response=response)


def fresh_response(request):
    """The stored page for `request` if it is fresh, as the middleware sends a hit (304 included); else None.

    For a fast path before Django's handler (`pagecache.wsgi`): the same key,
    the same two cache reads, the same headers. Raises `DisallowedHost` for a
    host Django would refuse.
    """
    key = _cache_key(request) if settings.NASHIR_PAGE_CACHE else None
    if key is None:
        return None
    entry, fresh = store.lookup(key)
    return _sent_fresh(request, entry, "HIT") if fresh else None


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with store.request_scope(request.path):
            return self._respond(request)

    def _respond(self, request):
        key = _cache_key(request) if settings.NASHIR_PAGE_CACHE else None
        if key is None:
            return _bypassed(self.get_response(request))
        entry, fresh = store.lookup(key)
        if fresh:
            return _sent_fresh(request, entry, "HIT")
        if store.lock(key, LOCK_SECONDS):
            try:
                return self._regenerate(request, key, stale=entry)
            finally:
                store.unlock(key)
        if entry is not None:
            return _from_entry(request, entry, "STALE")
        waited = self._wait(key)
        if waited is not None:
            return _sent_fresh(request, waited, "HIT")
        return self._regenerate(request, key, stale=None)

    def _regenerate(self, request, key, stale):
        # Versions are read before rendering: if a tag is bumped while the page
        # renders, the copy is stored already stale rather than passing for new.
        versions = store.tag_versions([store.SITE, store.CONTENT])
        stored_at = time.time()
        response = self.get_response(request)
        if response.status_code >= 500 and stale is not None:
            logger.warning("Serving a stale copy of %s after a %s", request.path, response.status_code)
            return _from_entry(request, stale, "STALE")
        if not _storable(response):
            return _bypassed(response)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        _public_headers(response)
        # A view that says what it shows (store.tag_request) is invalidated by
        # that alone; any other page by any change of content.
        declared = getattr(request, "pagecache_versions", None)
        if declared:
            versions = {store.SITE: versions[store.SITE], **declared}
        headers = [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]
        entry = store.Entry(
            status=response.status_code,
            headers=headers,
            content=response.content,
            tags=versions,
            stored_at=stored_at,
        )
        if request.method == "GET":
            store.store(key, entry)
        return _sent_fresh(request, entry, "MISS")

    def _wait(self, key):
        """The copy another request is rendering; None if it ends without storing one (a 404, say)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            entry, fresh = store.lookup(key)
            if fresh:
                return entry
            if not store.is_locked(key):
                return None
        return None


class SiteMiddleware:
    """The request's Wagtail site, its home page and the sites' root paths from this process's memo (`pagecache.memo`).

    Set where Wagtail looks first (`Site.find_for_request`, `Page.get_url(request)`): four queries and a cache
    read less per page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Not for what is not a reader's page: the health check, say, must answer with the database down.
        if not request.path.startswith(SKIPPED_PREFIXES):
            private_api.site_set_for(request, memo.site_for_request(request), memo.site_root_paths())
        return self.get_response(request)
