"""The editorial queue for corrections and replies, and the append-only public record."""

import django_filters
from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, EditView, SnippetViewSet, SnippetViewSetGroup

from corrections.models import (
    CommentRequest,
    CorrectionNote,
    NoteKind,
    PublishedReply,
    ReaderSubmission,
    SubmissionKind,
    SubmissionStatus,
)
from corrections.reader_data import SubmissionReaderData
from corrections.services import (
    correction_note_publish,
    correction_note_published,
    reply_publish,
    reply_published,
)
from corrections.tasks import reader_notify_outcome
from nashir.editor_input import PlainTextField
from readers.contact import ContactHidingIndexView, ContactHidingInspectView

# The queue ----------------------------------------------------------------


class SubmissionFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("النوع"), choices=SubmissionKind.choices)
    status = django_filters.ChoiceFilter(label=_("الحالة"), choices=SubmissionStatus.choices)

    class Meta:
        model = ReaderSubmission
        fields = ["kind", "status", "assignee"]


class SubmissionEditForm(forms.ModelForm):
    """Accepting goes through «قبول ونشر», which writes the public note or reply."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [c for c in SubmissionStatus.choices if c[0] != SubmissionStatus.ACCEPTED]
        if self.instance.status == SubmissionStatus.ACCEPTED:
            choices = SubmissionStatus.choices
        self.fields["status"].choices = choices


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


@hooks.register("register_reader_data")
def register_submission_reader_data():
    return SubmissionReaderData()


@hooks.register("after_edit_snippet")
def tell_reader_the_outcome(request, instance):
    if isinstance(instance, ReaderSubmission):
        reader_notify_outcome.enqueue(instance.pk)


# The append-only record ----------------------------------------------------


class AppendOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody, not even a superuser, may change or delete a published record."""

    def user_has_permission(self, user, action):
        if action in ("change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in ("change", "delete")]
        if not actions:
            return self.auth_model._default_manager.none()
        return super().users_with_any_permission(actions)


class RefusalMixin:
    refused_action = ""

    def dispatch(self, request, *args, **kwargs):
        instance = get_object_or_404(self.model, pk=unquote(str(kwargs.get("pk"))))
        log(instance=instance, action=self.refused_action, user=request.user)
        raise PermissionDenied


class RefusedEditView(RefusalMixin, EditView):
    refused_action = "nashir.record.change_refused"


class RefusedDeleteView(RefusalMixin, DeleteView):
    refused_action = "nashir.record.delete_refused"


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


register_permission_policy(CorrectionNote, AppendOnlyPermissionPolicy(CorrectionNote))
register_permission_policy(PublishedReply, AppendOnlyPermissionPolicy(PublishedReply))
register_snippet(AccountabilityGroup)


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


# Accepting a submission ----------------------------------------------------


class AcceptCorrectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("نوع الملاحظة"), choices=NoteKind.choices)
    text = PlainTextField(label=_("نص الملاحظة كما سيُنشر"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000)
    supersedes = forms.ModelChoiceField(label=_("تحل محلّ"), queryset=CorrectionNote.objects.none(), required=False)

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supersedes"].queryset = article.correction_notes.all()


class AcceptReplyForm(forms.Form):
    organisation = PlainTextField(label=_("الجهة"), max_length=200)
    name = PlainTextField(label=_("الاسم"), max_length=120, required=False)
    role = PlainTextField(label=_("الصفة"), max_length=120, required=False)
    statement = PlainTextField(
        label=_("نص الرد كما سيُنشر"), widget=forms.Textarea(attrs={"rows": 10}), max_length=10000
    )
    comment_request = forms.ModelChoiceField(
        label=_("ردًّا على طلب التعليق"), queryset=CommentRequest.objects.none(), required=False
    )

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment_request"].queryset = article.comment_requests.filter(reply__isnull=True)


def accept_submission(request, pk):
    submission = get_object_or_404(ReaderSubmission.objects.select_related("article"), pk=pk)
    permission = "add_correctionnote" if submission.kind == SubmissionKind.CORRECTION else "add_publishedreply"
    if not request.user.has_perm(f"corrections.{permission}"):
        raise PermissionDenied
    if submission.status == SubmissionStatus.ACCEPTED:
        messages.warning(request, _("قُبل هذا الطلب ونُشر من قبل."))
        return redirect("wagtailsnippets_corrections_readersubmission:edit", submission.pk)
    article = submission.article.specific
    if submission.kind == SubmissionKind.CORRECTION:
        initial = {"kind": NoteKind.CORRECTION, "text": submission.correct_information}
        form = AcceptCorrectionForm(request.POST or None, article=article, initial=initial)
    else:
        initial = {k: getattr(submission, k) for k in ("organisation", "name", "role", "statement")}
        form = AcceptReplyForm(request.POST or None, article=article, initial=initial)
    if request.method == "POST" and form.is_valid():
        if submission.kind == SubmissionKind.CORRECTION:
            correction_note_publish(article=article, submission=submission, user=request.user, **form.cleaned_data)
            messages.success(request, _("نُشرت الملاحظة على الخبر وفي سجل التصحيحات."))
        else:
            reply_publish(article=article, submission=submission, user=request.user, **form.cleaned_data)
            messages.success(request, _("نُشر الرد على الخبر."))
        return redirect(reverse("wagtailsnippets_corrections_readersubmission:list"))
    return TemplateResponse(
        request, "corrections/admin/accept.html", {"submission": submission, "article": article, "form": form}
    )


@hooks.register("register_admin_urls")
def register_accept_url():
    return [path("corrections/accept/<int:pk>/", accept_submission, name="corrections_accept")]


# The dashboard -------------------------------------------------------------


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


@hooks.register("construct_homepage_panels")
def add_pending_submissions_panel(request, panels):
    if request.user.has_perm("corrections.change_readersubmission"):
        panels.append(PendingSubmissionsPanel())
