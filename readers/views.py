"""The admin's personal data tools: one reader's data, found by email, exported as JSON or erased."""

import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from readers.services import (
    reader_data_counts,
    reader_data_erase,
    reader_data_export,
    reader_data_manageable_by,
    reader_data_sources,
)


class ReaderEmailForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("بريد القارئ"), max_length=254)


class ReaderDataView(WagtailAdminTemplateMixin, TemplateView):
    """Look an email up, then export its data or, after a confirmation, erase it.

    Everything after the first page is a POST: the address never goes into a
    URL, where the request log and the browser's history would keep it.
    """

    template_name = "readers/reader_data.html"
    page_title = gettext_lazy("بيانات القراء الشخصية")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not reader_data_manageable_by(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(sources=reader_data_sources(), **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ReaderEmailForm(), stage="lookup"))

    def post(self, request, *args, **kwargs):
        form = ReaderEmailForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, stage="lookup"), status=400)
        email = form.cleaned_data["email"]
        action = request.POST.get("action")
        if action == "export":
            return self._export(email)
        if action == "erase" and request.POST.get("confirm") == "yes":
            counts = reader_data_erase(email=email, user=request.user)
            messages.success(
                request,
                _("مُحيت بيانات القارئ: أُخفيت هويته في %(anonymised)d سجلًّا وحُذف %(deleted)d.")
                % {
                    "anonymised": sum(count.anonymised for count in counts.values()),
                    "deleted": sum(count.deleted for count in counts.values()),
                },
            )
            return redirect("readers_data")
        stage = "confirm" if action == "erase" else "summary"
        context = self.get_context_data(form=form, stage=stage, email=email, counts=reader_data_counts(email=email))
        return self.render_to_response(context)

    def _export(self, email: str) -> HttpResponse:
        data = reader_data_export(email=email, user=self.request.user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="reader-data-{timezone.localdate():%Y-%m-%d}.json"'
        response["Cache-Control"] = "private, no-store"
        return response
