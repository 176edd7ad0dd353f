"""The guards every reader form shares: clean text, form stamps that expire and are not replayed, lasting rate limits."""

import json
import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import signing
from django.urls import reverse

from comments.models import Comment
from corrections.models import ReaderSubmission
from readers.input import TIMESTAMP_SALT
from testing.helpers import shown_seconds_ago

pytestmark = pytest.mark.django_db

EXPIRED = "انتهت صلاحية النموذج. أعد إرساله من فضلك؛ احتفظنا بما كتبته."


def comment_data(**overrides):
    return {
        "name": "سامي",
        "email": "sami@example.org",
        "body": "شكرًا على التغطية الدقيقة.",
        "website": "",
        "rendered_at": shown_seconds_ago(),
        **overrides,
    }


def post_comment(client, article, data, address="203.0.113.9"):
    return client.post(reverse("comments:post", args=[article.pk]), data, REMOTE_ADDR=address)


def shown_again(response):
    """The comment form shown again: its errors, the reader's text, and its new stamp."""
    soup = BeautifulSoup(response.content, "lxml")
    form = soup.select_one("#comment-form")
    return (
        form.select_one(".form-errors").get_text(strip=True),
        form.select_one("textarea[name=body]").get_text().strip(),
        form.select_one("input[name=rendered_at]")["value"],
    )


def test_control_characters_are_dropped_from_what_readers_send(client, seed_article):
    # A ZWNJ, an RLM and tashkeel are Arabic writing, not controls: they stay.
    body = "شكرًا\x1b[31m على\x01 التغطية\x07 الدقيقة\u200c\u200f. أَحْسَنْتُم\x00"
    assert post_comment(client, seed_article, comment_data(name="سامي\x1b\x7f", body=body)).status_code == 302
    comment = Comment.objects.get()
    assert comment.name == "سامي"
    assert comment.body == "شكرًا[31m على التغطية الدقيقة\u200c\u200f. أَحْسَنْتُم"

    correction = {
        "what_is_wrong": "التاريخ\x0b خاطئ\x85",
        "correct_information": "صدر البيان\x1b يوم الاثنين.",
        "evidence_url": "https://example.org/statement\x07",
        "contact_email": "reader@example.org",
        "website": "",
        "rendered_at": shown_seconds_ago(),
    }
    response = client.post(reverse("corrections:new", args=[seed_article.pk]), correction)
    assert response.status_code == 302
    submission = ReaderSubmission.objects.get()
    assert (submission.what_is_wrong, submission.correct_information, submission.evidence_url) == (
        "التاريخ خاطئ",
        "صدر البيان يوم الاثنين.",
        "https://example.org/statement",
    )


def test_a_form_shown_longer_ago_than_the_limit_is_refused_and_the_text_kept(client, seed_article):
    response = post_comment(client, seed_article, comment_data(rendered_at=shown_seconds_ago(3601)))
    assert response.status_code == 400
    errors, body, stamp = shown_again(response)
    assert errors == EXPIRED
    assert body == "شكرًا على التغطية الدقيقة."
    assert not Comment.objects.exists()
    # The form shown again carries a fresh stamp, good once the reader has had time to look again.
    assert signing.loads(stamp, salt=TIMESTAMP_SALT, max_age=60)
    assert post_comment(client, seed_article, comment_data(rendered_at=shown_seconds_ago(3500))).status_code == 302


def test_the_limit_on_a_stamps_age_is_a_setting(client, seed_article, settings):
    settings.NASHIR_FORM_MAX_SECONDS = 600
    assert post_comment(client, seed_article, comment_data(rendered_at=shown_seconds_ago(601))).status_code == 400
    assert post_comment(client, seed_article, comment_data(rendered_at=shown_seconds_ago(500))).status_code == 302


def test_a_replayed_stamp_serves_one_post_from_each_address(client, seed_article):
    stamp = shown_seconds_ago()
    first = post_comment(client, seed_article, comment_data(rendered_at=stamp, body="التعليق الأول"))
    assert first.status_code == 302
    replay = post_comment(client, seed_article, comment_data(rendered_at=stamp, body="التعليق الثاني"))
    assert replay.status_code == 400
    errors, body, _ = shown_again(replay)
    assert (errors, body) == (EXPIRED, "التعليق الثاني")
    # Another reader of the same stored page, from another address, is not refused.
    other = post_comment(client, seed_article, comment_data(rendered_at=stamp, body="تعليق قارئ آخر"), "198.51.100.7")
    assert other.status_code == 302
    assert sorted(Comment.objects.values_list("body", flat=True)) == ["التعليق الأول", "تعليق قارئ آخر"]


def test_a_replayed_stamp_on_the_correction_form_is_refused(client, seed_article):
    url = reverse("corrections:new", args=[seed_article.pk])
    data = {
        "what_is_wrong": "التاريخ خاطئ.",
        "correct_information": "صدر البيان يوم الاثنين.",
        "contact_email": "",
        "website": "",
        "rendered_at": shown_seconds_ago(),
    }
    assert client.post(url, data, REMOTE_ADDR="192.0.2.1").status_code == 302
    response = client.post(url, {**data, "what_is_wrong": "خطأ آخر."}, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "lxml")
    assert EXPIRED in soup.select_one(".form-errors").get_text()
    assert soup.select_one("#id_what_is_wrong").get_text().strip() == "خطأ آخر."
    assert ReaderSubmission.objects.count() == 1


@pytest.mark.slow  # 400 page renders
def test_stored_pages_do_not_push_out_the_rate_limit(client, seed_article, settings):
    settings.NASHIR_RATE_PER_IP = "2/600"
    sent = [post_comment(client, seed_article, comment_data(email=f"r{i}@example.org")).status_code for i in range(2)]
    assert sent == [302, 302]
    # 400 addresses read once each: 400 page copies in the default cache (300 entries in memory).
    for number in range(400):
        response = client.get(f"/corrections/?from={number}")
        assert response["X-Cache"] == "MISS"
    refused = post_comment(client, seed_article, comment_data(email="r2@example.org"))
    assert refused.status_code == 429
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("store", ["memory", "disk", "redis"])
def test_every_cache_store_keeps_rate_limits_apart_from_pages(store, tmp_path):
    """The settings as an operator gets them: the rate limits never share the page cache's room."""
    program = "import json, nashir.settings.base as s; print(json.dumps(s.CACHES, default=str))"
    environment = {
        **os.environ,
        "SECRET_KEY": "test",
        "NASHIR_CACHE": store,
        "NASHIR_CACHE_DIR": str(tmp_path / "cache"),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", program], env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    caches = json.loads(result.stdout)
    default, limits = caches["default"], caches["ratelimit"]
    assert limits["BACKEND"] == default["BACKEND"] or store == "memory"
    if store == "memory":
        assert limits["LOCATION"] != default["LOCATION"]
        assert limits["OPTIONS"]["MAX_ENTRIES"] >= 10_000
    elif store == "disk":
        assert limits["LOCATION"] == str(tmp_path / "cache" / "ratelimit")
    else:
        assert (limits["LOCATION"], limits["KEY_PREFIX"]) == (default["LOCATION"], "ratelimit")
