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
