from django.db import OperationalError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from corrections.forms import CorrectionForm, ReplyForm
from corrections.models import CorrectionNote, SubmissionKind
from corrections.services import submission_create
from news.listings import paginate
from news.models import ArticlePage
from news.syndication import AtomFeed, SafeFeed
from operations.clients import client_ip
from operations.database import database_busy
from readers.input import (
    DATABASE_BUSY_MESSAGE,
    reader_form_view,
    retry_later,
    submission_rate_limited,
)

FORMS = {
    SubmissionKind.CORRECTION: (CorrectionForm, "corrections/correction_form.html"),
    SubmissionKind.REPLY: (ReplyForm, "corrections/reply_form.html"),
}


def _submission_view(request, article_id, kind):
    article = get_object_or_404(ArticlePage.objects.published(), pk=article_id)
    form_class, template = FORMS[kind]
    status = 200
    if request.method == "POST":
        ip_address = client_ip(request)
        form = form_class(request.POST, client_address=ip_address)
        if form.is_valid():
            if form.is_spam():
                return HttpResponseRedirect(f"{request.path}?sent=1")
            email = form.cleaned_data.get("contact_email", "")
            if not submission_rate_limited(kind, ip_address=ip_address, email=email):
                data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "rendered_at")}
                try:
                    submission_create(kind=kind, article=article, data=data, ip_address=ip_address)
                except OperationalError as error:
                    if not database_busy(error):
                        raise
                    form.add_error(None, DATABASE_BUSY_MESSAGE)
                    context = {"article": article, "form": form, "sent": False}
                    return retry_later(TemplateResponse(request, template, context))
                return HttpResponseRedirect(f"{request.path}?sent=1")
            form.add_error(None, _("أرسلت طلبات كثيرة في وقت قصير. انتظر قليلًا ثم أعد المحاولة؛ احتفظنا بما كتبته."))
            status = 429
        else:
            status = 400
    else:
        form = form_class()
    context = {"article": article, "form": form, "sent": request.GET.get("sent") == "1"}
    return TemplateResponse(request, template, context, status=status)


@reader_form_view
def correction_new(request, article_id):
    return _submission_view(request, article_id, SubmissionKind.CORRECTION)


@reader_form_view
def reply_new(request, article_id):
    return _submission_view(request, article_id, SubmissionKind.REPLY)


def corrections_log(request):
    notes = CorrectionNote.objects.published().select_related("article").order_by("-published_at")
    return TemplateResponse(request, "corrections/log.html", {"page_obj": paginate(request, notes)})


class CorrectionsFeed(SafeFeed):
    """Every published correction note, newest first; the notes, which may quote readers, as plain text."""

    def title(self):
        return _("سجل التصحيحات")

    def link(self):
        return reverse("corrections:log")

    def description(self):
        return _("كل التصحيحات والتوضيحات والتحديثات التي نشرناها على أخبارنا، الأحدث أولًا.")

    def items(self):
        return CorrectionNote.objects.published().select_related("article").order_by("-published_at")[:50]

    def item_title(self, note):
        return f"{note.get_kind_display()}: {note.article.title}"

    def item_description(self, note):
        return note.text

    def item_link(self, note):
        return f"{note.article.url}#note-{note.pk}"

    def item_guid(self, note):
        return f"{note.article.full_url}#note-{note.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, note):
        return note.published_at

    def item_updateddate(self, note):
        return note.published_at


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = AtomFeed
    subtitle = CorrectionsFeed.description
