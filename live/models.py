"""Live coverage: a page that stays open while a story unfolds, and the entries posted to it.

Entries are rows of their own, not page revisions: posting one publishes it
(or saves it for an editor) without publishing the page, and the page and its
updates endpoint show it at once.
"""

import html
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from news.blocks import PARAGRAPH_FEATURES
from news.forms import NewsPageForm
from news.models.pages import BLOCK_END, RestrictionsMixin
from pagecache.store import SITE, article_tag, tag_request


def version_token(moment) -> str:
    """What a reader's page says it shows (the last change of its entries), in microseconds since 1970."""
    if moment is None:
        return ""
    return str(int(moment.timestamp() * 1_000_000))


# Two entries saved at once may commit in the other order: a page told the later one's time must
# still be sent the earlier one. What a page is told it shows is never newer than this long ago, so
# a change is sent again for a few seconds rather than missed.
CHANGE_SETTLING = timedelta(seconds=5)


def settled_version(latest) -> str:
    """The version a page showing changes up to `latest` is told it shows (see CHANGE_SETTLING)."""
    if latest is None:
        return ""
    return version_token(min(latest, timezone.now() - CHANGE_SETTLING))


def version_moment(token: str):
    """The moment `version_token` wrote, or None for what it cannot have written."""
    if not token.isdigit() or len(token) > 17:  # microseconds up to the year 5138
        return None
    return datetime.fromtimestamp(int(token) / 1_000_000, tz=UTC)


class ClosedOrder(models.TextChoices):
    NEWEST_FIRST = "newest", _("الأحدث أولًا")
    OLDEST_FIRST = "oldest", _("الأقدم أولًا")


