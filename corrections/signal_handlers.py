from django.db.models.signals import post_delete, post_save

from corrections.models import CommentRequest, CorrectionNote, PublishedReply


def forget_article_record(sender, instance, **kwargs):
    from corrections.services import forget_accountability

    forget_accountability(instance.article_id)


def register():
    for model in (CorrectionNote, PublishedReply, CommentRequest):
        post_save.connect(forget_article_record, sender=model, dispatch_uid=f"corrections-forget-{model.__name__}")
        post_delete.connect(
            forget_article_record, sender=model, dispatch_uid=f"corrections-forget-del-{model.__name__}"
        )
