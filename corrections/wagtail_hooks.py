"""Registers the admin of corrections and replies (corrections/admin/): the queue, the record, the dashboard."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from corrections.admin.dashboard import PendingSubmissionsPanel
from corrections.admin.permissions import AppendOnlyPermissionPolicy
from corrections.admin.views import accept_submission
from corrections.admin.viewsets import AccountabilityGroup
from corrections.models import CorrectionNote, PublishedReply, ReaderSubmission
from corrections.reader_data import SubmissionReaderData
from corrections.services import correction_note_published, reply_published
from corrections.tasks import reader_notify_outcome

register_permission_policy(CorrectionNote, AppendOnlyPermissionPolicy(CorrectionNote))
register_permission_policy(PublishedReply, AppendOnlyPermissionPolicy(PublishedReply))
register_snippet(AccountabilityGroup)


@hooks.register("register_reader_data")
def register_submission_reader_data():
    return SubmissionReaderData()


@hooks.register("after_edit_snippet")
def tell_reader_the_outcome(request, instance):
    if isinstance(instance, ReaderSubmission):
        reader_notify_outcome.enqueue(instance.pk)


@hooks.register("after_create_snippet")
def follow_up_new_record(request, instance):
    """A note or reply written straight in the admin updates the article like one from the queue."""
    if isinstance(instance, CorrectionNote):
        correction_note_published(instance)
    elif isinstance(instance, PublishedReply):
        reply_published(instance)


@hooks.register("register_log_actions")
def register_record_actions(actions):
    actions.register_action(
        "nashir.record.change_refused",
        _("رُفض تعديل سجل منشور"),
        _("رُفضت محاولة لتعديل تصحيح أو رد منشور أو تغيير تاريخه"),
    )
    actions.register_action(
        "nashir.record.delete_refused",
        _("رُفض حذف سجل منشور"),
        _("رُفضت محاولة لحذف تصحيح أو رد منشور"),
    )


@hooks.register("register_admin_urls")
def register_accept_url():
    return [path("corrections/accept/<int:pk>/", accept_submission, name="corrections_accept")]


@hooks.register("construct_homepage_panels")
def add_pending_submissions_panel(request, panels):
    if request.user.has_perm("corrections.change_readersubmission"):
        panels.append(PendingSubmissionsPanel())


# The article page ----------------------------------------------------------


@hooks.register("article_page_context")
def article_accountability_context(page, request, **kwargs):
    """The article's correction notes, replies and open requests for comment (an unsaved preview has none)."""
    from corrections.services import article_accountability

    return article_accountability(page) if page.pk else {}


@hooks.register("article_page_parts")
def article_accountability_parts():
    return [
        # Kept with the article and its discussion (notes, replies, requests: rows with dates, no relative time).
        ("after_body", "corrections/_article_accountability.html", "discussion"),
        ("reader_actions", "corrections/_article_reader_actions.html", "article"),
    ]


@hooks.register("article_listing_paths")
def corrections_log_path(article, paths):
    """The corrections log lists articles with their notes."""
    return [reverse("corrections:log")]
