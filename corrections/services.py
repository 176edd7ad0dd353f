"""The correction and reply workflow: submissions in, dated public records out."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corrections.models import (
    CorrectionNote,
    PublishedReply,
    ReaderSubmission,
    SubmissionKind,
    SubmissionStatus,
)
from corrections.tasks import reader_notify_outcome
from news.models import ArticlePage
from pagecache.fragments import PUBLICATION_KEPT_SECONDS, kept
from pagecache.store import SITE, discussion_tag

logger = logging.getLogger(__name__)

OUTCOME_MESSAGES = {
    SubmissionStatus.ACCEPTED: _("شكرًا لك. راجعنا ما أرسلته عن «%(title)s» ونشرنا على الخبر ما يلزم:\n%(url)s"),
    SubmissionStatus.REJECTED: _(
        "شكرًا لك. راجع المحررون ما أرسلته عن «%(title)s» ولم يجدوا فيه ما يستدعي تعديل الخبر.\n%(url)s"
    ),
    SubmissionStatus.DUPLICATE: _(
        "شكرًا لك. وصلتنا ملاحظة مماثلة عن «%(title)s» من قبل، وهي قيد المعالجة أو عولجت.\n%(url)s"
    ),
}


def article_accountability(article: ArticlePage) -> dict:
    """Published notes, replies and open requests for comment of an article.

    Kept until one of them changes: saving or deleting one bumps the
    article's discussion tag (corrections.signal_handlers), now and again when the
    transaction commits, so a render in between cannot keep the old record.
    """

    def compute():
        notes = list(article.correction_notes.order_by("published_at"))
        superseded = {note.supersedes_id for note in notes if note.supersedes_id}
        for note in notes:
            note.is_superseded = note.pk in superseded
        return {
            "correction_notes": notes,
            "published_replies": list(article.published_replies.order_by("published_at")),
            "awaiting_replies": list(article.comment_requests.filter(reply__isnull=True).order_by("asked_at")),
        }

    return kept(
        "accountability",
        vary=[article.pk],
        tags=[SITE, discussion_tag(article.pk)],
        compute=compute,
        seconds=PUBLICATION_KEPT_SECONDS,
    )


def submission_create(*, kind: str, article: ArticlePage, data: dict, ip_address: str) -> ReaderSubmission:
    return ReaderSubmission.objects.create(kind=kind, article=article, ip_address=ip_address or None, **data)


def _mark_updated(article: ArticlePage, moment) -> None:
    """A published correction, clarification or reply is a substantive update."""
    ArticlePage.objects.filter(pk=article.pk).update(updated_at=moment)


@transaction.atomic
def correction_note_publish(
    *, article, kind: str, text: str, supersedes=None, submission=None, user=None
) -> CorrectionNote:
    if supersedes is not None and supersedes.article_id != article.pk:
        raise ValueError("A note can only supersede a note on the same article.")
    note = CorrectionNote.objects.create(
        article=article, kind=kind, text=text, supersedes=supersedes, submission=submission, created_by=user
    )
    correction_note_published(note)
    if submission is not None:
        submission_set_status(submission=submission, status=SubmissionStatus.ACCEPTED)
    return note


def correction_note_published(note: CorrectionNote) -> None:
    """What follows a new note, however it was made (service or admin form); saving it told the cache."""
    _mark_updated(note.article, note.published_at)


@transaction.atomic
def reply_publish(
    *, article, organisation: str, statement: str, name="", role="", submission=None, comment_request=None, user=None
) -> PublishedReply:
    reply = PublishedReply.objects.create(
        article=article,
        organisation=organisation,
        name=name,
        role=role,
        statement=statement,
        submission=submission,
        created_by=user,
    )
    if comment_request is not None:
        comment_request.reply = reply
        comment_request.save(update_fields=["reply"])
    reply_published(reply)
    if submission is not None:
        submission_set_status(submission=submission, status=SubmissionStatus.ACCEPTED)
    return reply


def reply_published(reply: PublishedReply) -> None:
    _mark_updated(reply.article, reply.published_at)


def submission_set_status(*, submission: ReaderSubmission, status: str) -> None:
    submission.status = status
    submission.save(update_fields=["status"])
    if status in OUTCOME_MESSAGES:
        transaction.on_commit(lambda: reader_notify_outcome.enqueue(submission.pk))


def submission_notify_outcome(*, submission: ReaderSubmission) -> bool:
    """Email the reader the outcome, once, if they left an address."""
    if not submission.contact_email or submission.outcome_sent_at or submission.status not in OUTCOME_MESSAGES:
        return False
    article = submission.article
    subject = (
        _("نتيجة طلب التصحيح: %(title)s")
        if submission.kind == SubmissionKind.CORRECTION
        else _("نتيجة طلب الرد: %(title)s")
    ) % {"title": article.title}
    body = OUTCOME_MESSAGES[submission.status] % {"title": article.title, "url": settings.SITE_URL + article.url}
    try:
        send_mail(subject, body, None, [submission.contact_email])
    except OSError:
        logger.exception("Could not tell the reader the outcome of submission %s.", submission.pk)
        return False
    ReaderSubmission.objects.filter(pk=submission.pk).update(outcome_sent_at=timezone.now())
    return True
