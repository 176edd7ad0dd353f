from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedImage(models.Model):
    """A WordPress upload and the Wagtail image made from it; `image` is empty when the file was missing."""

    source_url = models.CharField(max_length=500, unique=True)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("صورة مستوردة")
        verbose_name_plural = _("صور مستوردة")

    def __str__(self):
        return self.source_url


class ImportRecord(models.Model):
    """What an import wrote into one Nashir object, so that a re-run can tell whether the newsroom changed it since.

    `state` holds a digest of each field as the import left it: a re-run
    updates the object only while every field still has that digest (nobody
    edited, moderated, moved or unpublished it), and otherwise leaves it alone
    and says why. `source` is the digest of the export's values, so that an
    unchanged item is not written again.
    """

    external_id = models.CharField(max_length=255, unique=True)
    source = models.CharField(max_length=64)
    state = models.JSONField(default=dict)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("سجل استيراد")
        verbose_name_plural = _("سجلات الاستيراد")

    def __str__(self):
        return self.external_id
