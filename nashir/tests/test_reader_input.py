"""The guards every reader form shares: clean text."""

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.tests.conftest import shown_seconds_ago
from corrections.models import ReaderSubmission

pytestmark = pytest.mark.django_db


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
