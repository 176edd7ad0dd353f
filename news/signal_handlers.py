from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from news.context_processors import MENU_CACHE_KEY
from news.listings import section_entries_sync
from news.models import AboutPage, ArticlePage, HomePage, PublisherSettings, SectionPage


def forget_menu(**kwargs):
    cache.delete_many([MENU_CACHE_KEY.format(root_id=pk) for pk in HomePage.objects.values_list("pk", flat=True)])


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
    for sender in (SectionPage, AboutPage):
        for signal in (page_published, page_unpublished, post_save, post_delete):
            signal.connect(forget_menu, sender=sender, dispatch_uid=f"news-menu-{sender.__name__}-{id(signal)}")
    post_save.connect(forget_menu, sender=PublisherSettings, dispatch_uid="news-menu-publisher")
    post_page_move.connect(forget_menu, dispatch_uid="news-menu-move")
