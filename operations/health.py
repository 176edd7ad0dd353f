"""What /health/ checks: the database, the cache, the task worker and its queue, and scheduled publishing."""

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from operations.scheduling import overdue_publications
from operations.worker import HEARTBEAT_STALE_SECONDS, heartbeat_latest


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    ms: float = 0.0


def _timed(name, probe) -> Check:
    started = time.perf_counter()
    try:
        ok, detail = probe()
    except Exception as error:  # a health check reports every failure, it never raises
        # The kind of failure only: the message may name hosts and users, and /health/ is public.
        ok, detail = False, type(error).__name__
    return Check(name, ok, detail, round((time.perf_counter() - started) * 1000, 1))


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connection.vendor


def _cache():
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    found = cache.get(key)
    cache.delete(key)
    # A store behind the wrapper in cachestores.backends fails quietly: the wrapper says what failed.
    fault = getattr(cache, "fault", "")
    if fault:
        return False, _("متوقفة (%(fault)s): تُقدَّم الصفحات من دونها إلى أن تعود") % {"fault": fault}
    config = settings.CACHES["default"]
    return found == value, config.get("STORE", config["BACKEND"]).rsplit(".", 1)[-1]


def _tasks():
    if settings.TASKS_BACKEND != "database":
        return True, _("تُنفَّذ المهام فور طلبها")
    from django_tasks_db.models import DBTaskResult, get_date_max

    heartbeat = heartbeat_latest()
    if heartbeat is None:
        return False, _("لا يعمل عامل المهام: شغّل manage.py run_worker")
    silent = (timezone.now() - heartbeat.beat_at).total_seconds()
    if silent > HEARTBEAT_STALE_SECONDS:
        return False, _("عامل المهام متوقف: آخر إشارة منه قبل %(seconds)d ثانية") % {"seconds": silent}
    limit = timezone.now() - timedelta(seconds=settings.NASHIR_TASK_BACKLOG_SECONDS)
    waiting = DBTaskResult.objects.ready().filter(
        Q(run_after=get_date_max(), enqueued_at__lt=limit) | Q(run_after__lt=limit)
    )
    late = waiting.count()
    if late:
        return False, _("%(count)d مهمة تنتظر منذ أكثر من %(seconds)d ثانية: هل يعمل db_worker؟") % {
            "count": late,
            "seconds": settings.NASHIR_TASK_BACKLOG_SECONDS,
        }
    return True, _("لا مهام متأخرة")


def _scheduled():
    overdue = overdue_publications()
    titles = [title for title, _when in overdue["publish"] + overdue["expire"]]
    if titles:
        return False, _("مواعيد نشر فائتة: %(titles)s") % {"titles": "، ".join(titles)}
    return True, _("لا مواعيد نشر فائتة")


def health_checks() -> list[Check]:
    database = _timed("database", _database)
    checks = [database, _timed("cache", _cache)]
    if database.ok:  # the other two read the database
        checks += [_timed("tasks", _tasks), _timed("scheduled_publishing", _scheduled)]
    return checks
