import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from operations.scheduling import daily_tasks_enqueue
from operations.worker import WorkerSupervisor, heartbeats_prune


class Command(BaseCommand):
    help = (
        "Run the task worker (django-tasks-db's db_worker) and start it again whenever it stops, "
        "writing the heartbeat /health/ reads and queueing the daily tasks. Stop it with SIGTERM (or Ctrl-C)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", help="Passed on to db_worker (default: its own).")
        parser.add_argument("--interval", help="Passed on to db_worker: seconds between two looks at the queue.")
        parser.add_argument(
            "--no-startup-delay", action="store_true", help="Passed on to db_worker: no random pause at start."
        )

    def handle(self, *, queue_name, interval, no_startup_delay, verbosity, **options):
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--verbosity", str(verbosity)]
        if queue_name:
            command += ["--queue-name", queue_name]
        if interval:
            command += ["--interval", interval]
        if no_startup_delay:
            command.append("--no-startup-delay")
        heartbeats_prune()
        supervisor = WorkerSupervisor(command, chores=daily_tasks_enqueue)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda received, frame: supervisor.stop(received))
        if verbosity:
            self.stdout.write(f"Supervising db_worker as {supervisor.name}.")
        supervisor.run()
