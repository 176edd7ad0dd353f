"""The demo newsroom's corrections, replies and requests for comment (news/demo/reader_activity.json).

Loaded when its stories are published (news.signals.demo_newsroom_loaded).
"""

from datetime import timedelta

from django.db import transaction

from corrections.models import CommentRequest, ReaderSubmission, SubmissionKind
from corrections.services import correction_note_publish, reply_publish, submission_create


def demo_accountability_load(sender, *, report, activity, editor, now, **kwargs) -> None:
    with transaction.atomic():
        _accountability(activity, report, editor, now)


def _accountability(activity, report, editor, now) -> None:
    """Published notes and a reply (once: the record is append-only), a request for comment, the open queue."""
    for item in activity["corrections"]:
        article = report.articles[item["story"]]
        if article.correction_notes.filter(text=item["text"]).exists():
            continue
        submission = None
        if "submission" in item:
            submission = submission_create(
                kind=SubmissionKind.CORRECTION, article=article, data=item["submission"], ip_address=""
            )
        correction_note_publish(
            article=article, kind=item["kind"], text=item["text"], submission=submission, user=editor
        )
        report.notes_published += 1

    for item in activity["replies"]:
        article = report.articles[item["story"]]
        request, _ = CommentRequest.objects.get_or_create(
            article=article,
            party=item["organisation"],
            defaults={"asked_at": article.first_published_at - timedelta(hours=item["asked_hours_before"])},
        )
        if article.published_replies.filter(organisation=item["organisation"]).exists():
            continue
        reply_publish(
            article=article,
            organisation=item["organisation"],
            role=item.get("role", ""),
            statement=item["statement"],
            comment_request=request,
            user=editor,
        )
        report.replies_published += 1

    for item in activity["awaiting_replies"]:
        article = report.articles[item["story"]]
        CommentRequest.objects.update_or_create(
            article=article,
            party=item["party"],
            reply=None,
            defaults={
                "asked_at": article.first_published_at - timedelta(hours=item["asked_hours_before"]),
                "deadline": article.first_published_at + timedelta(hours=item["deadline_hours_after"]),
            },
        )

    fields = ("what_is_wrong", "correct_information", "organisation", "role", "statement", "contact_email")
    for item in activity["open_requests"]:
        article = report.articles[item["story"]]
        data = {name: item[name] for name in fields if name in item}
        submission = ReaderSubmission.objects.filter(article=article, kind=item["kind"], **data).first()
        if submission is None:
            submission = submission_create(kind=item["kind"], article=article, data=data, ip_address="")
        sent = min(now, article.first_published_at + timedelta(hours=item["hours_after"]))
        ReaderSubmission.objects.filter(pk=submission.pk).update(created_at=sent)
