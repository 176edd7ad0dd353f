"""What the comments app keeps about a reader, for the readers app's retention, export and erasure."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, CommentStatus
from pagecache.invalidation import article_discussion_changed
from readers.services import ANONYMOUS_NAME, ErasureCount


class CommentReaderData:
    name = "comments"
    label = _("التعليقات")
    permission = "comments.view_reader_contact"
    erasure_rule = _(
        "التعليقات المنشورة تبقى نصوصها، ويصير اسم كاتبها «قارئ»، ويُحذف بريده وعنوان IP ومتصفحه. "
        "والتي لم تُنشر (بانتظار المراجعة أو المزعجة) تُحذف، إلا ما رُدّ عليه فتُخفى هويته."
    )

    def export(self, email: str) -> list[dict]:
        comments = Comment.objects.filter(email__iexact=email).select_related("article").order_by("created_at")
        return [
            {
                "id": comment.pk,
                "article": comment.article.title,
                "article_url": comment.article.get_full_url(),
                "in_reply_to": comment.parent_id,
                "name": comment.name,
                "email": comment.email,
                "body": comment.body,
                "status": comment.status,
                "created_at": comment.created_at.isoformat(),
                "ip_address": comment.ip_address,
                "user_agent": comment.user_agent,
            }
            for comment in comments
        ]

    @transaction.atomic
    def erase(self, email: str) -> ErasureCount:
        """Published comments lose who wrote them and keep their text; the others are deleted.

        A published comment is part of a discussion others have read and
        answered, so its text stays under «قارئ». One never published (pending
        or spam) is deleted, unless it has replies, which would go with it.
        """
        comments = Comment.objects.filter(email__iexact=email)
        shown_on = set(comments.filter(status=CommentStatus.APPROVED).values_list("article_id", flat=True))
        unpublished = comments.exclude(status=CommentStatus.APPROVED).filter(replies__isnull=True)
        deleted = Comment.objects.filter(pk__in=list(unpublished.values_list("pk", flat=True))).delete()[1]
        anonymised = comments.update(name=ANONYMOUS_NAME, email="", ip_address=None, user_agent="")
        # update() sends no post_save: the articles whose public comments changed are named here.
        for article_id in shown_on:
            article_discussion_changed(article_id)
        return ErasureCount(anonymised=anonymised, deleted=deleted.get("comments.Comment", 0))

    def expire(self, before: datetime, dry_run: bool = False) -> int:
        old = Comment.objects.filter(created_at__lt=before).exclude(ip_address=None, user_agent="")
        if dry_run:
            return old.count()
        return old.update(ip_address=None, user_agent="")
