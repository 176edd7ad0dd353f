from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Site
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from news.models import Author, Desk, PublisherSettings


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    list_display = ["name", "role", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


class DeskViewSet(SnippetViewSet):
    model = Desk
    icon = "group"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


class BylineViewSetGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, DeskViewSet)
    menu_icon = "user"
    menu_label = _("التوقيعات")
    menu_name = "bylines"


register_snippet(BylineViewSetGroup)


class PublisherChecklistPanel(Component):
    """What readers and search engines cannot find yet: the missing policy pages and the logo."""

    name = "publisher_checklist"
    order = 60
    template_name = "news/admin/publisher_checklist.html"

    def __init__(self, site):
        self.site = site

    def get_context_data(self, parent_context):
        publisher = PublisherSettings.for_site(self.site)
        return {
            "missing": publisher.missing_policies(),
            "missing_logo": publisher.logo_id is None,
            "settings_url": reverse("wagtailsettings:edit", args=["news", "publishersettings", self.site.pk]),
        }


@hooks.register("construct_homepage_panels")
def add_publisher_checklist_panel(request, panels):
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site and request.user.has_perm("news.change_publishersettings"):
        panels.append(PublisherChecklistPanel(site))
