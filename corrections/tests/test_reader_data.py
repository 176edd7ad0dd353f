"""What correction and reply requests keep about a reader: addresses expire, an Editor exports or erases them."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from corrections.models import PublishedReply, ReaderSubmission, SubmissionKind, SubmissionStatus
from corrections.services import reply_publish
from news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

EMAIL = "press@example.org"
READER_DATA = reverse("readers_data")


def submission(article, *, kind=SubmissionKind.CORRECTION, days_ago=0, **fields):
    made = ReaderSubmission.objects.create(
        kind=kind,
        article=article,
        contact_email=fields.pop("contact_email", EMAIL),
        ip_address=fields.pop("ip_address", "203.0.113.77"),
        **fields,
    )
    if days_ago:
        ReaderSubmission.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return made


def test_addresses_older_than_the_setting_are_erased_and_the_requests_kept(home, settings):
    settings.NASHIR_READER_DATA_DAYS = 7
    article = ArticlePageFactory()
    old = submission(article, days_ago=8, what_is_wrong="الرقم خاطئ.")
    recent = submission(article, days_ago=6)

    call_command("expire_reader_data", verbosity=0)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.contact_email, old.what_is_wrong) == (None, EMAIL, "الرقم خاطئ.")
    assert recent.ip_address == "203.0.113.77"


def test_an_editor_exports_what_the_reader_sent_without_the_newsrooms_notes(client, home, editor):
    article = ArticlePageFactory()
    sent = submission(
        article,
        kind=SubmissionKind.REPLY,
        contact_email="Press@Example.org",
        name="هادي البحرة",
        organisation="الائتلاف الوطني السوري",
        statement="ننفي ما ورد في الخبر.",
        internal_notes="نتصل به غدًا.",
    )
    submission(article, contact_email="someone.else@example.org")
    client.force_login(editor)

    response = client.post(READER_DATA, {"email": EMAIL, "action": "export"})

    exported = json.loads(response.content)["records"]["correction_and_reply_requests"]
    assert len(exported) == 1
    item = exported[0]
    assert (item["id"], item["kind"], item["status"]) == (sent.pk, "reply", "new")
    assert (item["name"], item["organisation"], item["statement"]) == (
        "هادي البحرة",
        "الائتلاف الوطني السوري",
        "ننفي ما ورد في الخبر.",
    )
    assert (item["contact_email"], item["ip_address"]) == ("Press@Example.org", "203.0.113.77")
    assert item["article"] == article.title
    assert item["created_at"] == ReaderSubmission.objects.get(pk=sent.pk).created_at.isoformat()
    assert "internal_notes" not in item and "نتصل به غدًا." not in response.content.decode()


def test_erasing_deletes_open_requests_and_strips_the_sender_from_published_ones(client, home, editor):
    article = ArticlePageFactory()
    waiting = submission(article, what_is_wrong="الاسم خاطئ.")
    rejected = submission(article, status=SubmissionStatus.REJECTED)
    answered = submission(
        article, kind=SubmissionKind.REPLY, name="هادي البحرة", organisation="الائتلاف", statement="ننفي."
    )
    reply_publish(
        article=article,
        submission=answered,
        user=editor,
        organisation="الائتلاف",
        name="هادي البحرة",
        statement="ننفي.",
    )
    other = submission(article, contact_email="someone.else@example.org")
    client.force_login(editor)

    response = client.post(READER_DATA, {"email": EMAIL, "action": "erase", "confirm": "yes"})

    assert response.status_code == 302
    assert not ReaderSubmission.objects.filter(pk__in=[waiting.pk, rejected.pk]).exists()
    answered.refresh_from_db()
    assert (answered.contact_email, answered.ip_address, answered.name) == ("", None, "")
    assert (answered.organisation, answered.statement, answered.status) == ("الائتلاف", "ننفي.", "accepted")
    # The public record is append-only: the published reply keeps the name it was sent to carry.
    assert PublishedReply.objects.get(submission=answered).name == "هادي البحرة"
    other.refresh_from_db()
    assert other.contact_email == "someone.else@example.org"
