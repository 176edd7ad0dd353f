"""The demo newsroom's comments (news/demo/reader_activity.json), loaded when its stories are published."""

from datetime import timedelta

from django.db import transaction

from comments.models import Comment
from news.demo_newsroom import DEMO_USER_AGENT, demo_external_id

# Demo commenters write from documentation addresses (RFC 5737).
COMMENT_ADDRESS = "192.0.2.{}"


def demo_comments_load(sender, *, report, activity, now, **kwargs) -> None:
    with transaction.atomic():
        _comments(activity["comments"], report, now)


def _comments(comments, report, now) -> None:
    saved = {}
    for number, item in enumerate(comments, start=1):
        article = report.articles[item["story"]]
        posted = min(now, article.first_published_at + timedelta(hours=item["hours_after"]))
        comment, created = Comment.objects.get_or_create(
            external_id=demo_external_id(f"comment:{item['key']}"),
            defaults={
                "article": article,
                "parent": saved.get(item.get("parent")),
                "name": item["name"],
                "email": item["email"],
                "body": item["body"],
                "status": item["status"],  # kept on later loads: an editor may have moderated it
                "ip_address": COMMENT_ADDRESS.format(number),
                "user_agent": DEMO_USER_AGENT,
            },
        )
        Comment.objects.filter(pk=comment.pk).update(created_at=posted)
        saved[item["key"]] = comment
        report.comments_added += created
