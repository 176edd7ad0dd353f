"""Scheduled publishing that cannot silently miss.

When an editor schedules a story (or its expiry), a `publish_due` task is
queued to run at that time; the task worker (`manage.py db_worker`) runs it.
A systemd timer running `publish_scheduled` every minute is the safety net
(deploy/systemd/nashir-publish.timer). Whatever is still not done a grace
period after its time is reported as overdue: on the admin dashboard and
on /health/.

Work to do once a day (erasing readers' old addresses, say) is registered by
its app with the `register_daily_task` hook and queued by the task worker's
supervisor: one server's, however many run (`daily_tasks_enqueue`).
"""

from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail import hooks
from wagtail.models import Page, Revision

from operations.models import DailyTaskRun
from operations.tasks import publish_due

# pg_advisory_xact_lock's key: any number no other code of this database uses.
PUBLISHING_LOCK_KEY = 0x6E617368  # "nash"


@contextmanager
def publishing_lock():
    """One run of scheduled publishing at a time, across every server.

    The run is one transaction that starts by taking a lock the database
    holds until it ends: on PostgreSQL an advisory lock, on SQLite the write
    lock that an IMMEDIATE transaction takes at its start. A second run waits,
    then finds the revisions already published.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLISHING_LOCK_KEY])
        yield


DAILY_TASK_HOOK = "register_daily_task"
# Rows of days long past say nothing more; kept a while to see what ran when.
DAILY_TASK_RUNS_KEPT = timedelta(days=30)


def publication_schedule(when: datetime) -> None:
    """Have `publish_due` run at `when`, once (Wagtail saves a scheduled revision twice).

    Without a backend that can defer (development), nothing is queued and the
    `publish_scheduled` timer is what publishes.
    """
    if not default_task_backend.supports_defer:
        return
    seconds_left = (when - timezone.now()).total_seconds()
    if not cache.add(f"operations:scheduled:{when.timestamp()}", 1, max(60, int(seconds_left) + 60)):
        return  # already queued for that moment; a second run would find nothing due anyway
    transaction.on_commit(lambda: publish_due.using(run_after=when).enqueue())


def overdue_publications(now: datetime | None = None) -> dict[str, list]:
    """Stories that should have gone live or come down more than the grace period ago."""
    limit = (now or timezone.now()) - timedelta(seconds=settings.NASHIR_SCHEDULE_GRACE_SECONDS)
    to_publish = (
        Revision.objects.page_revisions()
        .filter(approved_go_live_at__lt=limit)
        .select_related("content_type")
        .order_by("approved_go_live_at")
    )
    to_expire = Page.objects.live().filter(expire_at__lt=limit).order_by("expire_at")
    return {
        "publish": [(revision.object_str, revision.approved_go_live_at) for revision in to_publish[:20]],
        "expire": [(page.title, page.expire_at) for page in to_expire[:20]],
    }


def daily_tasks_enqueue(*, today: date | None = None) -> list[str]:
    """Queue each registered daily task not yet queued today (the server's date); the paths queued.

    Called with every heartbeat of every worker supervisor: the first to
    record the (task, day) pair queues the task, the others find it taken.
    A task that fails is not queued again that day; the next day's run
    catches up, since daily tasks do whatever is due by then.
    """
    today = today or timezone.localdate()
    queued = []
    for register in hooks.get_hooks(DAILY_TASK_HOOK):
        task = register()
        if DailyTaskRun.objects.filter(task=task.module_path, day=today).exists():
            continue  # the usual case: no failed insert to log every few seconds
        try:
            with transaction.atomic():
                DailyTaskRun.objects.create(task=task.module_path, day=today)
                task.enqueue()
        except IntegrityError:
            continue  # another server's supervisor was first
        queued.append(task.module_path)
    if queued:
        DailyTaskRun.objects.filter(day__lt=today - DAILY_TASK_RUNS_KEPT).delete()
    return queued
