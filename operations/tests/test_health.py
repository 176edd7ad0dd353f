"""/health/ for monitors and people, the dashboard alert, and the request log."""

import json
import logging
from datetime import timedelta
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import timezone

from news.factories import ArticlePageFactory, SectionPageFactory

pytestmark = pytest.mark.django_db

HEALTH = "/health/"
TOKEN = "health-token-for-tests"


@pytest.fixture
def monitor(client, settings):
    """A monitor that holds the token and sees every check."""
    settings.NASHIR_HEALTH_TOKEN = TOKEN
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


def test_all_well_is_200_in_json_and_in_arabic(monitor):
    client = monitor
    response = client.get(HEALTH, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "tasks", "scheduled_publishing"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"]

    page = BeautifulSoup(client.get(HEALTH).content, "html.parser")
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    assert page.h1.get_text() == "الموقع يعمل"


def test_database_down_is_a_503_plain_arabic_page_without_a_traceback(monitor):
    client = monitor
    with mock.patch("operations.health.connection.cursor", side_effect=OperationalError("could not connect to db01")):
        response = client.get(HEALTH)
        as_json = client.get(HEALTH, {"format": "json"})
    assert response.status_code == 503
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "في الموقع عطل" in text
    assert "تعذّر الاتصال بقاعدة البيانات." in text
    assert "Traceback" not in text and "db01" not in text
    assert as_json.status_code == 503
    assert as_json.json()["checks"]["database"] == {"ok": False, "detail": "OperationalError", "ms": mock.ANY}
    # What needs the database is not asked.
    assert set(as_json.json()["checks"]) == {"database", "cache"}


def test_cache_down_is_a_503(monitor):
    client = monitor
    with mock.patch("operations.health.cache.set", side_effect=ConnectionError("redis is gone")):
        response = client.get(HEALTH, {"format": "json"})
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def overdue_story(minutes_late=5):
    """A story whose scheduled time passed without the worker publishing it."""
    article = ArticlePageFactory(parent=SectionPageFactory(), title="قرار مجلس الأمن", live=False)
    revision = article.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=minutes_late)
    revision.save()
    return article


def test_a_missed_publication_time_is_an_alert(monitor, admin_client):
    client = monitor
    overdue_story()
    response = client.get(HEALTH, {"format": "json"})
    assert response.status_code == 503
    check = response.json()["checks"]["scheduled_publishing"]
    assert check["ok"] is False and "قرار مجلس الأمن" in check["detail"]

    dashboard = BeautifulSoup(admin_client.get(reverse("wagtailadmin_home")).content, "html.parser")
    alert = dashboard.select_one(".operations-alert")
    assert alert is not None
    assert "قرار مجلس الأمن" in alert.get_text()


def test_within_the_grace_period_a_scheduled_story_is_not_late(client, admin_client):
    overdue_story(minutes_late=0)
    assert client.get(HEALTH).status_code == 200
    dashboard = BeautifulSoup(admin_client.get(reverse("wagtailadmin_home")).content, "html.parser")
    assert dashboard.select_one(".operations-alert") is None


def test_an_expired_story_still_live_is_an_alert(monitor):
    client = monitor
    article = ArticlePageFactory(parent=SectionPageFactory(), title="هدنة مؤقتة")
    article.expire_at = timezone.now() - timedelta(minutes=10)
    article.save()
    check = client.get(HEALTH, {"format": "json"}).json()["checks"]["scheduled_publishing"]
    assert check["ok"] is False and "هدنة مؤقتة" in check["detail"]


def test_a_task_queue_nobody_runs_is_an_alert(monitor, settings):
    client = monitor
    from django_tasks_db.models import DBTaskResult

    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from operations.models import WorkerHeartbeat
    from operations.tasks import publish_due

    # A worker beats (operations.worker) but does not get through the queue.
    WorkerHeartbeat.objects.create(name="web1:4242", started_at=timezone.now(), beat_at=timezone.now())
    result = publish_due.enqueue()
    assert client.get(HEALTH).status_code == 200  # just queued: not a backlog
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(hours=1))
    response = client.get(HEALTH, {"format": "json"})
    assert response.status_code == 503
    assert "db_worker" in response.json()["checks"]["tasks"]["detail"]


def test_the_public_learns_up_or_down_and_nothing_else(client, settings):
    settings.NASHIR_HEALTH_TOKEN = TOKEN
    with mock.patch("operations.health.connection.cursor", side_effect=OperationalError("could not connect to db01")):
        down = client.get(HEALTH, {"format": "json"})
        page = client.get(HEALTH)
        wrong_token = client.get(HEALTH, {"format": "json"}, HTTP_AUTHORIZATION="Bearer not-the-token")
        basic = client.get(HEALTH, {"format": "json"}, HTTP_AUTHORIZATION=f"Basic {TOKEN}")
    assert down.status_code == 503 and down.json() == {"status": "fail"}
    assert wrong_token.json() == {"status": "fail"} and basic.json() == {"status": "fail"}
    text = BeautifulSoup(page.content, "html.parser")
    assert page.status_code == 503 and text.h1.get_text() == "في الموقع عطل"
    assert text.table is None and "قاعدة البيانات" not in text.get_text()

    up = client.get(HEALTH, HTTP_ACCEPT="application/json")
    assert up.status_code == 200 and up.json() == {"status": "ok"}
    assert BeautifulSoup(client.get(HEALTH).content, "html.parser").h1.get_text() == "الموقع يعمل"


def test_without_a_token_setting_no_one_sees_the_details(client, settings):
    settings.NASHIR_HEALTH_TOKEN = ""
    assert client.get(HEALTH, {"format": "json"}, HTTP_AUTHORIZATION="Bearer ").json() == {"status": "ok"}


def test_every_request_leaves_one_json_log_line(client, settings, caplog, home):
    settings.NASHIR_REQUEST_LOG = True
    with caplog.at_level(logging.INFO, logger="nashir.requests"):
        client.get("/", {"utm_source": "x"})
        client.get("/")
        client.get("/no-such-page/")
    records = [json.loads(record.getMessage()) for record in caplog.records if record.name == "nashir.requests"]
    assert [(r["path"], r["status"], r["cache"]) for r in records] == [
        ("/", 200, "MISS"),
        ("/", 200, "HIT"),
        ("/no-such-page/", 404, "BYPASS"),
    ]
    assert records[0]["query"] == "utm_source=x"
    assert records[0]["method"] == "GET" and records[0]["ms"] > 0 and records[0]["bytes"] > 0
    assert records[0]["user"] is None
