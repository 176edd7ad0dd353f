from urllib.parse import urlsplit

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("بانتظار المراجعة")
    APPROVED = "approved", _("منشور")
    SPAM = "spam", _("مزعج")


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=CommentStatus.APPROVED)

    def pending(self):
        return self.filter(status=CommentStatus.PENDING)


class Comment(models.Model):
    """A reader's comment. The email is kept for the newsroom only and is never shown."""

    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("الخبر"), on_delete=models.CASCADE, related_name="reader_comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ردًّا على"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    name = models.CharField(_("الاسم"), max_length=80)
    email = models.EmailField(_("البريد الإلكتروني"), max_length=254)
    body = models.TextField(_("التعليق"), max_length=3000)
    status = models.CharField(
        _("الحالة"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("وقت الإرسال"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("عنوان IP"), null=True, blank=True)
    user_agent = models.CharField(_("المتصفح"), max_length=300, blank=True)
    # The comment's key in an imported archive (e.g. "wp:<site>:comment:<id>"), so re-runs update it.
    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()
    # Wagtail's reference index ("where is this page used?") has nothing to learn from
    # comments, and updating it on every comment save costs more than the save itself.
    wagtail_reference_index_ignore = True

    panels = [
        FieldPanel("status"),
        FieldPanel("name"),
        FieldPanel("body"),
        FieldPanel("email", read_only=True, permission="comments.view_reader_contact"),
    ]
    # Hidden in the admin without `view_reader_contact` (readers.contact).
    contact_fields = ("email", "ip_address", "user_agent")

    class Meta:
        verbose_name = _("تعليق")
        verbose_name_plural = _("التعليقات")
        ordering = ["created_at"]
        permissions = [("view_reader_contact", _("رؤية بريد المعلّق وعنوان IP والمتصفح"))]
        indexes = [models.Index(fields=["article", "status", "created_at"])]

    def __str__(self):
        return f"{self.name}: {self.body[:60]}"


class LinkbackKind(models.TextChoices):
    PINGBACK = "pingback", _("تنبيه ربط (pingback)")
    TRACKBACK = "trackback", _("تعقيب (trackback)")


class Linkback(models.Model):
    """Another site's page that linked to an article: a pingback or trackback brought by an import.

    Kept apart from comments (no email, nothing a reader wrote here) and shown
    under the article, when approved, as a link the site does not vouch for.
    """

    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("الخبر"), on_delete=models.CASCADE, related_name="linkbacks"
    )
    kind = models.CharField(_("النوع"), max_length=10, choices=LinkbackKind.choices)
    # http or https only: checked where linkbacks come in (wordpress.services) and by the validator.
    url = models.URLField(_("الرابط"), max_length=500, validators=[URLValidator(schemes=["http", "https"])])
    title = models.CharField(_("العنوان"), max_length=200)
    excerpt = models.TextField(_("المقتطف"), max_length=1000, blank=True)
    status = models.CharField(
        _("الحالة"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("التاريخ"), default=timezone.now)
    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()
    wagtail_reference_index_ignore = True

    panels = [FieldPanel("status"), FieldPanel("title"), FieldPanel("url", read_only=True)]

    class Meta:
        verbose_name = _("رابط إلى خبر")
        verbose_name_plural = _("روابط إلى الأخبار")
        ordering = ["created_at"]

    def __str__(self):
        return self.title

    @property
    def host(self):
        return urlsplit(self.url).hostname or ""


@register_setting(icon="comment")
class CommentSettings(BaseGenericSetting):
    auto_approve_returning = models.BooleanField(
        _("نشر تعليقات المعلّقين المعروفين مباشرة"),
        default=True,
        help_text=_("يُنشر التعليق دون انتظار إذا سبق أن وافق المحررون على تعليق من البريد نفسه."),
    )
    close_after_days = models.PositiveIntegerField(
        _("إغلاق التعليقات بعد (أيام)"),
        default=0,
        help_text=_("تُغلق التعليقات تلقائيًا بعد هذا العدد من الأيام على النشر. صفر: لا تُغلق."),
    )
    max_links = models.PositiveIntegerField(
        _("الحد الأقصى للروابط في التعليق"),
        default=2,
        help_text=_("يُرفض التعليق الذي يحوي روابط أكثر من ذلك."),
    )
    blocklist = models.TextField(
        _("كلمات محظورة"),
        blank=True,
        help_text=_(
            "كلمة أو عبارة في كل سطر. يُعلَّم التعليق الذي يحويها كمزعج. تُقارن الكلمات بعد توحيد "
            "الهمزات والتاء المربوطة والتشكيل، ومع السوابق مثل «و» و«ال»."
        ),
    )

    panels = [
        FieldPanel("auto_approve_returning"),
        FieldPanel("close_after_days"),
        FieldPanel("max_links"),
        FieldPanel("blocklist"),
        HelpPanel(_("معدّل الإرسال المسموح والحد الأدنى لزمن كتابة التعليق يضبطهما مشغّل الموقع في الإعدادات.")),
    ]

    class Meta:
        verbose_name = _("إعدادات التعليقات")

    @classmethod
    def current(cls):
        """The settings, kept in each process until they change: every article page needs them.

        Saving them bumps the page cache's site tag (comments.signal_handlers), which ends the copy.
        """
        from pagecache.memo import site_wide

        return site_wide("comment-settings", cls.load)

    @property
    def blocked_words(self):
        return [line.strip() for line in self.blocklist.splitlines() if line.strip()]
