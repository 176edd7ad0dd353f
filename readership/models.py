from django.db import models
from django.utils.translation import gettext_lazy as _


class HourlyViews(models.Model):
    """Reads of one article in one hour: the basis of the most-read lists.

    The article's running total lives on `ArticlePage.view_count`; both are
    written only by the buffered flush (see `readership.buffer`).
    """

    article = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="hourly_views")
    hour = models.DateTimeField(_("الساعة"))
    views = models.PositiveIntegerField(_("القراءات"), default=0)
    # Addresses that read the article for the first time in a day: what the most-read lists rank by.
    readers = models.PositiveIntegerField(_("القراء"), default=0)

    class Meta:
        verbose_name = _("قراءات ساعة")
        verbose_name_plural = _("القراءات بالساعة")
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="hourly_views_article_hour")]
        indexes = [models.Index(fields=["hour", "article"])]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}:00 = {self.views}"
