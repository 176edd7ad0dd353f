"""Counting real reads, and the most-read lists built from them.

One address counts once per article in 30 minutes whatever browser it
claims, and at most NASHIR_VIEWS_PER_ADDRESS_PER_HOUR times an hour across
the site; the most-read lists rank by readers (an address counts once per
article a day), so no single source can lift a story. Addresses are kept only
as keyed hashes, in short-lived cache entries.
"""

import ipaddress
import logging
import re
import threading
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from news.models import ArticlePage
from readership.buffer import READERS, READS, get_buffer, hour_key
from readership.counters import read_admitted
from readership.models import HourlyViews

logger = logging.getLogger(__name__)

# Crawlers, link previews, monitors and scripts: none of them is a reader.
BOT_USER_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|scrap|fetch|preview|monitor|checker|facebookexternalhit|embedly|"
    r"whatsapp|telegram|headless|phantom|lighthouse|curl|wget|python|httpclient|java/|go-http|"
    r"okhttp|axios|node-fetch|libwww|feed|rss",
    re.IGNORECASE,
)
REPEAT_WINDOW = timedelta(minutes=30)
# An address counts as a new reader of an article once in this long (the most-read lists).
READER_WINDOW = timedelta(hours=24)
LIVE_ARTICLE_CACHE_SECONDS = 60
MOST_READ_CACHE_SECONDS = 300


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_USER_AGENTS.search(user_agent))


_live_articles: dict[int, tuple[bool, float]] = {}


def _article_is_live(article_id: int) -> bool:
    """Whether the article is live, remembered by this process for a few minutes."""
    known = _live_articles.get(article_id)
    if known is not None and known[1] > time.monotonic():
        return known[0]
    live = ArticlePage.objects.published().filter(pk=article_id).exists()
    if len(_live_articles) > 50_000:
        _live_articles.clear()
    _live_articles[article_id] = (live, time.monotonic() + LIVE_ARTICLE_CACHE_SECONDS)
    return live


def address_source(ip_address: str) -> str:
    """Who sent a read, as a keyed hash of the address (never stored raw).

    An IPv6 address counts by its /64: one subscriber is usually given the
    whole block and could otherwise read from a new address each time.
    """
    try:
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        source = ip_address
    else:
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
        source = str(ipaddress.ip_network(f"{address}/64", strict=False) if address.version == 6 else address)
    return salted_hmac("nashir.readership.source", source, algorithm="sha256").hexdigest()[:32]


def view_record(*, article_id: int, ip_address: str, user_agent: str, now: datetime | None = None) -> bool:
    """Count one read of an article if it is a real one; True when counted.

    Not counted: crawlers and scripts (by user agent), articles that are not
    live, the same address again within 30 minutes (whatever its browser says),
    and an address past its hourly allowance. Only the cache and the buffer
    are written here, never a database row.
    """
    if is_bot(user_agent) or not _article_is_live(article_id):
        return False
    hour = hour_key((now or timezone.now()).astimezone(UTC))
    buffer = get_buffer()
    admission = read_admitted(
        source=address_source(ip_address),
        article_id=article_id,
        hour=hour,
        repeat_seconds=int(REPEAT_WINDOW.total_seconds()),
        reader_seconds=int(READER_WINDOW.total_seconds()),
        allowance=settings.NASHIR_VIEWS_PER_ADDRESS_PER_HOUR,
        tally=buffer.tally(article_id, hour),
    )
    if not admission.counted:
        return False
    if not admission.tallied:
        buffer.add(article_id, hour, readers=int(admission.new_reader))
    _ensure_periodic_flush()
    return True


def views_flush() -> int:
    """Write the buffered reads to the database in one transaction; returns how many."""
    buffer = get_buffer()
    counts = buffer.drain()
    if not counts:
        return 0
    hourly = {}
    for (article_id, hour, kind), count in counts.items():
        tally = hourly.setdefault((article_id, hour), {READS: 0, READERS: 0})
        tally[kind] += count
    try:
        with transaction.atomic():
            existing = set(ArticlePage.objects.filter(pk__in={pk for pk, _ in hourly}).values_list("pk", flat=True))
            totals = {}
            for (article_id, hour), tally in hourly.items():
                if article_id not in existing:
                    continue  # deleted since it was read
                totals[article_id] = totals.get(article_id, 0) + tally[READS]
                moment = datetime.strptime(hour, "%Y%m%d%H").replace(tzinfo=UTC)
                _add_hourly(article_id, moment, views=tally[READS], readers=tally[READERS])
            for article_id, count in totals.items():
                ArticlePage.objects.filter(pk=article_id).update(view_count=F("view_count") + count)
    except Exception:
        buffer.restore(counts)
        raise
    return sum(totals.values())


def _add_hourly(article_id: int, hour: datetime, *, views: int, readers: int) -> None:
    rows = HourlyViews.objects.filter(article_id=article_id, hour=hour)
    if rows.update(views=F("views") + views, readers=F("readers") + readers):
        return
    try:
        with transaction.atomic():
            HourlyViews.objects.create(article_id=article_id, hour=hour, views=views, readers=readers)
    except IntegrityError:  # another flusher created the row first
        rows.update(views=F("views") + views, readers=F("readers") + readers)


def most_read(*, within: timedelta, under=None, limit: int = 5) -> list[ArticlePage]:
    """The most-read live articles of the last `within`, optionally under a section.

    Ranked by readers, not reads: an address counts once per article a day,
    so one source, however busy, weighs as one reader. Pages keep the lists
    rendered for a few minutes (`most_read_lists`): a trend, not a ticker.
    """
    since = timezone.now() - within
    rows = HourlyViews.objects.filter(hour__gte=since.replace(minute=0, second=0, microsecond=0))
    if under is not None:
        rows = rows.filter(article__path__startswith=under.path)
    ranked = list(
        rows.values("article")
        .annotate(readers=Sum("readers"), reads=Sum("views"))
        .order_by("-readers", "-reads")
        .values_list("article", flat=True)[: limit * 2]
    )
    articles = ArticlePage.objects.published().filter(pk__in=ranked).defer("body").in_bulk()
    return [articles[pk] for pk in ranked if pk in articles][:limit]


_flusher_started = False
_flusher_lock = threading.Lock()


def _ensure_periodic_flush() -> None:
    """Start this process's flusher thread once, if the setting asks for one."""
    global _flusher_started
    interval = settings.NASHIR_VIEWS_FLUSH_SECONDS
    if not interval or _flusher_started:
        return
    with _flusher_lock:
        if _flusher_started:
            return
        _flusher_started = True
        threading.Thread(target=_flush_forever, args=(interval,), name="views-flusher", daemon=True).start()


def _flush_forever(interval: int) -> None:
    from django.db import connection

    while True:
        time.sleep(interval)
        try:
            views_flush()
        except Exception:
            logger.exception("Flushing the view counts failed; they stay buffered for the next try.")
        finally:
            connection.close()
