"""Staff account security in the admin: audit log actions, the administrators' security page."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

AUDIT_ACTIONS = {
    "nashir.login": (_("تسجيل دخول"), _("سجّل الدخول إلى لوحة التحرير")),
    "nashir.login_failed": (_("محاولة دخول فاشلة"), _("كلمة مرور خاطئة لهذا الحساب")),
    "nashir.locked_out": (_("قفل بعد محاولات فاشلة"), _("قُفل الحساب أو العنوان بعد محاولات دخول فاشلة متكررة")),
    "nashir.lockout_lifted": (_("رفع قفل"), _("رفع مدير القفل عن الحساب")),
    "nashir.session_expired": (_("انتهاء جلسة خاملة"), _("انتهت الجلسة بعد مدة دون نشاط")),
}


@hooks.register("register_log_actions")
def register_staff_log_actions(actions):
    for action, (label, message) in AUDIT_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_urls")
def register_staff_admin_urls():
    return [
        path("security/staff/", views.StaffSecurityAdminView.as_view(), name="staff_admin_security"),
        path("security/staff/lockouts/<int:pk>/lift/", views.lockout_lift, name="staff_lockout_lift"),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_staff_security_menu_item():
    return SuperuserMenuItem(
        _("أمان حسابات الفريق"), reverse("staff_admin_security"), icon_name="lock", name="staff-security", order=900
    )
