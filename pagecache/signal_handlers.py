"""What makes stored pages stale, and which addresses a CDN must drop.

An article published or edited: its own page and every listing. A comment
or a request for comment: the article's page. A correction note or a reply:
the article's page and the listings (the corrections log; the article is
marked updated). Anything that changes what every page shows or
what is public at all (unpublishing, moving, deleting, view restrictions,
sections, bylines, images, settings): every page. The cache is told after the
transaction commits, so no request can store the old content as new.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cachestores import backends as nashir_cache
from pagecache import store


def invalidate_on_commit(*tags: str) -> None:
    # Now, and again once the change is committed: a reader's request between
    # the two may have stored the old content under the first new version.
    store.invalidate(*tags)
    transaction.on_commit(lambda: store.invalidate(*tags))


def articles_changed(article_ids) -> None:
    """Articles whose page changed (and so every listing that may show them)."""
    invalidate_on_commit(store.CONTENT, *(store.article_tag(pk) for pk in article_ids))


def article_discussion_changed(article_id: int) -> None:
    """A comment or reply: only the article's own page shows it."""
    invalidate_on_commit(store.article_tag(article_id))


def everything_changed(*args, **kwargs) -> None:
    invalidate_on_commit(store.SITE)


def shown_everywhere_saved(sender, instance, created, **kwargs):
    """Bylines and settings: a new one shows nowhere yet (settings are created on first use)."""
    if not created:
        everything_changed()


def image_saved(sender, instance, created, update_fields=None, **kwargs):
    """An edited image (file, focal point, alt text); not a new one, nor Wagtail noting its size or hash."""
    if not created and not (update_fields and set(update_fields) <= {"file_size", "file_hash"}):
        everything_changed()


def page_published_handler(sender, instance, **kwargs):
    from news.models import ArticlePage

    if isinstance(instance, ArticlePage):
        articles_changed([instance.pk])
        _purge_listings_on_commit(instance)
    else:
        everything_changed()


def page_saved(sender, instance, **kwargs):
    """A live page saved outside publishing (code, a view count is not: that is an update())."""
    from news.models import ArticlePage

    if not isinstance(instance, Page) or not instance.live:
        return
    if isinstance(instance, ArticlePage):
        article_discussion_changed(instance.pk)
    else:
        everything_changed()


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        everything_changed()


def comment_saved(sender, instance, **kwargs):
    article_discussion_changed(instance.article_id)


def note_saved(sender, instance, **kwargs):
    articles_changed([instance.article_id])


def articles_imported(sender, page_ids, **kwargs):
    everything_changed()


def cache_recovered(sender, **kwargs):
    """The invalidations made while the cache was down were lost: whatever it still keeps may be out of date."""
    store.invalidate(store.SITE)


def _purge_listings_on_commit(article) -> None:
    """Ask the CDN to drop the listings that show this article (Wagtail purges the article itself)."""
    if not settings.WAGTAILFRONTENDCACHE:
        return
    transaction.on_commit(lambda: listing_urls_purge(article))


def listing_urls_purge(article) -> None:
    from news.listings import article_listing_paths

    site = article.get_site()
    root = site.root_url if site else settings.SITE_URL
    batch = PurgeBatch()
    batch.add_urls(f"{root}{path}" for path in article_listing_paths(article))
    batch.purge()


def connect():
    from comments.models import Comment, CommentSettings
    from corrections.models import CommentRequest, CorrectionNote, PublishedReply
    from news import signals as news_signals
    from news.models import Author, Desk, PublisherSettings

    page_published.connect(page_published_handler, dispatch_uid="pagecache-published")
    page_unpublished.connect(everything_changed, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(everything_changed, dispatch_uid="pagecache-moved")
    post_save.connect(page_saved, dispatch_uid="pagecache-saved")
    post_delete.connect(page_deleted, dispatch_uid="pagecache-deleted")
    news_signals.articles_imported.connect(articles_imported, dispatch_uid="pagecache-imported")
    nashir_cache.cache_recovered.connect(cache_recovered, dispatch_uid="pagecache-cache-recovered")
    post_save.connect(everything_changed, sender=PageViewRestriction, dispatch_uid="pagecache-restricted")
    post_delete.connect(everything_changed, sender=PageViewRestriction, dispatch_uid="pagecache-unrestricted")
    # A new site too: each process keeps the site it found for a host (pagecache.memo).
    post_save.connect(everything_changed, sender=Site, dispatch_uid="pagecache-saved-Site")
    post_delete.connect(everything_changed, sender=Site, dispatch_uid="pagecache-deleted-Site")
    # An image edited or replaced changes its renditions' addresses wherever it is shown.
    image_model = get_image_model()
    post_save.connect(image_saved, sender=image_model, dispatch_uid="pagecache-saved-image")
    post_delete.connect(everything_changed, sender=image_model, dispatch_uid="pagecache-deleted-image")
    for model in (Author, Desk, PublisherSettings, CommentSettings):
        post_save.connect(shown_everywhere_saved, sender=model, dispatch_uid=f"pagecache-saved-{model.__name__}")
        post_delete.connect(everything_changed, sender=model, dispatch_uid=f"pagecache-deleted-{model.__name__}")
    on_article = (
        (Comment, comment_saved),
        (CommentRequest, comment_saved),  # «we asked … and have had no reply»
        (PublishedReply, note_saved),  # marks the article updated, which listings show
        (CorrectionNote, note_saved),
    )
    for model, handler in on_article:
        post_save.connect(handler, sender=model, dispatch_uid=f"pagecache-saved-{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"pagecache-deleted-{model.__name__}")
