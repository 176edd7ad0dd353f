"""Background work of the readers app, run by the task worker (see settings.TASKS)."""

from django_tasks import task

from readers.services import reader_data_expire


@task()
def reader_data_expire_due() -> dict[str, int]:
    """Erase readers' IP addresses and browsers past NASHIR_READER_DATA_DAYS (queued daily, readers.wagtail_hooks)."""
    return reader_data_expire()
