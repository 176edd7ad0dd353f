"""A reader's form sent while a long job writes to SQLite waits its turn; past the wait it is a 503 that keeps the text.

The test database is in memory, where SQLite locks differently; these tests
copy it to a file, as production runs (`file_database`), and hold the write
lock from a second connection the way an import does.
"""

import sqlite3
import threading
import time

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from comments.models import Comment
from corrections.models import ReaderSubmission
from operations.middleware import DatabaseBusyMiddleware
from testing.helpers import shown_seconds_ago

# serialized_rollback: the home page comes from a data migration, which a flush would lose.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BODY = "هل من تفاصيل عن عدد المصابين في الحادث؟"


def busy_timeout(seconds):
    """From the next connection on, writes wait `seconds` for the lock."""
    connection.close()
    connection.settings_dict["OPTIONS"]["timeout"] = seconds


def hold_write_lock(path, seconds):
    """Take the write lock from another connection, as a long import does, and let go after `seconds`."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release():
        other.execute("COMMIT")
        other.close()
        released.set()

    threading.Timer(seconds, release).start()
    return released


def comment_form(**overrides):
    return {
        "name": "ليلى",
        "email": "layla@example.org",
        "body": BODY,
        "website": "",
        "rendered_at": shown_seconds_ago(),
        **overrides,
    }


def test_writes_wait_twenty_seconds_for_the_database(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's busy timeout")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000


@pytest.mark.slow  # a write lock held for seven seconds
def test_a_comment_sent_during_a_long_write_waits_for_it_and_is_saved(file_database, seed_article, client):
    assert client.get(seed_article.url).status_code == 200  # the reader reads the article first
    released = hold_write_lock(file_database, seconds=7)  # longer than the 5 s SQLite waited before
    started = time.monotonic()
    response = client.post(reverse("comments:post", args=[seed_article.pk]), comment_form())
    waited = time.monotonic() - started
    assert released.is_set()
    assert response.status_code == 302
    assert 6 < waited < 15
    assert Comment.objects.get().body == BODY


def test_a_comment_that_waits_out_the_timeout_is_a_503_that_keeps_the_text(
    file_database, seed_article, client, settings
):
    assert client.get(seed_article.url).status_code == 200
    busy_timeout(1)
    released = hold_write_lock(file_database, seconds=3)
    response = client.post(reverse("comments:post", args=[seed_article.pk]), comment_form())
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = BeautifulSoup(response.content, "lxml")
    form = page.select_one("form#comment-form")
    assert form.select_one("textarea[name=body]").get_text().strip() == BODY
    assert form.select_one("input[name=name]")["value"] == "ليلى"
    assert "الموقع مشغول الآن فلم نتمكن من حفظ ما أرسلته" in page.get_text()
    assert not Comment.objects.exists()

    # The reader sends the same form again once the job is done.
    released.wait(10)
    settings.NASHIR_FORM_MIN_SECONDS = 0
    stamp = form.select_one("input[name=rendered_at]")["value"]
    resent = client.post(reverse("comments:post", args=[seed_article.pk]), comment_form(rendered_at=stamp))
    assert resent.status_code == 302
    assert Comment.objects.get().body == BODY


def test_a_correction_request_that_waits_out_the_timeout_is_a_503_that_keeps_the_text(
    file_database, seed_article, client
):
    url = reverse("corrections:new", args=[seed_article.pk])
    assert client.get(url).status_code == 200
    busy_timeout(1)
    hold_write_lock(file_database, seconds=3)
    response = client.post(
        url,
        {
            "what_is_wrong": BODY,
            "correct_information": "أصيب ثلاثة أشخاص لا خمسة.",
            "evidence_url": "",
            "contact_email": "layla@example.org",
            "website": "",
            "rendered_at": shown_seconds_ago(),
        },
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = BeautifulSoup(response.content, "lxml")
    assert page.select_one("#id_what_is_wrong").get_text().strip() == BODY
    assert "الموقع مشغول الآن فلم نتمكن من حفظ ما أرسلته" in page.get_text()
    assert not ReaderSubmission.objects.exists()


def test_any_other_view_whose_write_waits_out_the_timeout_is_a_503_not_a_500():
    middleware = DatabaseBusyMiddleware(lambda request: None)
    request = RequestFactory().post("/admin/pages/3/edit/")
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "الموقع مشغول" in response.content.decode()
    assert middleware.process_exception(request, OperationalError("no such table: news_articlepage")) is None
