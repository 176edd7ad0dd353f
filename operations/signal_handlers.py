from django.db.models.signals import post_save
from wagtail.models import Revision
from wagtail.signals import page_published

from operations.scheduling import publication_schedule


def revision_scheduled(sender, instance, **kwargs):
    if instance.approved_go_live_at is not None:
        publication_schedule(instance.approved_go_live_at)


def page_published_with_expiry(sender, instance, **kwargs):
    if instance.expire_at is not None:
        publication_schedule(instance.expire_at)


def connect():
    post_save.connect(revision_scheduled, sender=Revision, dispatch_uid="operations-scheduled")
    page_published.connect(page_published_with_expiry, dispatch_uid="operations-expiry")
