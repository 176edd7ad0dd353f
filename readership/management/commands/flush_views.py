from django.core.management.base import BaseCommand

from readership.services import views_flush


class Command(BaseCommand):
    help = (
        "Write buffered article reads to the database. Run it every minute (systemd timer or cron) "
        "when REDIS_URL is set; without Redis each server process flushes its own reads."
    )

    def handle(self, *args, verbosity, **options):
        flushed = views_flush()
        if verbosity:
            self.stdout.write(f"Flushed {flushed} reads.")
