"""Stored pages written as files that nginx sends without asking the application (docs/caching.md, "Page files").

A page nginx holds in its micro-cache costs it about a third more CPU than the
same bytes read from a file (docs/benchmarks.md, session 13): it parses the
stored headers, hashes the key and locks the cache zone on every hit. So,
when NASHIR_PAGE_FILES_DIR is set and nginx asks for it, a page served fresh
from the page cache is also written there as a file, its gzip copy beside it,
and nginx's `try_files` sends it as it sends a static file.

    <dir>/<bucket>/<headers>/<scheme>/<host>/<path>/index.html (and index.html.gz)
    <dir>/<bucket>/tags/<tag>   one line per file that shows the tag

- `bucket`: nginx's clock in steps of 100 seconds, sent by nginx in
  X-Nashir-Page-Bucket (its `$msec` without the last two digits). nginx looks
  in the current bucket only, so a file is sent for 100 s at most, with no
  timer to delete it; the first file written into a new bucket removes the
  buckets before the previous one. A page is written only while it has at
  least that long to stay fresh in the page cache, so a file never outlives
  the stored page it copies.
- `headers`: a fingerprint of the response headers nginx must add to the file
  (`page_files_nginx` writes them into the snippet nginx includes). A page
  with any other headers is written where nginx does not look: a settings
  change that alters the headers falls back to the micro-cache until nginx
  has the new snippet, rather than sending pages with the old ones.
- `tags`: `invalidate()` (pagecache.store) deletes every file that carries an
  invalidated tag, in every bucket. A file written while its tags change is
  deleted by its writer (see `write`).

Every server that renders pages or invalidates them must see the same folder:
the one nginx reads (on several machines, a shared folder, as MEDIA_ROOT).
"""

import hashlib
import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http.request import split_domain_port

logger = logging.getLogger(__name__)

# Set by nginx (deploy/nginx/nashir.conf) on every request it passes on; absent, nothing is written.
BUCKET_HEADER = "HTTP_X_NASHIR_PAGE_BUCKET"
BUCKET_SECONDS = 100
_BUCKET = re.compile(r"[0-9]{1,16}")
# Headers nginx makes itself for a file (type and charset, length, validators,
# Vary from gzip_vary, the encoding of the .gz copy) or that are the
# application's alone; the others it repeats from the snippet.
NGINX_OWN_HEADERS = frozenset(
    {
        "content-type",
        "content-length",
        "content-encoding",
        "etag",
        "last-modified",
        "vary",
        "date",
        "x-cache",
        "x-accel-expires",
    }
)
PAGE_TYPE = "text/html; charset=utf-8"
FILE_NAME = "index.html"
MAX_PATH_CHARACTERS = 1000
# Characters no page address of ours has, and that would make an odd file name or a broken index line.
_UNSAFE_SEGMENT = re.compile(r"[\x00-\x1f\x7f\\]")


def folder() -> Path | None:
    value = settings.NASHIR_PAGE_FILES_DIR
    return Path(value) if value else None


def nginx_headers(headers) -> list[tuple[str, str]]:
    """Of a page's response headers, those nginx must add to its file, sorted by name."""
    return sorted((name, value) for name, value in headers if name.lower() not in NGINX_OWN_HEADERS)


def fingerprint(headers) -> str:
    """The name of the folder for pages sent with these headers (`nginx_headers`)."""
    text = "\n".join(f"{name.lower()}: {value}" for name, value in nginx_headers(headers))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _relative_path(request) -> Path | None:
    """`<scheme>/<host>/<path>` for an address nginx's `$scheme/$host$uri` finds; None for one it would not."""
    host, _port = split_domain_port(request.get_host())
    path = request.path
    if not host or not path.endswith("/") or len(path) > MAX_PATH_CHARACTERS:
        return None
    segments = path[1:-1].split("/") if path != "/" else []
    # nginx merges slashes and resolves dot segments before it looks: such an address has no file of its own.
    if any(segment in ("", ".", "..") or _UNSAFE_SEGMENT.search(segment) for segment in segments):
        return None
    return Path(request.scheme, host, *segments)


def _current_bucket(bucket: str) -> bool:
    """Whether nginx's bucket is this clock's, or one step off (two clocks a moment apart, a step turning).

    Anything else did not come from nginx: it would fill buckets nginx never reads, or make this one look old.
    """
    return bool(_BUCKET.fullmatch(bucket)) and abs(int(bucket) - bucket_now()) <= 1


def bucket_now() -> int:
    """This clock's bucket, as nginx computes its own."""
    return int(time.time()) // BUCKET_SECONDS


