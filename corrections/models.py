"""Readers' corrections and replies, and the newsroom's public record of its answers.

`CorrectionNote` and `PublishedReply` are append-only: once published they are
never changed or deleted, by anyone. A mistaken note is amended by a new note
that supersedes it.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log


class SubmissionKind(models.TextChoices):
    CORRECTION = "correction", _("تصحيح")
    REPLY = "reply", _("حق الرد")


class SubmissionStatus(models.TextChoices):
    NEW = "new", _("جديد")
    UNDER_REVIEW = "review", _("قيد المراجعة")
    ACCEPTED = "accepted", _("مقبول")
    REJECTED = "rejected", _("مرفوض")
    DUPLICATE = "duplicate", _("مكرر")


class ReaderSubmission(models.Model):
    """A correction or a reply sent by a reader, waiting in the editorial queue."""

    kind = models.CharField(_("النوع"), max_length=12, choices=SubmissionKind.choices)
    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("الخبر"), on_delete=models.CASCADE, related_name="reader_submissions"
    )
    status = models.CharField(
        _("الحالة"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("المسؤول عنها"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_submissions",
    )
    internal_notes = models.TextField(_("ملاحظات داخلية"), blank=True, help_text=_("لا تظهر للقراء."))
    created_at = models.DateTimeField(_("وقت الإرسال"), auto_now_add=True, db_index=True)
    # A correction
    what_is_wrong = models.TextField(_("ما الخطأ"), max_length=3000, blank=True)
    correct_information = models.TextField(_("المعلومة الصحيحة"), max_length=3000, blank=True)
    evidence_url = models.URLField(_("رابط الدليل"), max_length=500, blank=True)
    # A reply
    name = models.CharField(_("الاسم"), max_length=120, blank=True)
    organisation = models.CharField(_("الجهة"), max_length=200, blank=True)
    role = models.CharField(_("الصفة"), max_length=120, blank=True)
    statement = models.TextField(_("نص الرد"), max_length=10000, blank=True)
    # Private: never shown on the site, and in the admin only to roles that answer readers.
    contact_email = models.EmailField(_("بريد التواصل"), blank=True)
    ip_address = models.GenericIPAddressField(_("عنوان IP"), null=True, blank=True)
    outcome_sent_at = models.DateTimeField(_("أُبلغ المرسل بالنتيجة في"), null=True, blank=True)

    # Hidden in the admin without `view_reader_contact` (readers.contact).
    contact_fields = ("contact_email", "ip_address")

    class Meta:
        verbose_name = _("طلب تصحيح أو رد")
        verbose_name_plural = _("طلبات التصحيح والرد")
        ordering = ["-created_at"]
        permissions = [("view_reader_contact", _("رؤية بريد القارئ وعنوان IP"))]

    def __str__(self):
        subject = self.organisation or self.name if self.kind == SubmissionKind.REPLY else self.what_is_wrong
        return f"{self.get_kind_display()}: {subject[:60]}"


class AppendOnlyError(PermissionDenied):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def published(self):
        """Records on articles anyone may read: what the public log, its feeds and the API list."""
        from news.models import readable_by_anyone

        return self.filter(readable_by_anyone("article__"))

    def delete(self):
        raise AppendOnlyError(_("السجل العام للتصحيحات والردود لا يُحذف منه شيء."))

    def update(self, **kwargs):
        raise AppendOnlyError(_("السجل العام للتصحيحات والردود لا يُعدَّل."))


class AppendOnlyRecord(models.Model):
    """Written once. A change or a deletion is refused and recorded in the audit log."""

    published_at = models.DateTimeField(_("تاريخ النشر"), default=timezone.now, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            log(instance=self, action="nashir.record.change_refused", data={"published_at": str(self.published_at)})
            raise AppendOnlyError(_("لا يُعدَّل ما نُشر في السجل العام، ولا يُغيَّر تاريخه. انشر ملاحظة جديدة تحل محلّه."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        log(instance=self, action="nashir.record.delete_refused")
        raise AppendOnlyError(_("لا يُحذف ما نُشر في السجل العام. انشر ملاحظة جديدة تحل محلّه."))


class NoteKind(models.TextChoices):
    CORRECTION = "correction", _("تصحيح")
    CLARIFICATION = "clarification", _("توضيح")
    UPDATE = "update", _("تحديث")


class CorrectionNote(AppendOnlyRecord):
    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("الخبر"), on_delete=models.PROTECT, related_name="correction_notes"
    )
    kind = models.CharField(_("النوع"), max_length=14, choices=NoteKind.choices, default=NoteKind.CORRECTION)
    text = models.TextField(_("نص الملاحظة"), max_length=3000)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("تحل محلّ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text=_("اختر ملاحظة سابقة على الخبر نفسه إذا كانت هذه تصححها."),
    )
    submission = models.ForeignKey(
        ReaderSubmission, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes", editable=False
    )

    class Meta:
        verbose_name = _("ملاحظة تصحيح")
        verbose_name_plural = _("ملاحظات التصحيح")
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class PublishedReply(AppendOnlyRecord):
    """A right of reply, shown as its own dated section: «رد <organisation>»."""

    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("الخبر"), on_delete=models.PROTECT, related_name="published_replies"
    )
    organisation = models.CharField(_("الجهة"), max_length=200)
    name = models.CharField(_("الاسم"), max_length=120, blank=True)
    role = models.CharField(_("الصفة"), max_length=120, blank=True)
    statement = models.TextField(_("نص الرد"), max_length=10000)
    submission = models.ForeignKey(
        ReaderSubmission, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies", editable=False
    )

    class Meta:
        verbose_name = _("رد منشور")
        verbose_name_plural = _("الردود المنشورة")
        ordering = ["published_at"]

    def __str__(self):
        return f"رد {self.organisation}"


class CommentRequest(models.Model):
    """The newsroom asked a party for comment; until a reply arrives the article says so."""

    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("الخبر"), on_delete=models.CASCADE, related_name="comment_requests"
    )
    party = models.CharField(_("الجهة التي تواصلنا معها"), max_length=200)
    asked_at = models.DateTimeField(_("تاريخ التواصل"), default=timezone.now)
    deadline = models.DateTimeField(_("المهلة"), null=True, blank=True)
    reply = models.ForeignKey(
        PublishedReply, verbose_name=_("الرد"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("طلب تعليق")
        verbose_name_plural = _("طلبات التعليق")
        ordering = ["asked_at"]

    def __str__(self):
        return self.party
