from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a bar stays up unless the editor says otherwise.
DEFAULT_LIFETIME = timedelta(hours=2)


def default_expiry():
    return timezone.now() + DEFAULT_LIFETIME


class BreakingBannerQuerySet(models.QuerySet):
    def shown(self, *, at=None):
        """Raised, not lowered and not expired: what readers see, newest first."""
        at = at or timezone.now()
        return self.filter(lowered_at__isnull=True, expires_at__gt=at).order_by("-raised_at", "-pk")


class BreakingBanner(models.Model):
    """A site-wide breaking-news bar. The newest one raised and still up is shown on every page."""

    text = models.CharField(_("النص"), max_length=140)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("رابط إلى صفحة"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link_url = models.URLField(_("أو رابط خارجي"), blank=True)
    expires_at = models.DateTimeField(
        _("ينتهي في"), default=default_expiry, help_text=_("يختفي الشريط وحده في هذا الوقت (بعد ساعتين ما لم تغيّره).")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("رفعه"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("رُفع في"), default=timezone.now, editable=False)
    lowered_at = models.DateTimeField(_("أُنزل في"), null=True, blank=True, editable=False)

    objects = BreakingBannerQuerySet.as_manager()

    class Meta:
        verbose_name = _("شريط عاجل")
        verbose_name_plural = _("الأشرطة العاجلة")
        ordering = ["-raised_at"]

    def __str__(self):
        return self.text

    def clean(self):
        if self.link_page_id and self.link_url:
            raise ValidationError({"link_url": _("اختر صفحة أو رابطًا خارجيًا، لا الاثنين.")})
        if self.expires_at and self.expires_at <= timezone.now() and not self.lowered_at:
            raise ValidationError({"expires_at": _("وقت الانتهاء مضى؛ اختر وقتًا قادمًا.")})

    @property
    def is_shown(self) -> bool:
        return self.lowered_at is None and self.expires_at > timezone.now()

    def link(self) -> str:
        if self.link_page_id:
            return self.link_page.url or ""
        return self.link_url