def _writable(request, entry) -> bool:
    if request.method != "GET" or request.META.get("QUERY_STRING") or entry.status != 200 or not entry.gzipped:
        return False
    headers = {name.lower(): value for name, value in entry.headers}
    if headers.get("content-type") != PAGE_TYPE or headers.get("vary", "Accept-Encoding") != "Accept-Encoding":
        return False
    # Pages kept nginx's ordinary second; a view that asked for another lifetime is left to the micro-cache.
    if headers.get("x-accel-expires") != str(settings.NASHIR_NGINX_CACHE_SECONDS):
        return False
    # Written only while it would be sent fresh from the page cache for a whole bucket more.
    return time.time() + BUCKET_SECONDS < entry.stored_at + settings.NASHIR_PAGE_CACHE_SECONDS


def write(request, entry, current_versions: Callable[[list[str]], dict[str, str]]) -> Path | None:
    """Write `entry`, the fresh page for `request`, where nginx looks for it; returns the file, or None.

    `current_versions(tags)` reads the tags' versions from the cache. They are
    read again once the file and its index lines are written: if a tag was
    invalidated meanwhile (before its files were looked for, or after), the
    file is deleted here, so that no file outlives a change of what it shows.
    Never raises: a page that cannot be written is sent by the micro-cache.
    """
    root = folder()
    bucket = request.META.get(BUCKET_HEADER, "")
    if root is None or not _current_bucket(bucket) or not _writable(request, entry):
        return None
    relative = _relative_path(request)
    if relative is None:
        return None
    bucket_dir = root / bucket
    where = Path(fingerprint(entry.headers)) / relative
    target = bucket_dir / where / FILE_NAME
    try:
        if target.exists():
            return None
        if not bucket_dir.exists():
            _remove_old_buckets(root, int(bucket))
        target.parent.mkdir(parents=True, exist_ok=True)
        # The compressed copy first: nginx finds a page by its plain file.
        _replace(target.with_name(FILE_NAME + ".gz"), entry.content)
        _replace(target, entry.identity())
        tags_dir = bucket_dir / "tags"
        tags_dir.mkdir(exist_ok=True)
        for tag in entry.tags:
            with (tags_dir / quote(tag, safe="")).open("a", encoding="utf-8") as index:
                index.write(f"{where}\n")
    except OSError:
        logger.warning("Could not write the page file of %s", request.path, exc_info=True)
        return None
    try:
        current = current_versions(list(entry.tags))
    except Exception:  # the cache is unreachable: no telling whether the page is still current
        logger.warning("Could not check the page file of %s", request.path, exc_info=True)
        current = None
    if current != entry.tags:
        _delete(bucket_dir / where)
        return None
    return target


def purge(tags) -> None:
    """Delete every page file that shows one of `tags`, in every bucket (store.invalidate calls it)."""
    root = folder()
    if root is None:
        return
    for bucket_dir in _buckets(root):
        for tag in tags:
            index = bucket_dir / "tags" / quote(tag, safe="")
            # Taken away before it is read: a line written meanwhile goes to a new index,
            # and its writer sees the new version of the tag and deletes its own file.
            taken = index.with_name(f"{index.name}.{uuid.uuid4().hex}.purging")
            try:
                os.rename(index, taken)
            except FileNotFoundError:
                continue
            except OSError:
                logger.warning("Could not purge the page files of %s", tag, exc_info=True)
                continue
            try:
                for line in set(taken.read_text(encoding="utf-8").splitlines()):
                    if line:
                        _delete(bucket_dir / line)
                taken.unlink()
            except OSError:
                logger.warning("Could not purge the page files of %s", tag, exc_info=True)


def _buckets(root: Path) -> list[Path]:
    try:
        return [path for path in root.iterdir() if _BUCKET.fullmatch(path.name) and path.is_dir()]
    except FileNotFoundError:
        return []


def _remove_old_buckets(root: Path, bucket: int) -> None:
    """Buckets nginx no longer reads: all but this one and the one before (a writer a little behind the clock)."""
    for path in _buckets(root):
        if int(path.name) < bucket - 1:
            shutil.rmtree(path, ignore_errors=True)


def _replace(path: Path, content: bytes) -> None:
    """Write a file nginx never sees half-written; readable by nginx's workers as the umask allows."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with temporary.open("wb") as file:
        file.write(content)
    os.replace(temporary, path)


def _delete(page_dir: Path) -> None:
    # The plain file first: without it nginx no longer finds the page.
    for name in (FILE_NAME, FILE_NAME + ".gz"):
        try:
            (page_dir / name).unlink()
        except FileNotFoundError:
            pass
