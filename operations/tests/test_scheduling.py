"""A story scheduled for T is queued for T and published by the task worker, cache and all."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from news.factories import ArticlePageFactory, SectionPageFactory
from news.models import ArticlePage

# The worker takes its own transactions, as in production.
# serialized_rollback: the home page comes from a data migration, which a flush would lose.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PUBLISH_DUE = "operations.tasks.publish_due"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_a_scheduled_story_goes_live_on_time_and_shows_on_the_cached_home_page(client, home, database_tasks):
    from django_tasks_db.models import DBTaskResult

    section = SectionPageFactory(parent=home)
    article = ArticlePageFactory(parent=section, title="انتخابات بلدية في إدلب", live=False, first_published_at=None)
    assert "انتخابات بلدية في إدلب" not in client.get("/").content.decode()
    assert client.get("/")["X-Cache"] == "HIT"

    go_live_at = timezone.now() + timedelta(seconds=2)
    article.go_live_at = go_live_at
    article.save_revision(approved_go_live_at=go_live_at).publish()

    task = DBTaskResult.objects.get(task_path=PUBLISH_DUE)
    assert task.run_after == go_live_at
    run_worker()  # too early: nothing is due
    assert not ArticlePage.objects.get(pk=article.pk).live

    time.sleep(max(0.0, (go_live_at - timezone.now()).total_seconds()) + 0.2)
    run_worker()
    article.refresh_from_db()
    assert article.live
    assert DBTaskResult.objects.get(task_path=PUBLISH_DUE).status == "SUCCESSFUL"
    home_page = client.get("/")
    assert home_page["X-Cache"] == "MISS"
    assert "انتخابات بلدية في إدلب" in home_page.content.decode()


def test_a_story_set_to_expire_is_taken_down_by_the_worker(client, home, database_tasks):
    from django_tasks_db.models import DBTaskResult

    article = ArticlePageFactory(parent=SectionPageFactory(parent=home), title="عرض محدود المدة")
    article.expire_at = timezone.now() + timedelta(seconds=1)
    article.save_revision().publish()
    assert DBTaskResult.objects.filter(task_path=PUBLISH_DUE, run_after=article.expire_at).exists()
    assert client.get(article.url).status_code == 200

    time.sleep(1.2)
    run_worker()
    article.refresh_from_db()
    assert not article.live
    assert client.get(article.url).status_code == 404


def test_without_a_deferring_backend_nothing_is_queued(home):
    """In development tasks run at once; scheduling then relies on publish_scheduled (the timer)."""
    article = ArticlePageFactory(parent=SectionPageFactory(parent=home), live=False)
    go_live_at = timezone.now() + timedelta(hours=1)
    article.go_live_at = go_live_at
    article.save_revision(approved_go_live_at=go_live_at).publish()
    assert not ArticlePage.objects.get(pk=article.pk).live


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share no test database on SQLite")
def test_two_servers_publishing_at_once_publish_a_scheduled_story_once(home, monkeypatch):
    """Each server's worker and timer run publish_scheduled; runs that overlap publish a revision once."""
    section = SectionPageFactory(parent=home)
    article = ArticlePageFactory(parent=section, title="جلسة طارئة لمجلس الأمن", live=False, first_published_at=None)
    go_live_at = timezone.now() + timedelta(seconds=1)
    article.go_live_at = go_live_at
    article.save_revision(approved_go_live_at=go_live_at).publish()
    time.sleep(max(0.0, (go_live_at - timezone.now()).total_seconds()) + 0.1)

    # The first run stops inside its first publish until `go_on` is set; the
    # second starts meanwhile. Without one run at a time, the second would
    # still find the revision due and publish it again.
    in_first_publish, go_on = threading.Event(), threading.Event()
    publish = Revision.publish

    def held_publish(revision, *args, **kwargs):
        in_first_publish.set()
        go_on.wait(10)
        return publish(revision, *args, **kwargs)

    monkeypatch.setattr(Revision, "publish", held_publish)

    def run():
        try:
            call_command("publish_scheduled", verbosity=0)
        finally:
            connections.close_all()

    first, second = threading.Thread(target=run), threading.Thread(target=run)
    first.start()
    assert in_first_publish.wait(10)
    second.start()
    time.sleep(0.5)
    go_on.set()
    first.join(20)
    second.join(20)

    article.refresh_from_db()
    assert article.live
    published = PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled")
    assert published.count() == 1


def test_a_daily_task_another_server_queued_first_is_not_queued_again(database_tasks, monkeypatch):
    """Two supervisors that both saw no row for today: the second one's insert fails, and it queues nothing."""
    from django_tasks_db.models import DBTaskResult
    from wagtail import hooks

    from operations.models import DailyTaskRun
    from operations.scheduling import daily_tasks_enqueue
    from operations.tasks import publish_due

    today = timezone.localdate()
    with hooks.register_temporarily("register_daily_task", lambda: publish_due):
        assert PUBLISH_DUE in daily_tasks_enqueue(today=today)
        # The other server looked before the first wrote its row.
        monkeypatch.setattr(type(DailyTaskRun.objects.none()), "exists", lambda self: False)
        assert PUBLISH_DUE not in daily_tasks_enqueue(today=today)
    assert DailyTaskRun.objects.filter(task=PUBLISH_DUE, day=today).count() == 1
    assert DBTaskResult.objects.filter(task_path=PUBLISH_DUE).count() == 1
