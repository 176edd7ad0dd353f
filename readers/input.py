"""What every form that readers fill in shares: spam checks, rate limits, clean text.

Comments, corrections and replies all use this; nothing here calls an outside
service.
"""

import hashlib
import time
from functools import wraps
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from arabic.text import strip_control_characters, strip_spoofing_controls
from operations.clients import RATE_LIMIT_CACHE, rate_limited
from operations.database import DATABASE_BUSY_RETRY_SECONDS

TIMESTAMP_SALT = "nashir.reader-form.rendered-at"


class SpamSuspected(Exception):
    """The submission came from a robot: drop it without telling it why."""


class ReaderForm(forms.ModelForm):
    """A model form for readers with a honeypot and a minimum filling time.

    `website` is hidden from people (CSS, aria-hidden, no tab stop) but bots
    fill it; `rendered_at` is a signed time stamp of when the form was shown,
    good for NASHIR_FORM_MAX_SECONDS and for one post from each address
    (`client_address`, which the view passes). `is_spam()` tells the view to
    discard the submission silently. Control characters are dropped from
    everything submitted before any field sees it.
    """

    website = forms.CharField(required=False, label=_("اترك هذا الحقل فارغًا"))
    rendered_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *args, client_address: str = "", **kwargs):
        if data is not None:
            data = _without_control_characters(data)
        super().__init__(data, *args, **kwargs)
        self.client_address = client_address
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["rendered_at"] = signing.dumps(time.time(), salt=TIMESTAMP_SALT)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("website"):
            self.spam_reason = "honeypot"
            return cleaned_data
        stamp = cleaned_data.get("rendered_at") or ""
        # Shown again after an error, the form carries a new stamp, so what the
        # reader typed is never lost to an expired one.
        self.data = self.data.copy()
        self.data["rendered_at"] = signing.dumps(time.time(), salt=TIMESTAMP_SALT)
        expired = forms.ValidationError(
            _("انتهت صلاحية النموذج. أعد إرساله من فضلك؛ احتفظنا بما كتبته."), code="expired"
        )
        max_age = settings.NASHIR_FORM_MAX_SECONDS
        try:
            rendered_at = float(signing.loads(stamp, salt=TIMESTAMP_SALT, max_age=max_age))
        except (signing.BadSignature, TypeError, ValueError):
            raise expired from None
        if time.time() - rendered_at < settings.NASHIR_FORM_MIN_SECONDS:
            raise forms.ValidationError(_("أُرسل النموذج بسرعة كبيرة. تمهّل قليلًا ثم أرسله مجددًا."), code="too_fast")
        if not _first_use(stamp, self.client_address, seconds=max_age):
            raise expired
        return cleaned_data

    def is_spam(self) -> bool:
        return getattr(self, "spam_reason", None) is not None


def _without_control_characters(data):
    """A copy of submitted form data (a QueryDict or a dict) with control characters dropped from every value."""
    if hasattr(data, "lists"):
        cleaned = data.copy()
        for key, values in data.lists():
            cleaned.setlist(key, [strip_control_characters(v) if isinstance(v, str) else v for v in values])
        return cleaned
    return {key: strip_control_characters(v) if isinstance(v, str) else v for key, v in data.items()}


def _first_use(stamp: str, address: str, *, seconds: int) -> bool:
    """Whether this stamp is posted from this address for the first time.

    A stored page gives every reader the same stamp, so it may serve one post
    from each address; a robot replaying it from one address gets one.
    """
    digest = hashlib.blake2b(f"{stamp}|{address}".encode(), digest_size=16).hexdigest()
    return caches[RATE_LIMIT_CACHE].add(f"formstamp:{digest}", 1, seconds)


# Shown above a form whose text could not be saved because the database stayed busy.
DATABASE_BUSY_MESSAGE = _("الموقع مشغول الآن فلم نتمكن من حفظ ما أرسلته. أعد إرساله بعد قليل؛ احتفظنا بما كتبته.")


def retry_later(response):
    """A 503 with Retry-After: the reader's form again, nothing was saved, nothing is lost."""
    response.status_code = 503
    response["Retry-After"] = str(DATABASE_BUSY_RETRY_SECONDS)
    return response


def clean_text(value: str, *, name: bool = False) -> str:
    """Reader text without spoofing controls, trimmed."""
    return strip_spoofing_controls(value or "", name=name).strip()


def _limit(setting: str) -> tuple[int, int]:
    count, seconds = setting.split("/")
    return int(count), int(seconds)


def submission_rate_limited(scope: str, *, ip_address: str, email: str = "") -> bool:
    """Per-address and per-email limits, shared by every reader form.

    An address already over its limit does not count against the email it
    gives, so it cannot use up someone else's.
    """
    ip_limit, ip_window = _limit(settings.NASHIR_RATE_PER_IP)
    email_limit, email_window = _limit(settings.NASHIR_RATE_PER_EMAIL)
    if rate_limited(scope, ip_address, limit=ip_limit, window=ip_window):
        return True
    return rate_limited(scope, email.lower(), limit=email_limit, window=email_window)


def _cross_site(request) -> bool:
    """Whether the browser says this request was sent from another web site.

    Browsers send Sec-Fetch-Site, or at least Origin, with every form post;
    a client that sends neither is not a browser another site could steer.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return origin == "null" or urlsplit(origin).netloc != request.get_host()


def reader_form_view(view):
    """A view that takes readers' forms: no CSRF token, but no posts from other sites.

    The forms sit on pages served from the page cache to every reader alike,
    so they cannot carry a per-reader token. Django's token protects what a
    signed-in user's cookie could do; these forms never act as a user (an
    editor who comments is an anonymous reader too), and the honeypot, the
    time stamp and the rate limits guard them. What is left, another site
    making a reader's browser post, is refused from the browser's own
    Sec-Fetch-Site and Origin headers.
    """

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and _cross_site(request):
            return TemplateResponse(request, "403_cross_site.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped
