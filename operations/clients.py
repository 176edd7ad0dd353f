"""Who is asking and how often: the client's address behind the proxy, and rate limits that outlast any process.

Reader forms (readers.input), the staff login and the view counter all use these.
"""

from collections.abc import Mapping

from django.conf import settings
from django.core.cache import caches

# Counters and used form stamps: a cache of their own, which page copies cannot
# push out (see CACHES in the settings).
RATE_LIMIT_CACHE = "ratelimit"


def client_ip(request) -> str:
    """The client's address; behind a proxy, the one it was told (see NASHIR_TRUSTED_PROXY_HEADER)."""
    return client_address(request.META)


def client_address(meta: Mapping[str, str]) -> str:
    """`client_ip` from a WSGI environ or a request's META, for what answers before Django's handler."""
    header = settings.NASHIR_TRUSTED_PROXY_HEADER
    if header and meta.get(header):
        return meta[header].split(",")[0].strip()
    return meta.get("REMOTE_ADDR", "")


def rate_limited(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """True once `identity` has done `scope` more than `limit` times in `window` seconds.

    Kept in the rate-limit cache, so with Redis or the disk cache the limit holds
    across every server process, and no number of stored pages evicts it.
    """
    if not identity:
        return False
    cache = caches[RATE_LIMIT_CACHE]
    key = f"ratelimit:{scope}:{identity}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit
