from django.db.models.signals import post_save, pre_save
from wagtail.images import get_image_model
from wagtail.signals import post_page_move

from news.listings import section_entries_sync
from news.models import ArticlePage
from news.photos import image_pre_save


def article_saved(sender, instance, raw=False, **kwargs):
    # Publishing saves the page, so this also sees its first publication date.
    if not raw:
        section_entries_sync(ArticlePage.objects.filter(pk=instance.pk))


def page_moved(sender, instance, **kwargs):
    # Moving a section moves every article below it (in SQL, without saving them).
    section_entries_sync(ArticlePage.objects.descendant_of(instance, inclusive=True))


def register():
    post_save.connect(article_saved, sender=ArticlePage, dispatch_uid="news-section-entries")
    post_page_move.connect(page_moved, dispatch_uid="news-section-entries-move")
    pre_save.connect(image_pre_save, sender=get_image_model(), dispatch_uid="news-image-metadata")
