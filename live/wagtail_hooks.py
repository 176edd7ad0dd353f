from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from live.admin_views import (
    LiveEntryCreateView,
    LiveEntryDeleteView,
    LiveEntryEditView,
    LiveEntryIndexView,
    RefusedDeleteView,
    RefusedEditView,
)
from live.forms import LiveEntryForm
from live.models import LiveCoveragePage, LiveEntry, LiveEntryCorrection
from live.permissions import AppendOnlyPermissionPolicy, LiveEntryPermissionPolicy

register_permission_policy(LiveEntry, LiveEntryPermissionPolicy(LiveEntry))
register_permission_policy(LiveEntryCorrection, AppendOnlyPermissionPolicy(LiveEntryCorrection))


class LiveEntryViewSet(SnippetViewSet):
    model = LiveEntry
    icon = "time"
    menu_label = _("التحديثات")
    list_display = ["__str__", "coverage", "status", "pinned", "author", "posted_at"]
    list_filter = ["coverage", "status", "pinned"]
    search_fields = ["headline", "body"]
    ordering = ["-posted_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = LiveEntryIndexView
    add_view_class = LiveEntryCreateView
    edit_view_class = LiveEntryEditView
    delete_view_class = LiveEntryDeleteView
    edit_handler = ObjectList(LiveEntry.panels, base_form_class=LiveEntryForm)


class LiveEntryCorrectionViewSet(SnippetViewSet):
    model = LiveEntryCorrection
    icon = "edit"
    menu_label = _("تصحيحات التحديثات")
    list_display = ["__str__", "entry", "published_at"]
    ordering = ["-published_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_view_class = RefusedEditView
    delete_view_class = RefusedDeleteView


class LiveGroup(SnippetViewSetGroup):
    items = (LiveEntryViewSet, LiveEntryCorrectionViewSet)
    menu_icon = "time"
    menu_label = _("التغطية المباشرة")
    menu_name = "live"
    menu_order = 205


register_snippet(LiveGroup)


@hooks.register("register_page_header_buttons")
def live_coverage_buttons(page, user, view_name, next_url=None):
    """«أضف تحديثًا» and the coverage's entries, from the coverage's page in the admin."""
    if not isinstance(page.specific_deferred, LiveCoveragePage) or not user.has_perm("live.add_liveentry"):
        return []
    entries_url = reverse("wagtailsnippets_live_liveentry:list")
    return [
        Button(
            _("أضف تحديثًا"),
            url=f"{reverse('wagtailsnippets_live_liveentry:add')}?coverage={page.pk}",
            icon_name="plus",
            priority=5,
        ),
        Button(_("تحديثات التغطية"), url=f"{entries_url}?coverage={page.pk}", icon_name="time", priority=6),
    ]
