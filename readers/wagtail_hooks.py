"""Readers' data in the admin: the personal data tools, their audit entries, the daily expiry."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from readers.services import reader_data_manageable_by
from readers.tasks import reader_data_expire_due
from readers.views import ReaderDataView


@hooks.register("register_daily_task")
def register_reader_data_expiry():
    return reader_data_expire_due


@hooks.register("register_log_actions")
def register_reader_data_log_actions(actions):
    actions.register_action(
        "nashir.reader_data.exported", _("تصدير بيانات قارئ"), _("صُدّرت بيانات قارئ محفوظة لدى الموقع")
    )
    actions.register_action(
        "nashir.reader_data.erased", _("محو بيانات قارئ"), _("مُحيت بيانات تواصل قارئ من التعليقات والطلبات")
    )


@hooks.register("register_admin_urls")
def register_reader_data_url():
    return [path("reader-data/", ReaderDataView.as_view(), name="readers_data")]


class ReaderDataMenuItem(MenuItem):
    def is_shown(self, request):
        return reader_data_manageable_by(request.user)


@hooks.register("register_settings_menu_item")
def register_reader_data_menu_item():
    return ReaderDataMenuItem(
        _("بيانات القراء الشخصية"), reverse("readers_data"), icon_name="user", name="reader-data", order=850
    )
