from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from live.admin_views import (
    LiveEntryCreateView,
    LiveEntryDeleteView,
    LiveEntryEditView,
    LiveEntryIndexView,
    RefusedDeleteView,
    RefusedEditView,
    entry_promote_view,
)
from live.feeds import coverage_syndication
from live.forms import LiveEntryForm
from live.listings import coverage_leading, coverages_listed
from live.models import LiveCoveragePage, LiveEntry, LiveEntryCorrection
from live.permissions import AppendOnlyPermissionPolicy, LiveEntryPermissionPolicy
from live.services import article_promoted_from, entry_may_promote

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


@hooks.register("listed_with_articles")
def live_coverages_listed(under, *, since=None, until=None, limit):
    return coverages_listed(under, since=since, until=until, limit=limit)


@hooks.register("register_admin_urls")
def live_admin_urls():
    return [path("live/entries/<int:pk>/promote/", entry_promote_view, name="live_entry_promote")]


class PromoteMenuItem(ActionMenuItem):
    """«حوّل إلى مقال» in a published entry's edit view: posts the edit form's CSRF token to the promotion view."""

    name = "action-promote"
    label = _("حوّل إلى مقال")
    icon_name = "doc-full"
    template_name = "live/admin/promote_menu_item.html"

    def is_shown(self, context):
        instance = context.get("instance")
        return (
            context.get("view") == "edit"
            and instance is not None
            and instance.is_published
            and entry_may_promote(user=context["request"].user, entry=instance)
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["promote_url"] = reverse("live_entry_promote", args=[parent_context["instance"].pk])
        context["promoted"] = parent_context["instance"].promoted_to_id is not None
        return context


@hooks.register("register_snippet_action_menu_item")
def live_promote_menu_item(model):
    return PromoteMenuItem(order=90) if model is LiveEntry else None


@hooks.register("article_page_context")
def promoted_from_context(page, request, **kwargs):
    return {"promoted_from": article_promoted_from(page, request)}


@hooks.register("article_page_parts")
def promoted_from_parts():
    return [("after_body", "live/_promoted_from.html")]


# The site's feed and sitemaps list coverages beside articles.
hooks.register("register_syndicated_pages", coverage_syndication)


# An open coverage set to lead the home page takes the lead article's place.
hooks.register("home_lead", coverage_leading)
