"""Moderation of reader comments in the admin: a filtered queue, bulk actions, a dashboard count."""

import django_filters
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from comments.models import Comment, CommentStatus, Linkback
from comments.reader_data import CommentReaderData
from comments.services import comment_context
from news.models import ArticlePage
from pagecache.invalidation import article_discussion_changed
from readers.contact import ContactHidingIndexView, ContactHidingInspectView


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("الحالة"), choices=CommentStatus.choices)
    article = django_filters.ModelChoiceFilter(
        label=_("الخبر"),
        queryset=lambda request: ArticlePage.objects.filter(reader_comments__isnull=False).distinct().order_by("title"),
    )

    class Meta:
        model = Comment
        fields = ["status", "article"]


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("التعليقات")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["body", "name", "article", "status", "created_at"]
    filterset_class = CommentFilterSet
    search_fields = ["body", "name", "email"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = ContactHidingIndexView
    inspect_view_class = ContactHidingInspectView


register_snippet(CommentViewSet)


class LinkbackViewSet(SnippetViewSet):
    """Pingbacks and trackbacks an import brought: editors hide (status) or delete one that should not show."""

    model = Linkback
    icon = "link"
    list_display = ["title", "url", "article", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "url"]
    ordering = ["-created_at"]
    copy_view_enabled = False


register_snippet(LinkbackViewSet)


class StatusBulkAction(SnippetBulkAction):
    """Set the status of the chosen comments."""

    models = [Comment]
    template_name = "comments/confirm_bulk_status.html"
    status = None

    def check_perm(self, snippet):
        return self.request.user.has_perm("comments.change_comment")

    @classmethod
    def execute_action(cls, objects, **kwargs):
        changed = Comment.objects.filter(pk__in=[comment.pk for comment in objects]).update(status=cls.status)
        # update() sends no post_save: tell the page cache which articles' discussions changed.
        for article_id in {comment.article_id for comment in objects}:
            article_discussion_changed(article_id)
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d تعليق: %(status)s.", "%(count)d تعليقات: %(status)s.", num_parent_objects) % {
            "count": num_parent_objects,
            "status": CommentStatus(self.status).label,
        }


@hooks.register("register_bulk_action")
class ApproveBulkAction(StatusBulkAction):
    display_name = _("موافقة ونشر")
    aria_label = _("الموافقة على التعليقات المختارة ونشرها")
    action_type = "approve"
    action_priority = 10
    status = CommentStatus.APPROVED


@hooks.register("register_bulk_action")
class SpamBulkAction(StatusBulkAction):
    display_name = _("تعليم كمزعج")
    aria_label = _("تعليم التعليقات المختارة كمزعجة")
    action_type = "spam"
    action_priority = 20
    status = CommentStatus.SPAM


class PendingCommentsPanel(Component):
    name = "pending_comments"
    order = 50
    template_name = "comments/pending_panel.html"

    def get_context_data(self, parent_context):
        url = reverse("wagtailsnippets_comments_comment:list")
        return {"pending": Comment.objects.pending().count(), "queue_url": f"{url}?status={CommentStatus.PENDING}"}


@hooks.register("construct_homepage_panels")
def add_pending_comments_panel(request, panels):
    if request.user.has_perm("comments.change_comment"):
        panels.append(PendingCommentsPanel())


@hooks.register("article_page_context")
def article_comments(page, request, *, comment_form=None, **kwargs):
    """The article's comments and the form; `comment_form` is a reader's, shown again with its errors."""
    return comment_context(article=page, request=request, form=comment_form)


@hooks.register("register_reader_data")
def register_comment_reader_data():
    return CommentReaderData()


@hooks.register("article_page_parts")
def article_comments_part():
    return [("after_article", "comments/_comments.html")]


@hooks.register("article_card_annotations")
def article_comment_count():
    """The number of published comments, shown on each article's card."""
    comments = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return {"comment_count": Coalesce(Subquery(comments), 0)}
