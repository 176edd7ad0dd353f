"""The bar readers see: kept in the cache so that `/breaking.json` costs no query, dropped whenever a bar changes."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from breaking.models import BreakingBanner

CACHE_KEY = "breaking:current"
# An upper bound only: every change drops the key. It lets a moved or renamed linked page
# (which does not drop it) show its new address within minutes.
CACHE_SECONDS = 300
# Kept for "no bar", which a cache miss cannot tell apart from "not looked up yet".
NONE = {}


def banner_payload(banner: BreakingBanner) -> dict:
    return {
        "id": banner.pk,
        "text": banner.text,
        "url": banner.link(),
        "expires_at": banner.expires_at.timestamp(),
    }


def banner_current() -> dict | None:
    """The bar to show now, as the endpoint sends it; None when there is none.

    A kept bar past its expiry is not shown: the key is dropped on every change,
    but nothing drops it when the clock passes `expires_at`.
    """
    kept = cache.get(CACHE_KEY)
    if kept is None:
        banner = BreakingBanner.objects.shown().select_related("link_page").first()
        kept = banner_payload(banner) if banner else NONE
        cache.set(CACHE_KEY, kept, CACHE_SECONDS)
    if not kept or kept["expires_at"] <= timezone.now().timestamp():
        return None
    return kept


def banner_forget(*args, **kwargs) -> None:
    """Drop the kept bar now and again on commit, so a request in between cannot keep the old one."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def banner_lower(*, banner: BreakingBanner, user) -> bool:
    """Take the bar down; False if it was already down."""
    if banner.lowered_at is not None:
        return False
    banner.lowered_at = timezone.now()
    banner.save(update_fields=["lowered_at"])
    log(instance=banner, action="nashir.breaking.lower", user=user)
    return True


def labels() -> dict:
    """What the script writes around the bar, in the site's language."""
    return {"label": _("عاجل"), "dismiss": _("إخفاء الشريط")}
