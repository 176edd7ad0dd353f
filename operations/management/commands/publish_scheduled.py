"""Wagtail's `publish_scheduled`, run by one server at a time.

Every application server runs the same task worker and timer. Two runs at
once would both read the same due revisions and publish each twice (two log
entries, two sets of signals, two purges); the run that waits for the lock
finds nothing left to do. Each publication commits on its own, as Wagtail's
command does. The task queue and the systemd timer both call this
command by its name, which this app takes over from Wagtail's.
"""

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from operations.scheduling import publishing_lock


class Command(WagtailCommand):
    def handle(self, *args, **options):
        with publishing_lock():
            super().handle(*args, **options)
