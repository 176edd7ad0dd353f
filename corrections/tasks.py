"""Background work of the corrections app, run by the task worker (see settings.TASKS)."""

from django_tasks import task

from corrections.models import ReaderSubmission


@task()
def reader_notify_outcome(submission_id: int) -> None:
    """Email the reader the outcome of a correction or reply request (once; see the service)."""
    from corrections.services import submission_notify_outcome

    submission = ReaderSubmission.objects.select_related("article").filter(pk=submission_id).first()
    if submission is not None:
        submission_notify_outcome(submission=submission)
