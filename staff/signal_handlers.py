from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import services


@receiver(user_logged_in)
def login_recorded(sender, request, user, **kwargs):
    # A login with no client address came from no browser (the test client's force_login, a script).
    if request is None or not request.META.get("REMOTE_ADDR"):
        return
    services.audit_log(user=user, action="nashir.login", request=request, actor=user)
    if user.pk not in services.known_device_users(request):
        services.new_device_notify(user=user, request=request)
        # The middleware sets the cookie on the response this request returns.
        request.staff_new_device = user


@receiver(user_login_failed)
def login_failure_recorded(sender, credentials, request=None, **kwargs):
    # Importing axes.signals above connects django-axes' own handler first, so the guess that
    # reaches the limit is recorded as the lockout, and guesses refused during it not at all.
    if request is None or getattr(request, "axes_locked_out", False):
        return
    user = services.user_for_username(credentials.get("username"))
    if user is not None:
        services.audit_log(user=user, action="nashir.login_failed", request=request)


@receiver(user_locked_out)
def lockout_recorded(sender, request, username, ip_address, **kwargs):
    # django-axes signals again for every guess refused during the lockout; only the failure that locked counts.
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    user = services.user_for_username(username)
    if user is not None:
        services.audit_log(user=user, action="nashir.locked_out", request=request)
