import json

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.exceptions import OTPWebAuthnApiError, UnprocessableEntity
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import CompleteCredentialAuthenticationView, CompleteCredentialRegistrationView
from wagtail.admin import messages
from wagtail.admin.views.account import PasswordResetView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from operations.clients import client_ip, rate_limited

from . import services


def _rate(setting: str) -> tuple[int, int]:
    count, seconds = setting.split("/")
    return int(count), int(seconds)


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out account or address (AXES_LOCKOUT_CALLABLE)."""
    context = {"cooloff_minutes": settings.NASHIR_LOGIN_COOLOFF_MINUTES}
    return render(request, "staff/locked_out.html", context, status=429)


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's password reset, limited per address and per email (django-axes counts only logins)."""

    def form_valid(self, form):
        ip_limit, ip_window = _rate(settings.NASHIR_RESET_RATE_PER_IP)
        email_limit, email_window = _rate(settings.NASHIR_RESET_RATE_PER_EMAIL)
        by_ip = rate_limited("password-reset", client_ip(self.request), limit=ip_limit, window=ip_window)
        email = form.cleaned_data["email"].strip().lower()
        by_email = rate_limited("password-reset-email", email, limit=email_limit, window=email_window)
        if by_ip or by_email:
            form.add_error(None, _("طلبات كثيرة لإعادة تعيين كلمة المرور. انتظر ساعة ثم حاول مجددًا."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def _require_superuser(request):
    if not request.user.is_superuser:
        raise PermissionDenied


class StaffPageMixin(WagtailAdminTemplateMixin):
    """An admin page whose header names it (Wagtail's default breadcrumb is «الرئيسية» alone)."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class StaffSecurityAdminView(StaffPageMixin, TemplateView):
    """For administrators: lockouts in force, with a way to lift each."""

    template_name = "staff/admin_security.html"
    page_title = gettext_lazy("أمان حسابات الفريق")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        _require_superuser(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lockouts"] = services.locked_out_attempts()
        context["staff"] = [
            (
                user,
                [(device, services.device_kind(device)) for device in services.second_factors(user)],
                services.second_factor_required(user),
            )
            for user in get_user_model().objects.filter(is_active=True).order_by("username")
        ]
        context["cooloff_minutes"] = settings.NASHIR_LOGIN_COOLOFF_MINUTES
        return context


@require_POST
def lockout_lift(request, pk):
    _require_superuser(request)
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    services.lockout_lift(attempt=attempt, by=request.user)
    messages.success(
        request,
        _("رُفع القفل عن الحساب «%(username)s» والعنوان %(ip)s.")
        % {"username": attempt.username or "", "ip": attempt.ip_address or ""},
    )
    return redirect("staff_admin_security")


# A user's own second factors ------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("الرمز"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}),
    )


class TOTPEnrolForm(TokenForm):
    name = forms.CharField(
        label=gettext_lazy("اسم الجهاز"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("مثلًا: هاتفي. يساعدك على تمييزه إن أضفت أكثر من جهاز."),
    )


class SecurityView(StaffPageMixin, TemplateView):
    """The user's own second factors: list, add, revoke, recovery codes."""

    template_name = "staff/security.html"
    page_title = gettext_lazy("أمان الحساب")
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        user = self.request.user
        devices = services.second_factors(user)
        return {
            **super().get_context_data(**kwargs),
            "devices": [(device, services.device_kind(device)) for device in devices],
            "recovery_codes_left": sum(d.token_set.count() for d in devices if isinstance(d, StaticDevice)),
            "required": services.second_factor_required(user),
            "enrolled": services.user_enrolled(user),
            "new_codes": self.request.session.pop(NEW_CODES_KEY, None),
        }


NEW_CODES_KEY = "staff_new_recovery_codes"


class TOTPEnrolView(StaffPageMixin, FormView):
    template_name = "staff/totp_enrol.html"
    form_class = TOTPEnrolForm
    page_title = gettext_lazy("إضافة تطبيق مصادقة")
    header_icon = "mobile-alt"
    session_key = "staff_totp_device"

    def get_device(self):
        device = TOTPDevice.objects.filter(
            pk=self.request.session.get(self.session_key), user=self.request.user, confirmed=False
        ).first()
        if device is None or self.request.method == "GET":
            device = services.totp_start(user=self.request.user)
            self.request.session[self.session_key] = device.pk
        return device

    def get_context_data(self, **kwargs):
        device = self.device
        return {
            **super().get_context_data(**kwargs),
            "qr_svg": services.totp_qr_svg(device=device),
            "secret": services.totp_secret(device=device),
        }

    def dispatch(self, request, *args, **kwargs):
        self.device = self.get_device()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if not services.totp_confirm(
            device=self.device, token=form.cleaned_data["token"], name=form.cleaned_data["name"], request=self.request
        ):
            form.add_error(
                "token",
                _(
                    "الرمز غير صحيح. اكتب الرمز الظاهر الآن في التطبيق (يتغير كل 30 ثانية)؛ "
                    "بعد كل رمز خاطئ تنتظر ثواني أطول قبل المحاولة التالية."
                ),
            )
            return self.form_invalid(form)
        del self.request.session[self.session_key]
        messages.success(self.request, _("أُضيف تطبيق المصادقة. سيُطلب منك رمز منه بعد كلمة المرور في كل دخول."))
        _recovery_codes_if_none(self.request)
        return redirect("staff_security")


def _recovery_codes_if_none(request) -> None:
    """The first factor comes with recovery codes, shown once on the security page."""
    if not StaticDevice.objects.filter(user=request.user).exists():
        request.session[NEW_CODES_KEY] = services.recovery_codes_generate(user=request.user, request=request)


class PasskeyNameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("اسم المفتاح"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("مثلًا: حاسوب المكتب أو مفتاح الأمان الأزرق. يساعدك على تمييزه إن أضفت أكثر من واحد."),
    )


PASSKEY_NAME_KEY = "staff_passkey_name"


class PasskeyEnrolView(StaffPageMixin, FormView):
    """Names the passkey first (kept in the session), then runs django-otp-webauthn's registration on the same page.

    The package's script posts only the browser's answer, so the name reaches
    the server before the ceremony and PasskeyRegistrationCompleteView reads it.
    """

    template_name = "staff/passkey_enrol.html"
    form_class = PasskeyNameForm
    page_title = gettext_lazy("إضافة مفتاح مرور أو مفتاح أمان")
    header_icon = "key"

    def get_initial(self):
        return {"name": self.request.session.get(PASSKEY_NAME_KEY, "")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "passkey_name": self.request.session.get(PASSKEY_NAME_KEY)}

    def form_valid(self, form):
        self.request.session[PASSKEY_NAME_KEY] = form.cleaned_data["name"].strip() or _("مفتاح مرور")
        return redirect("staff_passkey_enrol")


class PasskeyRegistrationCompleteView(CompleteCredentialRegistrationView):
    """django-otp-webauthn's registration, plus the name, the audit entry and recovery codes."""

    def post(self, *args, **kwargs):
        # The package raises on any failure (its dispatch turns that into a JSON error): here it has saved the passkey.
        response = super().post(*args, **kwargs)
        device = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"], user=self.request.user)
        services.passkey_enrolled(
            device=device, name=self.request.session.pop(PASSKEY_NAME_KEY, ""), request=self.request
        )
        messages.success(
            self.request,
            _("أُضيف مفتاح المرور «%(name)s». سيُطلب منك بعد كلمة المرور في كل دخول.") % {"name": device.name},
        )
        _recovery_codes_if_none(self.request)
        return response


class PasskeyVerifyCompleteView(CompleteCredentialAuthenticationView):
    """django-otp-webauthn's check of a passkey at the verify step; a refusal is audited like a wrong code."""

    def handle_exception(self, exc):
        if isinstance(exc, OTPWebAuthnApiError) and self.request.user.is_authenticated:
            services.passkey_failed(user=self.request.user, request=self.request)
        if isinstance(exc, UnprocessableEntity):
            # The package words these (a bad signature, malformed data) in English only; the page shows the detail.
            exc = UnprocessableEntity(code=exc.code, detail=_("لم يُقبل جواب مفتاح المرور. حاول مجددًا، أو أكمل برمز."))
        return super().handle_exception(exc)

    def get_success_url(self):
        return self.get_redirect_url() or reverse("wagtailadmin_home")


@require_POST
def recovery_codes_create(request):
    request.session[NEW_CODES_KEY] = services.recovery_codes_generate(user=request.user, request=request)
    messages.success(request, _("أُنشئت رموز استرداد جديدة، وبطلت القديمة."))
    return redirect("staff_security")


@require_POST
def device_revoke(request):
    if services.device_revoke(
        user=request.user, persistent_id=request.POST.get("device", ""), by=request.user, request=request
    ):
        messages.success(request, _("أُزيل عامل التحقق."))
    return redirect("staff_security")


class VerifyView(StaffPageMixin, FormView):
    """The second step of login: a code from the app, a recovery code, or a passkey."""

    template_name = "staff/verify.html"
    form_class = TokenForm
    page_title = gettext_lazy("التحقق بخطوتين")
    header_icon = "lock"

    def get_success_url(self):
        url = self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(url, allowed_hosts={self.request.get_host()}):
            return url
        return reverse("wagtailadmin_home")

    def get(self, request, *args, **kwargs):
        if request.user.is_verified():
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "next_url": self.get_success_url(),
            "has_passkey": services.user_has_passkey(self.request.user),
        }

    def form_valid(self, form):
        device = services.second_factor_verify(
            user=self.request.user, token=form.cleaned_data["token"], request=self.request
        )
        if device is None:
            form.add_error(
                "token", _("الرمز غير صحيح أو استُعمل من قبل. بعد كل رمز خاطئ تنتظر ثواني أطول قبل المحاولة التالية.")
            )
            return self.form_invalid(form)
        if isinstance(device, StaticDevice):
            messages.warning(
                self.request,
                _("استعملت رمز استرداد، وبقي لديك %(count)d. أنشئ رموزًا جديدة من «أمان الحساب» قبل أن تنفد.")
                % {"count": device.token_set.count()},
            )
        return redirect(self.get_success_url())


# Administrators: a user's second factors ------------------------------------


@require_POST
def admin_device_revoke(request, user_pk):
    _require_superuser(request)
    user = get_object_or_404(get_user_model(), pk=user_pk)
    if services.device_revoke(
        user=user, persistent_id=request.POST.get("device", ""), by=request.user, request=request
    ):
        messages.success(request, _("أُزيل عامل التحقق من حساب «%(user)s».") % {"user": user.get_username()})
    return redirect("staff_admin_security")
