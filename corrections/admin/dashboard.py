from django.urls import reverse
from wagtail.admin.ui.components import Component

from corrections.models import ReaderSubmission, SubmissionKind, SubmissionStatus


class PendingSubmissionsPanel(Component):
    """Corrections and replies that readers sent and nobody has taken up yet, like the comments awaiting review."""

    name = "pending_submissions"
    order = 55
    template_name = "corrections/admin/pending_panel.html"

    def get_context_data(self, parent_context):
        url = reverse("wagtailsnippets_corrections_readersubmission:list")
        new = ReaderSubmission.objects.filter(status=SubmissionStatus.NEW)
        return {
            "corrections": new.filter(kind=SubmissionKind.CORRECTION).count(),
            "replies": new.filter(kind=SubmissionKind.REPLY).count(),
            "under_review": ReaderSubmission.objects.filter(status=SubmissionStatus.UNDER_REVIEW).count(),
            "corrections_url": f"{url}?kind={SubmissionKind.CORRECTION}&status={SubmissionStatus.NEW}",
            "replies_url": f"{url}?kind={SubmissionKind.REPLY}&status={SubmissionStatus.NEW}",
            "under_review_url": f"{url}?status={SubmissionStatus.UNDER_REVIEW}",
        }
