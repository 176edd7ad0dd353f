"""What the corrections app keeps about a reader, for the readers app's retention, export and erasure."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from corrections.models import ReaderSubmission, SubmissionStatus
from readers.services import ErasureCount

# What the reader sent; the newsroom's own handling (notes, assignee) is not theirs to export.
SENT_FIELDS = (
    "kind",
    "status",
    "what_is_wrong",
    "correct_information",
    "evidence_url",
    "name",
    "organisation",
    "role",
    "statement",
    "contact_email",
    "ip_address",
)


class SubmissionReaderData:
    name = "correction_and_reply_requests"
    label = _("طلبات التصحيح والرد")
    permission = "corrections.view_reader_contact"
    erasure_rule = _(
        "طلبات التصحيح والرد التي لم يُنشر منها شيء تُحذف؛ وما نُشر منه ملاحظة أو رد يبقى ويُحذف منه الاسم "
        "والبريد وعنوان IP. الملاحظات والردود المنشورة نفسها لا تتغير."
    )

    def export(self, email: str) -> list[dict]:
        submissions = (
            ReaderSubmission.objects.filter(contact_email__iexact=email)
            .select_related("article")
            .order_by("created_at")
        )
        return [
            {
                "id": submission.pk,
                "article": submission.article.title,
                "article_url": submission.article.get_full_url(),
                **{field: getattr(submission, field) for field in SENT_FIELDS},
                "created_at": submission.created_at.isoformat(),
                "outcome_sent_at": submission.outcome_sent_at.isoformat() if submission.outcome_sent_at else None,
            }
            for submission in submissions
        ]

    @transaction.atomic
    def erase(self, email: str) -> ErasureCount:
        """A request that led to a published note or reply loses its sender; any other is deleted.

        The published note or reply itself is the append-only public record
        and is not changed: a right of reply was sent to be published under
        the name it carries.
        """
        submissions = ReaderSubmission.objects.filter(contact_email__iexact=email)
        acted_on = Q(status=SubmissionStatus.ACCEPTED) | Q(notes__isnull=False) | Q(replies__isnull=False)
        kept = set(submissions.filter(acted_on).values_list("pk", flat=True))
        deleted = submissions.exclude(pk__in=kept).delete()[1].get("corrections.ReaderSubmission", 0)
        anonymised = ReaderSubmission.objects.filter(pk__in=kept).update(contact_email="", ip_address=None, name="")
        return ErasureCount(anonymised=anonymised, deleted=deleted)

    def expire(self, before: datetime, dry_run: bool = False) -> int:
        old = ReaderSubmission.objects.filter(created_at__lt=before, ip_address__isnull=False)
        if dry_run:
            return old.count()
        return old.update(ip_address=None)