class LiveCoveragePage(RestrictionsMixin, Page):
    summary = models.TextField(
        _("المقدمة"), max_length=600, help_text=_("تظهر تحت العنوان: ما يحدث وما نعرفه حتى الآن.")
    )
    desk = models.ForeignKey(
        "news.Desk",
        verbose_name=_("قسم التحرير"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="live_coverages",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("الصورة الرئيسية"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(_("تعليق الصورة الرئيسية"), max_length=255, blank=True)
    is_open = models.BooleanField(
        _("التغطية مفتوحة"), default=True, help_text=_("أغلقها حين تنتهي الأحداث: تظهر للقراء «مغلقة».")
    )
    closed_order = models.CharField(
        _("ترتيب التحديثات بعد الإغلاق"),
        max_length=10,
        choices=ClosedOrder.choices,
        default=ClosedOrder.NEWEST_FIRST,
        help_text=_("ما دامت التغطية مفتوحة تظهر التحديثات الأحدث أولًا."),
    )
    leads_home = models.BooleanField(
        _("تتصدّر الصفحة الرئيسية"),
        default=False,
        help_text=_("ما دامت مفتوحة تظهر مكان الخبر الرئيسي في الصفحة الرئيسية؛ حين تُغلق يعود الخبر الرئيسي مكانه."),
    )
    reporters_publish_directly = models.BooleanField(
        _("المراسلون ينشرون مباشرة"),
        default=False,
        help_text=_("إن لم تُختر تُحفظ تحديثات المراسلين مسودات حتى ينشرها محرر."),
    )
    # Where it stands among the articles of the home and section pages: its first publication, then
    # moved up by new entries at most once every LISTING_STEP (live.signal_handlers).
    listed_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = [
        FieldPanel("title", heading=_("العنوان الرئيسي")),
        FieldPanel("summary"),
        FieldPanel("desk"),
        MultiFieldPanel([FieldPanel("lead_image"), FieldPanel("lead_image_caption")], heading=_("الصورة الرئيسية")),
        MultiFieldPanel(
            [
                FieldPanel("is_open"),
                FieldPanel("leads_home"),
                FieldPanel("closed_order"),
                FieldPanel("reporters_publish_directly"),
            ],
            heading=_("التغطية"),
        ),
    ]

    parent_page_types = ["news.SectionPage"]
    subpage_types = []
    base_form_class = NewsPageForm

    class Meta:
        verbose_name = _("تغطية مباشرة")
        verbose_name_plural = _("التغطيات المباشرة")

    def published_entries(self):
        return (
            self.entries.published()
            .select_related("author", "image", "promoted_to")
            .defer("promoted_to__body")
            .prefetch_related("sources", "corrections")
        )

    def entries_in_order(self):
        """Newest first while open; after closing, in the order the editor chose."""
        entries = self.published_entries()
        if not self.is_open and self.closed_order == ClosedOrder.OLDEST_FIRST:
            return entries.order_by("posted_at", "pk")
        return entries.order_by("-posted_at", "-pk")

    def key_events(self, entries):
        """The pinned ones of `entries` («أبرز التطورات»), newest first."""
        return sorted((entry for entry in entries if entry.pinned), key=lambda entry: entry.posted_at, reverse=True)

    def with_content_json(self, content):
        # A revision carries the page's fields as they were when saved: publishing it must not
        # move the coverage back down the listings its entries have moved it up since.
        page = super().with_content_json(content)
        page.listed_at = self.listed_at
        return page

    def get_context(self, request, *args, **kwargs):
        # The page and its updates endpoint are stale when an entry or a correction note is saved
        # (live.signal_handlers): a page's id names it as an article's does.
        tag_request(request, SITE, article_tag(self.pk))
        context = super().get_context(request, *args, **kwargs)
        entries = list(self.entries_in_order())
        newest = max(entries, key=lambda entry: (entry.published_at or entry.posted_at, entry.pk), default=None)
        key_events = self.key_events(entries)
        context.update(
            breadcrumbs=list(self.get_ancestors()[1:]),
            section=self.get_parent(),
            key_events=key_events,
            entries=entries,
            newest_entry=newest,
            # A shared link's card says the latest key event (the page is stale, and re-rendered, when one is pinned).
            share_description=key_events[0].title_text() if key_events else self.search_description or self.summary,
            version=settled_version(max((entry.changed_at for entry in entries), default=None)),
        )
        return context


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("مسودة")
    PUBLISHED = "published", _("منشور")


class PublishedEntryDeletion(Exception):
    """A published entry stays on the record: a correction note says what was wrong instead."""


class LiveEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EntryStatus.PUBLISHED)

    def published_after(self, entry):
        """Published entries that went out after `entry`, by the moment they were published (not their id:
        a draft published later went out later)."""
        if entry.published_at is None:  # published by a bulk update, which stamps nothing
            return self.published().filter(pk__gt=entry.pk)
        return self.published().filter(
            models.Q(published_at__gt=entry.published_at) | models.Q(published_at=entry.published_at, pk__gt=entry.pk)
        )

    def changed_since(self, moment):
        """Published entries changed after `moment` (see `LiveEntry.changed_at`)."""
        return self.published().filter(changed_at__gt=moment)

    def newest_first(self):
        """By the time they went out, on every database alike (an entry marked published by an update has none)."""
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-pk")


class LiveEntry(ClusterableModel):
    coverage = models.ForeignKey(
        LiveCoveragePage, verbose_name=_("التغطية"), on_delete=models.CASCADE, related_name="entries"
    )
    posted_at = models.DateTimeField(_("الوقت"), default=timezone.now)
    headline = models.CharField(_("العنوان"), max_length=255, blank=True)
    body = RichTextField(_("النص"), features=PARAGRAPH_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("الصورة"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        "news.Author",
        verbose_name=_("الكاتب"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="live_entries",
    )
    pinned = models.BooleanField(
        _("من أبرز التطورات"), default=False, help_text=_("يظهر أيضًا في «أبرز التطورات» أعلى الصفحة.")
    )
    status = models.CharField(_("الحالة"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    # When it went out: what readers' pages poll against (`published_after`).
    published_at = models.DateTimeField(_("وقت النشر"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    # The article an editor made of this entry («حوّل إلى مقال»); kept here so that news knows nothing of live.
    promoted_to = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("المقال"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="promoted_from_entries",
    )
    # When it last changed as readers see it (an edit, a pin, a correction note): readers' open pages
    # replace it in place when this is past the version they were shown (`changed_since`).
    changed_at = models.DateTimeField(_("آخر تغيير"), default=timezone.now, editable=False)

    objects = LiveEntryQuerySet.as_manager()

    panels = [
        FieldPanel("coverage"),
        FieldPanel("headline"),
        FieldPanel("body"),
        FieldPanel("image"),
        FieldPanel("author"),
        FieldPanel("pinned"),
        FieldPanel("status"),
        FieldPanel("posted_at"),
        InlinePanel("sources", label=_("مصدر"), heading=_("المصادر")),
    ]

    class Meta:
        verbose_name = _("تحديث")
        verbose_name_plural = _("تحديثات التغطية المباشرة")
        ordering = ["-posted_at", "-pk"]
        permissions = [("publish_liveentry", _("نشر تحديثات التغطية المباشرة"))]
        indexes = [models.Index(fields=["coverage", "status", "published_at"], name="live_entry_published")]

    def __str__(self):
        return self.headline or self.body_preview()

    def clean(self):
        if self.pk and self.status == EntryStatus.DRAFT:
            was = LiveEntry.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if was == EntryStatus.PUBLISHED:
                raise ValidationError({"status": _("لا يعود تحديث منشور مسودة: أضف ملاحظة تصحيح تقول ما الخطأ فيه.")})

    def save(self, *args, **kwargs):
        if self.status == EntryStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.changed_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "changed_at"}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise PublishedEntryDeletion(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == EntryStatus.PUBLISHED

    def body_preview(self):
        return Truncator(self.body_text()).words(8)

    def body_text(self):
        """The body as plain text, a line per paragraph: what structured data and plain feeds carry."""
        return html.unescape(strip_tags(BLOCK_END.sub("\n", self.body))).strip()

    def title_text(self):
        """The headline, or the body's first words for an entry without one."""
        return self.headline or Truncator(self.body_text()).words(12)

    def anchor(self):
        return f"#entry-{self.pk}"


class LiveEntrySource(Orderable):
    entry = ParentalKey(LiveEntry, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(_("اسم المصدر"), max_length=200)
    url = models.URLField(_("الرابط"), max_length=500, blank=True)

    panels = [FieldPanel("name"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("مصدر")
        verbose_name_plural = _("المصادر")

    def __str__(self):
        return self.name


class AppendOnlyRecord(Exception):
    """A correction note is added, never changed nor removed."""


class LiveEntryCorrection(models.Model):
    # Goes with its entry only when the whole coverage is deleted (a published entry is never deleted alone).
    entry = models.ForeignKey(
        LiveEntry, verbose_name=_("التحديث"), on_delete=models.CASCADE, related_name="corrections"
    )
    published_at = models.DateTimeField(_("التاريخ"), default=timezone.now, editable=False)
    text = models.TextField(_("نص التصحيح"), help_text=_("ما كان خطأ وما الصحيح. تُنشر تحت التحديث ولا تُعدَّل."))

    panels = [FieldPanel("entry"), FieldPanel("text")]

    class Meta:
        verbose_name = _("تصحيح تحديث")
        verbose_name_plural = _("تصحيحات التحديثات")
        ordering = ["published_at", "pk"]

    def __str__(self):
        return self.text[:60]

    def save(self, *args, **kwargs):
        if self.pk is not None and LiveEntryCorrection.objects.filter(pk=self.pk).exists():
            raise AppendOnlyRecord(self.pk)
        # The note shows under its entry: readers' open pages replace the entry at their next poll.
        LiveEntry.objects.filter(pk=self.entry_id).update(changed_at=self.published_at)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyRecord(self.pk)
