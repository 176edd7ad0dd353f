"""Background tasks for running the site, queued by operations.scheduling."""

from django.core.management import call_command
from django_tasks import task


@task()
def publish_due() -> None:
    """Publish every revision whose time has come and unpublish expired pages.

    Wagtail's own `publish_scheduled` does the work (revisions, pages,
    signals, logs); it is queued for the exact time of each scheduled story,
    and it takes everything that is due, so a late run catches up.
    """
    call_command("publish_scheduled", verbosity=0)
