from django.db.models.signals import post_save, pre_save
from wagtail.images import get_image_model
from wagtail.signals import post_page_move

from news import signals
from news.follow_ups import story_chain_ids
from news.listings import article_listing_paths, section_entries_sync
from news.models import ArticlePage, Author, Desk, PublisherSettings
from news.photos import image_pre_save
from pagecache import invalidation


def article_pre_save(sender, instance, raw=False, **kwargs):
    """Note the story the live article followed, so that publishing a new choice updates the old chain too."""
    if not raw and instance.pk:
        instance._follows_before = (
            ArticlePage.objects.filter(pk=instance.pk).values_list("follows_id", flat=True).first()
        )


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
    # The other stories of its chain list it (and the older ones point to the newest): their pages change too.
    # (Unpublishing one is a site change already.)
    chain = story_chain_ids(article.pk, follows_id=article.follows_id)
    before = getattr(article, "_follows_before", None)
    if before and before not in chain:
        chain |= story_chain_ids(before)
    for other in chain - {article.pk}:
        invalidation.article_page_changed(other)
    invalidation.purge_on_commit(article, lambda: article_listing_paths(article))


def article_live_saved(article):
    invalidation.article_page_changed(article.pk)


def articles_imported(sender, page_ids, **kwargs):
    invalidation.site_changed()


def register():
    pre_save.connect(article_pre_save, sender=ArticlePage, dispatch_uid="news-follows-before")
    post_save.connect(article_saved, sender=ArticlePage, dispatch_uid="news-section-entries")
    post_page_move.connect(page_moved, dispatch_uid="news-section-entries-move")
    pre_save.connect(image_pre_save, sender=get_image_model(), dispatch_uid="news-image-metadata")
    # What the page cache must drop: other pages (sections, about pages) are site changes.
    invalidation.page_type_register(ArticlePage, published=article_published, live_saved=article_live_saved)
    signals.articles_imported.connect(articles_imported, dispatch_uid="pagecache-imported")
    # Bylines and the publisher's settings show on every page.
    for model in (Author, Desk, PublisherSettings):
        invalidation.connect_shown_everywhere(model, uid=model.__name__)
