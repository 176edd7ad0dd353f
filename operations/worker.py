"""The task worker, kept running: `manage.py run_worker` starts db_worker again whenever it stops, with a heartbeat.

django-tasks-db's `db_worker` stops for good on an error it does not expect
(a database that stayed locked past its busy timeout, say), and queued work
then waits with nothing to tell. The supervisor here starts it again, waiting
a little longer after each quick failure (1, 2, 4… up to 60 s; back to 1 s
once it has run a minute), and while it runs writes a heartbeat row every
few seconds. /health/ reports the tasks as down when the newest heartbeat is
older than a minute: a dead worker, or a dead supervisor, is seen within
that minute, not after the task backlog has grown old. After each heartbeat
it queues the daily tasks that are due (operations.scheduling).
"""

import logging
import os
import signal
import socket
import subprocess
import threading
import time
from datetime import timedelta

from django.db import connections
from django.utils import timezone

from operations.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15
# Older than this, the newest heartbeat means no worker runs.
HEARTBEAT_STALE_SECONDS = 60


def heartbeat_beat(*, name: str, started_at, restarts: int) -> None:
    WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"started_at": started_at, "beat_at": timezone.now(), "restarts": restarts}
    )


def heartbeat_end(*, name: str) -> None:
    WorkerHeartbeat.objects.filter(name=name).delete()


def heartbeat_latest() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-beat_at").first()


def heartbeats_prune(*, older_than: timedelta = timedelta(days=1)) -> None:
    """Rows of supervisors that were killed without cleaning up, long enough ago not to matter."""
    WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - older_than).delete()


class WorkerSupervisor:
    """Runs `command` (db_worker) until told to stop, starting it again each time it exits.

    SIGTERM is passed on to the worker, which finishes the task it is running
    and exits; the supervisor then exits too. Send it to the supervisor alone
    (systemd's KillMode=mixed, `kill PID`), not to its process group: a second
    signal makes db_worker abandon its task. For the same reason SIGINT
    (Ctrl-C in a terminal, which reaches the worker too) is not passed on.
    """

    def __init__(
        self,
        command: list[str],
        *,
        name: str | None = None,
        beat=heartbeat_beat,
        end=heartbeat_end,
        chores=None,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        first_backoff: float = 1.0,
        max_backoff: float = 60.0,
        stable_seconds: float = 60.0,
    ):
        self.command = command
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.beat, self.end = beat, end
        # Called after each heartbeat (run_worker: queue the daily tasks that are due).
        self.chores = chores
        self.heartbeat_seconds = heartbeat_seconds
        self.first_backoff, self.max_backoff, self.stable_seconds = first_backoff, max_backoff, stable_seconds
        self.started_at = timezone.now()
        self.restarts = 0
        self.child: subprocess.Popen | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        heart = threading.Thread(target=self._beat_forever, name="worker-heartbeat", daemon=True)
        heart.start()
        backoff = self.first_backoff
        try:
            while not self.stopping.is_set():
                launched = time.monotonic()
                self.child = subprocess.Popen(self.command)  # noqa: S603 - this project's manage.py
                if self.stopping.is_set():  # told to stop while it was being started
                    self.child.send_signal(signal.SIGTERM)
                self._beat()
                code = self.child.wait()
                if self.stopping.is_set():
                    break
                ran = time.monotonic() - launched
                if ran >= self.stable_seconds:
                    backoff = self.first_backoff
                self.restarts += 1
                logger.error(
                    "The task worker stopped (exit code %s) after %.0f s; restart %d in %.0f s.",
                    code,
                    ran,
                    self.restarts,
                    backoff,
                )
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff)
        finally:
            self.stopping.set()
            heart.join(timeout=self.heartbeat_seconds + 5)
            self._call(self.end, name=self.name)

    def stop(self, signum: int = signal.SIGTERM) -> None:
        """Stop restarting; pass SIGTERM on to the worker (see the class's docstring for SIGINT)."""
        self.stopping.set()
        child = self.child
        if signum != signal.SIGINT and child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    def _beat_forever(self) -> None:
        while not self.stopping.wait(self.heartbeat_seconds):
            self._beat()

    def _beat(self) -> None:
        child = self.child
        if child is not None and child.poll() is None:
            self._call(self.beat, name=self.name, started_at=self.started_at, restarts=self.restarts)
            if self.chores is not None:
                self._call(self.chores, failure="The daily tasks could not be queued.")

    def _call(self, function, *, failure="The task worker's heartbeat could not be written.", **kwargs) -> None:
        """A database write from this thread, in a connection of its own, closed afterwards."""
        try:
            function(**kwargs)
        except Exception:  # a missed beat is retried with the next; it must not stop the supervisor
            logger.exception(failure)
        finally:
            connections.close_all()
