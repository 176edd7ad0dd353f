"""Scheduled publishing that cannot silently miss.

When an editor schedules a story (or its expiry), a `publish_due` task is
queued to run at that time; the task worker (`manage.py db_worker`) runs it.
A systemd timer running `publish_scheduled` every minute is the safety net
(deploy/systemd/nashir-publish.timer). Whatever is still not done a grace
period after its time is reported as overdue: on the admin dashboard and
on /health/.
"""

from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail.models import Page, Revision

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
