"""Counting real reads, and the most-read lists built from them."""

import hashlib
import logging
import re
import threading
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from news.models import ArticlePage
from readership.buffer import get_buffer, hour_key
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


def view_record(*, article_id: int, ip_address: str, user_agent: str, now: datetime | None = None) -> bool:
    """Count one read of an article if it is a real one; True when counted.

    Not counted: crawlers and scripts (by user agent), the same visitor (address
    and browser) again within 30 minutes, and articles that are not live. Only
    the cache and the buffer are written here, never a database row.
    """
    if is_bot(user_agent) or not _article_is_live(article_id):
        return False
    visitor = hashlib.sha256(f"{ip_address}|{user_agent}|{article_id}".encode()).hexdigest()
    buffer = get_buffer()
    if not buffer.first_sighting(visitor, int(REPEAT_WINDOW.total_seconds())):
        return False
    buffer.add(article_id, hour_key((now or timezone.now()).astimezone(UTC)))
    _ensure_periodic_flush()
    return True


def views_flush() -> int:
    """Write the buffered reads to the database in one transaction; returns how many."""
    buffer = get_buffer()
    counts = buffer.drain()
    if not counts:
        return 0
    try:
        with transaction.atomic():
            existing = set(ArticlePage.objects.filter(pk__in={pk for pk, _ in counts}).values_list("pk", flat=True))
            totals = {}
            for (article_id, hour), count in counts.items():
                if article_id not in existing:
                    continue  # deleted since it was read
                totals[article_id] = totals.get(article_id, 0) + count
                _add_hourly(article_id, datetime.strptime(hour, "%Y%m%d%H").replace(tzinfo=UTC), count)
            for article_id, count in totals.items():
                ArticlePage.objects.filter(pk=article_id).update(view_count=F("view_count") + count)
    except Exception:
        buffer.restore(counts)
        raise
    return sum(totals.values())


def _add_hourly(article_id: int, hour: datetime, count: int) -> None:
    updated = HourlyViews.objects.filter(article_id=article_id, hour=hour).update(views=F("views") + count)
    if updated:
        return
    try:
        with transaction.atomic():
            HourlyViews.objects.create(article_id=article_id, hour=hour, views=count)
    except IntegrityError:  # another flusher created the row first
        HourlyViews.objects.filter(article_id=article_id, hour=hour).update(views=F("views") + count)


def most_read(*, within: timedelta, under=None, limit: int = 5) -> list[ArticlePage]:
    """The most-read live articles of the last `within`, optionally under a section.

    Kept for a few minutes, it is a trend, not a ticker; and while no article
    is published, withdrawn or changed (the page cache's tags), since the list
    shows their titles.
    """
    from pagecache.fragments import kept
    from pagecache.store import CONTENT, SITE

    def ranked_articles():
        since = timezone.now() - within
        rows = HourlyViews.objects.filter(hour__gte=since.replace(minute=0, second=0, microsecond=0))
        if under is not None:
            rows = rows.filter(article__path__startswith=under.path)
        ranked = list(
            rows.values("article")
            .annotate(total=Sum("views"))
            .order_by("-total")
            .values_list("article", flat=True)[: limit * 2]
        )
        articles = ArticlePage.objects.published().filter(pk__in=ranked).defer("body").in_bulk()
        return [articles[pk] for pk in ranked if pk in articles][:limit]

    vary = [int(within.total_seconds()), under.path if under else "", limit]
    return kept("most-read", vary=vary, tags=[SITE, CONTENT], compute=ranked_articles, seconds=MOST_READ_CACHE_SECONDS)


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
