from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.account import PasswordResetView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from nashir.reader_input import client_ip, rate_limited

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


class StaffSecurityAdminView(WagtailAdminTemplateMixin, TemplateView):
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
