from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("تعليقات القراء")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from comments.models import Linkback
        from pagecache.signal_handlers import comment_saved

        # A linkback shows on its article's page only, as a comment does.
        post_save.connect(comment_saved, sender=Linkback, dispatch_uid="pagecache-saved-Linkback")
        post_delete.connect(comment_saved, sender=Linkback, dispatch_uid="pagecache-deleted-Linkback")
