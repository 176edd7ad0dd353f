from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import PublishMenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Site
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from news.models import ArticlePage, Author, Desk, PublisherSettings, SectionPage


class AuthorChooserViewSet(SnippetChooserViewSet):
    """A new writer can be added from the byline's chooser, without leaving the story (needs `add_author`)."""

    form_fields = ["name", "role", "bio"]
    creation_tab_label = _("كاتب جديد")
    create_action_label = _("أضف الكاتب")


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    chooser_viewset_class = AuthorChooserViewSet
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


class NewArticlePanel(Component):
    """«مقال جديد»: one click from the dashboard to Wagtail's form for a new article in the chosen section."""

    name = "new_article"
    order = 20
    template_name = "news/admin/new_article_panel.html"

    def __init__(self, sections):
        self.sections = sections

    def get_context_data(self, parent_context):
        titles = {section.path: section.title for section in self.sections}
        steps = SectionPage.steplen
        return {
            "sections": [
                {
                    # A subsection reads with the sections above it: «الشرق الأوسط › سوريا».
                    "label": " › ".join(
                        titles[section.path[:end]]
                        for end in range(steps, len(section.path) + 1, steps)
                        if section.path[:end] in titles
                    ),
                    "url": reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk]),
                }
                for section in self.sections
            ]
        }


def sections_for_new_articles(user):
    """The sections under which `user` may add an article, in tree order."""
    sections = PagePermissionPolicy(SectionPage).instances_user_has_permission_for(user, "add").order_by("path")
    return [section for section in sections if ArticlePage.can_create_at(section)]


@hooks.register("construct_homepage_panels")
def add_new_article_panel(request, panels):
    sections = sections_for_new_articles(request.user)
    if sections:
        panels.append(NewArticlePanel(sections))


class PublishCancellingReviewMenuItem(PublishMenuItem):
    label = _("نشر دون مراجعة (يُلغي المراجعة)")


@hooks.register("construct_page_action_menu")
def keep_publish_apart_from_approval(menu_items, request, context):
    """While a story is in review, plain «نشر» publishes and cancels the review: say so, and put it furthest away.

    The menu opens upwards from «حفظ المسودة», with «موافقة ونشر» nearest the
    button; the first item after the button's own is the top of the menu.
    Wagtail shares its menu items between requests: the item is replaced, not relabelled.
    """
    page = context.get("page")
    if page is None or not page.workflow_in_progress:
        return
    for index, item in enumerate(menu_items):
        if isinstance(item, PublishMenuItem):
            menu_items.pop(index)
            menu_items.insert(1 if index > 0 else 0, PublishCancellingReviewMenuItem(order=item.order))
            return
