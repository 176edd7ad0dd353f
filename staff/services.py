"""Staff account security: audit entries, known devices, lockouts, second factors."""

import base64

import qrcode
import qrcode.image.svg
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import LazyObject
from django.utils.translation import gettext
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from wagtail.log_actions import log

from operations.clients import client_ip

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


# Second factors -------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def second_factor_required(user) -> bool:
    """Whether NASHIR_REQUIRE_2FA_GROUPS makes `user` set up a second factor before using the admin."""
    groups = settings.NASHIR_REQUIRE_2FA_GROUPS
    if not groups:
        return False
    if "superusers" in groups and user.is_superuser:
        return True
    return user.groups.filter(name__in=groups).exists()


def user_has_second_factor(user) -> bool:
    """Any confirmed device, recovery codes included: the session must pass one of them."""
    return user_has_device(user, confirmed=True)


def user_enrolled(user) -> bool:
    """An authenticator app or a passkey; recovery codes alone are a fallback, not enrolment."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def second_factors(user) -> list:
    return [device for device in devices_for_user(user, confirmed=True)]


def totp_start(*, user) -> TOTPDevice:
    """A new, unconfirmed authenticator-app device; it counts once the user types a code from it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=gettext("تطبيق المصادقة"), confirmed=False)


def totp_qr_svg(*, device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG, drawn here: the secret never goes to a QR service."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def totp_secret(*, device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed (base32, in groups of four)."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_confirm(*, device: TOTPDevice, token: str, name: str, request) -> bool:
    if not device.verify_token(token.strip().replace(" ", "")):
        return False
    device.confirmed = True
    device.name = name or device.name
    device.save()
    otp_login(request, device)
    audit_log(user=device.user, action="nashir.2fa_enrolled", request=request, actor=device.user, data=_about(device))
    return True


def recovery_codes_generate(*, user, request) -> list[str]:
    """Ten new one-time codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=gettext("رموز الاسترداد"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_log(user=user, action="nashir.recovery_codes_created", request=request, actor=user)
    return codes


def passkey_enrolled(*, device: WebAuthnCredential, name: str, request) -> WebAuthnCredential:
    """Names a passkey the browser has just created (django-otp-webauthn saved it) and writes the audit entry."""
    device.name = (name or "").strip()[:64] or gettext("مفتاح مرور")
    device.save(update_fields=["name"])
    audit_log(user=device.user, action="nashir.2fa_enrolled", request=request, actor=device.user, data=_about(device))
    return device


def passkey_failed(*, user, request) -> None:
    """A passkey the server refused at the verify step (unknown, revoked, another account's, or a bad signature)."""
    audit_log(user=user, action="nashir.2fa_failed", request=request, data={"kind": device_kind(WebAuthnCredential())})


def user_has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def second_factor_verify(*, user, token: str, request):
    """The device `token` is from (an app code or a recovery code, each code once), or None."""
    token = token.strip().replace(" ", "")
    device = match_token(user, token) if token else None
    if device is None:
        audit_log(user=user, action="nashir.2fa_failed", request=request)
        return None
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        audit_log(user=user, action="nashir.recovery_code_used", request=request, actor=user)
    return device


def device_revoke(*, user, persistent_id: str, by, request) -> bool:
    """Removes one of `user`'s second factors; `by` is the user or an administrator."""
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != user.pk:
        return False
    data = _about(device)
    device.delete()
    audit_log(user=user, action="nashir.2fa_revoked", request=request, actor=by, data=data)
    return True


def device_kind(device) -> str:
    if isinstance(device, TOTPDevice):
        return gettext("تطبيق مصادقة")
    if isinstance(device, StaticDevice):
        return gettext("رموز استرداد")
    if isinstance(device, WebAuthnCredential):
        return gettext("مفتاح مرور أو مفتاح أمان")
    return device._meta.verbose_name


def _about(device) -> dict:
    return {"device": device.name, "kind": device_kind(device)}
