"""Staff account security: audit entries, known devices, lockouts, second factors."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import LazyObject
from wagtail.log_actions import log

from nashir.reader_input import client_ip

KNOWN_DEVICE_COOKIE = "nashir_known_device"
KNOWN_DEVICE_SALT = "staff.known-device"
KNOWN_DEVICE_MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers keep a cookie


def request_details(request) -> dict:
    return {"ip_address": client_ip(request), "user_agent": request.headers.get("User-Agent", "")[:255]}


def audit_log(*, user, action: str, request=None, actor=None, data: dict | None = None) -> None:
    """An entry in Wagtail's audit log about `user`'s account (Reports → Site history)."""
    if isinstance(user, LazyObject):
        # Under django-otp request.user is a lazy object around a lazy object; Wagtail finds no log model for it.
        user = get_user_model()._default_manager.get(pk=user.pk)
    details = request_details(request) if request is not None else {}
    log(user, action, user=actor, data={**details, **(data or {})})


def user_for_username(username: str | None):
    if not username:
        return None
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first()


def known_device_users(request) -> set[int]:
    try:
        value = request.get_signed_cookie(KNOWN_DEVICE_COOKIE, salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return set()
    return {int(pk) for pk in value.split(",") if pk.isdigit()}


def known_device_remember(*, response, request, user) -> None:
    """Marks this browser as one `user` has logged in from (a signed cookie the server can check)."""
    pks = known_device_users(request) | {user.pk}
    response.set_signed_cookie(
        KNOWN_DEVICE_COOKIE,
        ",".join(str(pk) for pk in sorted(pks)),
        salt=KNOWN_DEVICE_SALT,
        max_age=KNOWN_DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def new_device_notify(*, user, request) -> None:
    """Emails `user` that their account was just used from a browser it had not been used from."""
    if not user.email:
        return
    context = {
        "user": user,
        "when": timezone.localtime(),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "admin_url": settings.WAGTAILADMIN_BASE_URL,
        **request_details(request),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("staff/new_device_subject.txt", context).strip()
        body = render_to_string("staff/new_device_email.txt", context)
    send_mail(subject, body, None, [user.email], fail_silently=True)


def lockout_lift(*, attempt: AccessAttempt, by) -> int:
    """Lifts a lockout: every failure counted against its account and its address."""
    count = reset(username=attempt.username, ip=attempt.ip_address, ip_or_username=True)
    user = user_for_username(attempt.username)
    if user is not None:
        log(user, "nashir.lockout_lifted", user=by, data={"ip_address": attempt.ip_address or ""})
    return count


def locked_out_attempts():
    """Attempts at or past the failure limit, still inside their cool-off."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
