from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import DeleteView, EditView

from corrections.admin.forms import AcceptCorrectionForm, AcceptReplyForm
from corrections.models import NoteKind, ReaderSubmission, SubmissionKind, SubmissionStatus
from corrections.services import correction_note_publish, reply_publish

# The append-only record ----------------------------------------------------


class RefusalMixin:
    """Logs the attempt, then refuses it: the edit and delete views of a record that may not change."""

    refused_action = ""

    def dispatch(self, request, *args, **kwargs):
        instance = get_object_or_404(self.model, pk=unquote(str(kwargs.get("pk"))))
        log(instance=instance, action=self.refused_action, user=request.user)
        raise PermissionDenied


class RefusedEditView(RefusalMixin, EditView):
    refused_action = "nashir.record.change_refused"


class RefusedDeleteView(RefusalMixin, DeleteView):
    refused_action = "nashir.record.delete_refused"


# Accepting a submission ----------------------------------------------------


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
