"""Staff account security in the admin: audit log actions, the administrators' security page."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.views import BeginCredentialAuthenticationView, BeginCredentialRegistrationView
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

AUDIT_ACTIONS = {
    "nashir.login": (_("تسجيل دخول"), _("سجّل الدخول إلى لوحة التحرير")),
    "nashir.login_failed": (_("محاولة دخول فاشلة"), _("كلمة مرور خاطئة لهذا الحساب")),
    "nashir.locked_out": (_("قفل بعد محاولات فاشلة"), _("قُفل الحساب أو العنوان بعد محاولات دخول فاشلة متكررة")),
    "nashir.lockout_lifted": (_("رفع قفل"), _("رفع مدير القفل عن الحساب")),
    "nashir.session_expired": (_("انتهاء جلسة خاملة"), _("انتهت الجلسة بعد مدة دون نشاط")),
    "nashir.2fa_enrolled": (_("إضافة عامل تحقق"), _("أُضيف عامل تحقق ثانٍ إلى الحساب")),
    "nashir.2fa_revoked": (_("إزالة عامل تحقق"), _("أُزيل عامل تحقق ثانٍ من الحساب")),
    "nashir.2fa_failed": (_("تحقق ثانٍ فاشل"), _("رمز تحقق خاطئ أو مفتاح مرور مرفوض لهذا الحساب")),
    "nashir.recovery_codes_created": (_("رموز استرداد جديدة"), _("أُنشئت رموز استرداد جديدة وبطلت القديمة")),
    "nashir.recovery_code_used": (_("استعمال رمز استرداد"), _("دخل صاحب الحساب برمز استرداد")),
}


@hooks.register("register_log_actions")
def register_staff_log_actions(actions):
    for action, (label, message) in AUDIT_ACTIONS.items():
        actions.register_action(action, label, message)


# django-otp-webauthn's endpoints under its own namespace (its template tags reverse
# "otp_webauthn:…"), inside the admin: Wagtail checks admin access and speaks the
# user's language, and StaffSessionMiddleware lets an unverified session reach
# only the authentication half.
PASSKEY_URLS = (
    [
        path(
            "registration/begin/",
            BeginCredentialRegistrationView.as_view(),
            name="credential-registration-begin",
        ),
        path(
            "registration/complete/",
            views.PasskeyRegistrationCompleteView.as_view(),
            name="credential-registration-complete",
        ),
        path(
            "authentication/begin/",
            BeginCredentialAuthenticationView.as_view(),
            name="credential-authentication-begin",
        ),
        path(
            "authentication/complete/",
            views.PasskeyVerifyCompleteView.as_view(),
            name="credential-authentication-complete",
        ),
        path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
    ],
    "otp_webauthn",
)


@hooks.register("register_admin_urls")
def register_staff_admin_urls():
    return [
        path("staff-security/", views.StaffSecurityAdminView.as_view(), name="staff_admin_security"),
        path("staff-security/lockouts/<int:pk>/lift/", views.lockout_lift, name="staff_lockout_lift"),
        path("staff-security/<int:user_pk>/revoke/", views.admin_device_revoke, name="staff_admin_device_revoke"),
        path("security/", views.SecurityView.as_view(), name="staff_security"),
        path("security/totp/", views.TOTPEnrolView.as_view(), name="staff_totp_enrol"),
        path("security/passkey/", views.PasskeyEnrolView.as_view(), name="staff_passkey_enrol"),
        path("security/passkeys/", include(PASSKEY_URLS)),
        path("security/recovery-codes/", views.recovery_codes_create, name="staff_recovery_codes"),
        path("security/revoke/", views.device_revoke, name="staff_device_revoke"),
        path("verify/", views.VerifyView.as_view(), name="staff_verify"),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_staff_security_menu_item():
    return SuperuserMenuItem(
        _("أمان حسابات الفريق"), reverse("staff_admin_security"), icon_name="lock", name="staff-security", order=900
    )


@hooks.register("register_account_menu_item")
def register_security_account_menu_item(request):
    return {
        "url": reverse("staff_security"),
        "label": _("أمان الحساب"),
        "help_text": _("التحقق بخطوتين: تطبيق مصادقة أو مفتاح مرور، ورموز استرداد."),
    }
