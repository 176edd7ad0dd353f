"""Staff sessions: idle expiry, the second factor, the known-device cookie."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services

LAST_SEEN_KEY = "staff_last_seen"
# The session is written at most this often just to move the idle clock on.
LAST_SEEN_RESOLUTION = 30


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Readers have no session cookie: nothing here touches their requests.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            response = self.check(request)
            if response is not None:
                return response
        response = self.get_response(request)
        user = getattr(request, "staff_new_device", None)
        if user is not None:
            services.known_device_remember(response=response, request=request, user=user)
        return response

    def check(self, request):
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - last_seen > settings.NASHIR_ADMIN_IDLE_MINUTES * 60:
            services.audit_log(user=request.user, action="nashir.session_expired", request=request)
            logout(request)
            messages.warning(
                request,
                _("انتهت جلستك بعد %(minutes)d دقيقة دون نشاط. سجّل الدخول مجددًا.")
                % {"minutes": settings.NASHIR_ADMIN_IDLE_MINUTES},
            )
            if self.is_admin(request):
                return redirect(f"{reverse('wagtailadmin_login')}?{urlencode({'next': request.get_full_path()})}")
            return None
        if last_seen is None or now - last_seen > LAST_SEEN_RESOLUTION:
            request.session[LAST_SEEN_KEY] = now
        if self.is_admin(request):
            return self.second_factor_gate(request)
        return None

    def is_admin(self, request) -> bool:
        return request.path_info.startswith(reverse("wagtailadmin_home"))

    def second_factor_gate(self, request):
        """A user with a second factor passes it before any admin page; one who must have one sets it up first."""
        path = request.path_info
        open_to_all = (
            "wagtailadmin_logout",
            "wagtailadmin_login",
            "wagtailadmin_sprite",
            "wagtailadmin_javascript_catalog",
        )
        if path.startswith(tuple(reverse(name) for name in open_to_all)):
            return None
        user = request.user
        verify_url = reverse("staff_verify")
        if services.user_has_second_factor(user) and not user.is_verified():
            # The verify page and what its passkey button calls (django-otp-webauthn's authentication and texts).
            passkey_urls = (
                "otp_webauthn:credential-authentication-begin",
                "otp_webauthn:credential-authentication-complete",
                "otp_webauthn:js-i18n-catalog",
            )
            if path.startswith(verify_url) or path in {reverse(name) for name in passkey_urls}:
                return None
            return redirect(f"{verify_url}?{urlencode({'next': request.get_full_path()})}")
        if (
            services.second_factor_required(user)
            and not services.user_enrolled(user)
            and not path.startswith((reverse("staff_security"), verify_url))
        ):
            messages.warning(request, _("يجب أن تُعِدّ عاملَ تحقّق ثانيًا لحسابك قبل استخدام لوحة التحرير."))
            return redirect("staff_security")
        return None
