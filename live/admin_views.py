from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from wagtail.admin import messages
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, IndexView

from live.models import LiveCoveragePage, LiveEntry
from live.services import entry_may_promote, entry_promote


class InstancePermissionMixin:
    """Wagtail's generic edit and delete views check the model's permission; these entries' rules are per entry."""

    def dispatch(self, request, *args, **kwargs):
        instance = get_object_or_404(self.model, pk=unquote(str(kwargs.get("pk"))))
        if not self.permission_policy.user_has_permission_for_instance(
            request.user, self.permission_required, instance
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DraftNoticeMixin:
    def form_valid(self, form):
        response = super().form_valid(form)
        if getattr(form, "kept_as_draft", False):
            messages.warning(self.request, _("حُفظ التحديث مسودة: ينشره محرر."))
        return response


def requested_coverage_id(request) -> int | None:
    """The coverage the request names (`?coverage=<id>`), if there is one."""
    coverage_id = request.GET.get("coverage", "")
    if coverage_id.isdigit() and LiveCoveragePage.objects.filter(pk=coverage_id).exists():
        return int(coverage_id)
    return None


def with_coverage(url: str, coverage_id: int | None) -> str:
    if not url or coverage_id is None:
        return url
    return f"{url}{'&' if '?' in url else '?'}coverage={coverage_id}"


class LiveEntryIndexView(IndexView):
    """The entries of one coverage (`?coverage=<id>`) offer to add one to that coverage."""

    def get_add_url(self):
        return with_coverage(super().get_add_url(), requested_coverage_id(self.request))


class LiveEntryCreateView(DraftNoticeMixin, CreateView):
    """«أضف تحديثًا» on a coverage's page opens this form with the coverage chosen (`?coverage=<id>`).

    Saving leads to that coverage's entries, whose «add» opens the form for it
    again: after the first, an entry is three taps (add, the text, save).
    """

    def get_initial_form_instance(self):
        coverage_id = requested_coverage_id(self.request)
        if coverage_id is not None:
            return LiveEntry(coverage_id=coverage_id)
        return super().get_initial_form_instance()

    def get_success_url(self):
        return with_coverage(super().get_success_url(), self.object.coverage_id)


class LiveEntryEditView(InstancePermissionMixin, DraftNoticeMixin, EditView):
    pass


class LiveEntryDeleteView(InstancePermissionMixin, DeleteView):
    pass


class RefusedView:
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class RefusedEditView(RefusedView, EditView):
    pass


class RefusedDeleteView(RefusedView, DeleteView):
    pass


@require_POST
def entry_promote_view(request, pk):
    """«حوّل إلى مقال»: the entry's draft article (made now, or the one made before), opened for editing."""
    entry = get_object_or_404(LiveEntry.objects.select_related("coverage", "promoted_to"), pk=pk)
    if not entry_may_promote(user=request.user, entry=entry):
        # A 403, not the admin's redirect to the dashboard: only a crafted request gets here (no button shows).
        return permission_denied(request, PermissionDenied())
    if not entry.is_published:
        messages.error(request, _("لا يُحوَّل إلى مقال إلا تحديث منشور."))
        return redirect("wagtailsnippets_live_liveentry:edit", entry.pk)
    already = entry.promoted_to_id is not None
    article = entry_promote(entry=entry, user=request.user)
    if already:
        messages.info(request, _("حُوِّل هذا التحديث إلى مقال من قبل: هذا هو."))
    else:
        messages.success(request, _("أُنشئت مسودة مقال من التحديث."))
    return redirect(reverse("wagtailadmin_pages:edit", args=[article.pk]))
