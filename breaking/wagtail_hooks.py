"""Registers the bar's admin (breaking/admin.py): the list, «رفع شريط عاجل», «إنزال»."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from breaking.admin import BreakingBannerViewSet, lower

register_snippet(BreakingBannerViewSet)


@hooks.register("register_admin_urls")
def register_lower_url():
    return [path("breaking/<int:pk>/lower/", lower, name="breaking_lower")]


@hooks.register("register_log_actions")
def register_breaking_actions(actions):
    actions.register_action("nashir.breaking.lower", _("أُنزل الشريط العاجل"), _("أُنزل الشريط العاجل"))
