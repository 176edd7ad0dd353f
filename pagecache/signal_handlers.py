"""What Wagtail's own models make stale; every app connects its own models (`pagecache.invalidation`).

Anything that changes what every page shows or what is public at all
(unpublishing, moving, deleting, view restrictions, sites, images, a page
type no app registered): every page. A page type registered with
`invalidation.page_type_register` says what its publication and saves make
stale instead. The cache is told now and again after the transaction
commits, so no request can store the old content as new.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cachestores import backends as nashir_cache
from pagecache import invalidation, store


def image_saved(sender, instance, created, update_fields=None, **kwargs):
    """An edited image (file, focal point, alt text); not a new one, nor Wagtail noting its size or hash."""
    if not created and not (update_fields and set(update_fields) <= {"file_size", "file_hash"}):
        invalidation.site_changed()


def page_published_handler(sender, instance, **kwargs):
    page_type = invalidation.page_type(instance)
    if page_type is None:
        invalidation.site_changed()
    else:
        page_type.published(instance)


def page_saved(sender, instance, created=False, **kwargs):
    """A live page saved outside publishing (code, a view count is not: that is an update())."""
    if not isinstance(instance, Page) or not instance.live:
        return
    page_type = invalidation.page_type(instance)
    if page_type is None:
        invalidation.site_changed()
    elif created:  # made live by code (a script, a factory): as good as published, listings included
        page_type.published(instance)
    else:
        page_type.live_saved(instance)


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        invalidation.site_changed()


def cache_recovered(sender, **kwargs):
    """The invalidations made while the cache was down were lost: whatever it still keeps may be out of date."""
    store.invalidate(store.SITE)


def connect():
    site_changed = invalidation.site_changed
    page_published.connect(page_published_handler, dispatch_uid="pagecache-published")
    page_unpublished.connect(site_changed, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(site_changed, dispatch_uid="pagecache-moved")
    post_save.connect(page_saved, dispatch_uid="pagecache-saved")
    post_delete.connect(page_deleted, dispatch_uid="pagecache-deleted")
    nashir_cache.cache_recovered.connect(cache_recovered, dispatch_uid="pagecache-cache-recovered")
    post_save.connect(site_changed, sender=PageViewRestriction, dispatch_uid="pagecache-restricted")
    post_delete.connect(site_changed, sender=PageViewRestriction, dispatch_uid="pagecache-unrestricted")
    # A new site too: each process keeps the site it found for a host (pagecache.memo).
    post_save.connect(site_changed, sender=Site, dispatch_uid="pagecache-saved-Site")
    post_delete.connect(site_changed, sender=Site, dispatch_uid="pagecache-deleted-Site")
    # An image edited or replaced changes its renditions' addresses wherever it is shown.
    image_model = get_image_model()
    post_save.connect(image_saved, sender=image_model, dispatch_uid="pagecache-saved-image")
    post_delete.connect(site_changed, sender=image_model, dispatch_uid="pagecache-deleted-image")
