from django.db.models.signals import post_delete, post_save

from comments.demo import demo_comments_load
from comments.models import Comment, CommentSettings, Linkback
from news.signals import demo_newsroom_loaded
from pagecache import invalidation


def discussion_changed(sender, instance, **kwargs):
    # A comment or a linkback shows on its article's page only.
    invalidation.article_discussion_changed(instance.article_id)


def register():
    for model in (Comment, Linkback):
        post_save.connect(discussion_changed, sender=model, dispatch_uid=f"pagecache-saved-{model.__name__}")
        post_delete.connect(discussion_changed, sender=model, dispatch_uid=f"pagecache-deleted-{model.__name__}")
    # Whether comments are open, and the form, show on every article page.
    invalidation.connect_shown_everywhere(CommentSettings, uid="CommentSettings")
    demo_newsroom_loaded.connect(demo_comments_load, dispatch_uid="comments-demo")
