"""The admin of the bar (registered in wagtail_hooks.py): raise it, lower it; who did what is in the history."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.views.snippets import CreateView, IndexView, SnippetViewSet

from breaking.models import BreakingBanner
from breaking.services import banner_lower

CHANGE_PERMISSION = "breaking.change_breakingbanner"


class RaiseView(CreateView):
    page_title = _("رفع شريط عاجل")

    def save_instance(self):
        self.form.instance.raised_by = self.request.user
        return super().save_instance()


class BannerIndexView(IndexView):
    add_item_label = _("رفع شريط عاجل")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_shown and self.request.user.has_perm(CHANGE_PERMISSION):
            buttons.append(
                ListingButton(_("إنزال"), url=reverse("breaking_lower", args=[instance.pk]), icon_name="arrow-down")
            )
        return buttons


class BreakingBannerViewSet(SnippetViewSet):
    model = BreakingBanner
    icon = "warning"
    menu_label = _("شريط عاجل")
    menu_order = 190
    add_to_admin_menu = True
    list_display = ["text", "raised_by", "raised_at", "expires_at", "lowered_at"]
    ordering = ["-raised_at"]
    copy_view_enabled = False
    add_view_class = RaiseView
    index_view_class = BannerIndexView
    panels = [
        FieldPanel("text"),
        PageChooserPanel("link_page"),
        FieldPanel("link_url"),
        FieldPanel("expires_at"),
    ]


def lower(request, pk):
    """Confirm, then take the bar down at once."""
    if not request.user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied
    banner = get_object_or_404(BreakingBanner, pk=pk)
    if request.method == "POST":
        if banner_lower(banner=banner, user=request.user):
            messages.success(request, _("أُنزل الشريط العاجل."))
        else:
            messages.warning(request, _("هذا الشريط منزل من قبل."))
        return redirect("wagtailsnippets_breaking_breakingbanner:list")
    return TemplateResponse(
        request,
        "breaking/admin/lower.html",
        {"banner": banner, "page_title": _("إنزال الشريط العاجل"), "header_icon": "warning"},
    )
