from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from corrections.admin.filters import SubmissionFilterSet
from corrections.admin.forms import SubmissionEditForm
from corrections.admin.views import RefusedDeleteView, RefusedEditView
from corrections.models import CommentRequest, CorrectionNote, PublishedReply, ReaderSubmission
from readers.contact import ContactHidingIndexView, ContactHidingInspectView

# The queue ----------------------------------------------------------------


class SubmissionViewSet(SnippetViewSet):
    model = ReaderSubmission
    icon = "warning"
    menu_label = _("طلبات القراء")
    list_display = ["__str__", "kind", "article", "status", "assignee", "created_at"]
    filterset_class = SubmissionFilterSet
    search_fields = ["what_is_wrong", "correct_information", "organisation", "name", "statement"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    add_view_enabled = False
    index_view_class = ContactHidingIndexView
    inspect_view_class = ContactHidingInspectView
    panels = [
        HelpPanel(template="corrections/admin/accept_panel.html"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("assignee"), FieldPanel("internal_notes")],
            heading=_("المعالجة"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("article", read_only=True),
                FieldPanel("kind", read_only=True),
                FieldPanel("what_is_wrong", read_only=True),
                FieldPanel("correct_information", read_only=True),
                FieldPanel("evidence_url", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("organisation", read_only=True),
                FieldPanel("role", read_only=True),
                FieldPanel("statement", read_only=True),
                FieldPanel("contact_email", read_only=True, permission="corrections.view_reader_contact"),
            ],
            heading=_("ما أرسله القارئ"),
        ),
    ]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type("SubmissionForm", (SubmissionEditForm, form_class), {})


# The append-only record ----------------------------------------------------


class AppendOnlyViewSet(SnippetViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_view_class = RefusedEditView
    delete_view_class = RefusedDeleteView


class CorrectionNoteViewSet(AppendOnlyViewSet):
    model = CorrectionNote
    icon = "edit"
    menu_label = _("ملاحظات التصحيح")
    list_display = ["__str__", "article", "kind", "published_at"]
    list_filter = ["kind"]
    ordering = ["-published_at"]
    panels = [FieldPanel("article"), FieldPanel("kind"), FieldPanel("text"), FieldPanel("supersedes")]


class PublishedReplyViewSet(AppendOnlyViewSet):
    model = PublishedReply
    icon = "openquote"
    menu_label = _("الردود المنشورة")
    list_display = ["__str__", "article", "published_at"]
    ordering = ["-published_at"]
    panels = [
        FieldPanel("article"),
        FieldPanel("organisation"),
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("statement"),
    ]


class CommentRequestViewSet(SnippetViewSet):
    model = CommentRequest
    icon = "mail"
    menu_label = _("طلبات التعليق")
    list_display = ["party", "article", "asked_at", "deadline", "reply"]
    ordering = ["-asked_at"]
    panels = [FieldPanel("article"), FieldPanel("party"), FieldPanel("asked_at"), FieldPanel("deadline")]


class AccountabilityGroup(SnippetViewSetGroup):
    items = (SubmissionViewSet, CorrectionNoteViewSet, PublishedReplyViewSet, CommentRequestViewSet)
    menu_icon = "warning"
    menu_label = _("التصحيحات والردود")
    menu_name = "accountability"
    menu_order = 210
