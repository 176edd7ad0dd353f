"""The task worker is kept running (`manage.py run_worker`), and /health/ sees within a minute when it is not."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from operations.models import WorkerHeartbeat
from operations.worker import WorkerSupervisor

ROOT = Path(__file__).resolve().parents[2]
HEALTH = "/health/"


@pytest.fixture(autouse=True)
def _monitor(client, settings):
    """These tests read /health/'s details, as a monitor holding its token does."""
    settings.NASHIR_HEALTH_TOKEN = "health-token-for-tests"
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer health-token-for-tests"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def tasks_check(client):
    response = client.get(HEALTH, {"format": "json"})
    return response.status_code, response.json()["checks"]["tasks"]


@pytest.mark.django_db
def test_health_says_tasks_are_down_a_minute_after_the_last_heartbeat(client, database_tasks):
    status, check = tasks_check(client)
    assert status == 503 and check["ok"] is False
    assert "run_worker" in check["detail"]

    now = timezone.now()
    beat = WorkerHeartbeat.objects.create(name="web1:4242", started_at=now, beat_at=now - timedelta(seconds=20))
    assert tasks_check(client) == (200, {"ok": True, "detail": "لا مهام متأخرة", "ms": pytest.approx(0, abs=1000)})

    beat.beat_at = now - timedelta(seconds=61)
    beat.save()
    status, check = tasks_check(client)
    assert status == 503
    assert check["detail"].startswith("عامل المهام متوقف: آخر إشارة منه قبل 6")


def test_the_supervisor_starts_a_worker_that_dies_again_waiting_longer_each_time():
    beats, chores = [], []
    supervisor = WorkerSupervisor(
        [sys.executable, "-c", "import time; time.sleep(0.2); raise SystemExit(3)"],
        name="test",
        beat=lambda **kwargs: beats.append(kwargs["restarts"]),
        end=lambda **kwargs: beats.append("end"),
        chores=lambda: chores.append(len(beats)),
        heartbeat_seconds=5,
        first_backoff=0.1,
        stable_seconds=10,
    )
    pauses = []
    wait = supervisor.stopping.wait

    def recorded_wait(seconds):
        if seconds != 5:  # not the heartbeat's own pace
            pauses.append(seconds)
        return wait(seconds)

    supervisor.stopping.wait = recorded_wait
    runner = threading.Thread(target=supervisor.run)
    runner.start()
    deadline = time.monotonic() + 30
    while supervisor.restarts < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    supervisor.stop()
    runner.join(10)
    assert not runner.is_alive()
    assert pauses[:3] == [0.1, 0.2, 0.4]
    # A beat each time it starts, with how many restarts so far; none left behind once stopped.
    assert beats[:4] == [0, 1, 2, 3]
    assert beats[-1] == "end"
    # The daily tasks are looked at after each beat.
    assert chores[:4] == [1, 2, 3, 4]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _heartbeat(path) -> tuple | None:
    with sqlite3.connect(path, timeout=20) as database:
        return database.execute("SELECT name, beat_at, restarts FROM operations_workerheartbeat").fetchone()


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


@pytest.mark.slow  # a worker process killed and started again
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the worker's process in /proc")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_run_worker_brings_back_a_killed_worker_which_then_runs_the_queue(
    file_database, client, database_tasks, settings
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nashir.settings.base",
        "DATABASE_URL": f"sqlite:///{file_database}",
        "SECRET_KEY": "test-only",
        "DEBUG": "0",
        "NASHIR_TASKS": "database",
        "NASHIR_CACHE": "memory",
        "REDIS_URL": "",
    }
    supervisor = subprocess.Popen(  # noqa: S603 - this interpreter and this project's manage.py
        [sys.executable, str(ROOT / "manage.py"), "run_worker", "--no-startup-delay", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = _wait_for(lambda: _children(supervisor.pid))[0]
        _wait_for(lambda: _heartbeat(file_database))
        assert client.get(HEALTH, {"format": "json"}).json()["checks"]["tasks"]["ok"] is True

        os.kill(first, signal.SIGKILL)  # as the OOM killer or an unexpected error would end it
        second = _wait_for(lambda: [pid for pid in _children(supervisor.pid) if pid != first])[0]
        _wait_for(lambda: (_heartbeat(file_database) or (None, None, 0))[2] == 1)

        from django_tasks_db.models import DBTaskResult

        from operations.tasks import publish_due

        result = publish_due.enqueue()
        _wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL")
        assert client.get(HEALTH, {"format": "json"}).json()["checks"]["tasks"]["ok"] is True

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(30) == 0
        _wait_for(lambda: not Path(f"/proc/{second}").exists() or "Z" in Path(f"/proc/{second}/stat").read_text())
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
    assert "restart 1" in supervisor.stdout.read()
    # Stopped cleanly: no heartbeat left to pass for a running worker.
    assert _heartbeat(file_database) is None
    status, check = tasks_check(client)
    assert status == 503 and "run_worker" in check["detail"]
