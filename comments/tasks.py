"""Background work of the comments app, run by the task worker (see settings.TASKS)."""

from django_tasks import task

from comments.models import Comment


@task()
def editors_notify(comment_id: int) -> None:
    """Email the editors about a comment waiting for them, outside the reader's request."""
    from comments.services import comment_notify_editors

    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is not None:  # deleted as spam before the worker got to it
        comment_notify_editors(comment=comment)
