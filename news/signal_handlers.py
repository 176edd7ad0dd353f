from django.db.models.signals import post_save, pre_save
from wagtail.images import get_image_model
from wagtail.signals import post_page_move

from news import signals
from news.listings import article_listing_paths, section_entries_sync
from news.models import ArticlePage, Author, Desk, PublisherSettings
from news.photos import image_pre_save
from pagecache import invalidation


def article_saved(sender, instance, raw=False, **kwargs):
    # Publishing saves the page, so this also sees its first publication date.
    if not raw:
        section_entries_sync(ArticlePage.objects.filter(pk=instance.pk))


def page_moved(sender, instance, **kwargs):
    # Moving a section moves every article below it (in SQL, without saving them).
    section_entries_sync(ArticlePage.objects.descendant_of(instance, inclusive=True))


def article_published(article):
    """Its page and every listing; a CDN drops the listings that show it (Wagtail purges the article itself)."""
    invalidation.articles_changed([article.pk])
    invalidation.purge_on_commit(article, lambda: article_listing_paths(article))


def article_live_saved(article):
    invalidation.article_page_changed(article.pk)


def articles_imported(sender, page_ids, **kwargs):
    invalidation.site_changed()


def register():
    post_save.connect(article_saved, sender=ArticlePage, dispatch_uid="news-section-entries")
    post_page_move.connect(page_moved, dispatch_uid="news-section-entries-move")
    pre_save.connect(image_pre_save, sender=get_image_model(), dispatch_uid="news-image-metadata")
    # What the page cache must drop: other pages (sections, about pages) are site changes.
    invalidation.page_type_register(ArticlePage, published=article_published, live_saved=article_live_saved)
    signals.articles_imported.connect(articles_imported, dispatch_uid="pagecache-imported")
    # Bylines and the publisher's settings show on every page.
    for model in (Author, Desk, PublisherSettings):
        invalidation.connect_shown_everywhere(model, uid=model.__name__)
