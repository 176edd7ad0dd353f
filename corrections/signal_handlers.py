from django.db.models.signals import post_delete, post_save

from corrections.demo import demo_accountability_load
from corrections.models import CommentRequest, CorrectionNote, PublishedReply
from news.signals import demo_newsroom_loaded
from pagecache import invalidation


def note_saved(sender, instance, **kwargs):
    # A note or reply marks the article updated, which listings show (and the corrections log lists notes).
    invalidation.article_discussion_changed(instance.article_id, listed=True)


def comment_request_saved(sender, instance, **kwargs):
    # «we asked … and have had no reply»: on the article's page only.
    invalidation.article_discussion_changed(instance.article_id)


def register():
    for model, handler in ((CorrectionNote, note_saved), (PublishedReply, note_saved)):
        post_save.connect(handler, sender=model, dispatch_uid=f"pagecache-saved-{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"pagecache-deleted-{model.__name__}")
    post_save.connect(comment_request_saved, sender=CommentRequest, dispatch_uid="pagecache-saved-CommentRequest")
    post_delete.connect(comment_request_saved, sender=CommentRequest, dispatch_uid="pagecache-deleted-CommentRequest")
    demo_newsroom_loaded.connect(demo_accountability_load, dispatch_uid="corrections-demo")
