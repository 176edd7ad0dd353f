"""Who a story is by: named authors, or a desk when the newsroom signs collectively."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from arabic.text import slugify


class BylineEntity(index.Indexed, models.Model):
    name = models.CharField(_("الاسم"), max_length=150)
    slug = models.SlugField(
        _("المعرّف في الرابط"),
        max_length=150,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("يُنشأ من الاسم إذا تُرك فارغًا."),
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug(slugify(self.name, max_bytes=140) or "x")
        super().save(*args, **kwargs)

    def _unique_slug(self, base):
        taken = set(type(self).objects.filter(slug__startswith=base).exclude(pk=self.pk).values_list("slug", flat=True))
        slug, suffix = base, 2
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug


class Desk(BylineEntity):
    """A collective byline such as `قسم الأخبار`: no person is named."""

    description = models.TextField(_("نبذة"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(BylineEntity.Meta):
        verbose_name = _("قسم تحرير")
        verbose_name_plural = _("أقسام التحرير")

    def get_absolute_url(self):
        return reverse("news:desk", args=[self.slug])


class Author(BylineEntity):
    role = models.CharField(_("الصفة"), max_length=100, blank=True, help_text=_("مثال: مراسل في إسطنبول"))
    bio = models.TextField(_("نبذة"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("الصورة"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Who this author was in an imported archive (e.g. "wp:<site>:<login>"), so re-runs find them.
    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True, editable=False)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("role"), FieldPanel("bio"), FieldPanel("photo")]

    class Meta(BylineEntity.Meta):
        verbose_name = _("كاتب")
        verbose_name_plural = _("الكتّاب")

    def get_absolute_url(self):
        return reverse("news:author", args=[self.slug])
