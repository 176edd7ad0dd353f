from django.conf import settings
from django.core.management.base import BaseCommand

from readers.services import reader_data_expire


class Command(BaseCommand):
    help = (
        "Erase the IP addresses and browsers of reader submissions older than NASHIR_READER_DATA_DAYS "
        "(what they wrote stays). The task worker does this once a day; this does it now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be erased, erase nothing.")

    def handle(self, *, dry_run, verbosity, **options):
        counts = reader_data_expire(dry_run=dry_run)
        if verbosity:
            verb = "would be erased" if dry_run else "erased"
            days = settings.NASHIR_READER_DATA_DAYS
            for name, count in counts.items():
                self.stdout.write(f"{name}: {count} record(s) older than {days} days {verb}.")
            if not dry_run:
                self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} record(s) in all."))
