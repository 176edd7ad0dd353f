"""`make demo` on what a clone from a code host gets: the tracked files, nothing beside them.

The test copies the repository's tracked files to an empty directory (no
../shared with the news corpus), runs the Makefile's own `demo-data` target
(what `make demo` does before it serves) and then its `serve` target, and
reads the demo through HTTP as a visitor would. It uses this interpreter's
virtualenv (`VENV=`), and `make -o` keeps make from reinstalling into it.
It needs no test database.
"""

import html
import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)

pytestmark = [
    pytest.mark.skipif(
        not (shutil.which("make") and shutil.which("git") and (VENV / "bin" / "python").exists()),
        reason="needs make, git and a virtualenv",
    ),
    pytest.mark.database_agnostic,  # the demo runs on its own SQLite file, whatever DATABASE_URL says
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _clone(destination: Path) -> None:
    """The tracked files as they are in the working tree: a new file not added to git is not copied."""
    git = ["git", "-C", str(ROOT), "ls-files", "-z"]
    listed = subprocess.run(git, capture_output=True, check=True).stdout  # noqa: S603 - git on this checkout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # tracked but deleted in the working tree: gone from the next commit too
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def _make(clone: Path, *targets: str, **variables) -> list[str]:
    """The make command line for `targets`, with this virtualenv and without reinstalling it."""
    settings = {"VENV": str(VENV), "PYTHON": sys.executable, **variables}
    return ["make", "--no-print-directory", "-o", str(VENV / ".installed"), *targets] + [
        f"{name}={value}" for name, value in settings.items()
    ]


def test_make_demo_serves_the_demo_newsroom_from_a_bare_clone(tmp_path):
    clone = tmp_path / "nashir"  # and nothing else in tmp_path: no ../shared
    _clone(clone)
    # Nothing from the developer's environment (database, cache, data folder, settings module).
    environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    started = time.monotonic()

    loaded = subprocess.run(  # noqa: S603 - this project's Makefile
        _make(clone, "demo-data"), cwd=clone, env=environment, capture_output=True, text=True, timeout=240
    )
    assert loaded.returncode == 0, loaded.stdout[-3000:] + loaded.stderr[-3000:]
    output = loaded.stdout
    assert "No corpus at" in output and "the demo has its own stories only" in output
    assert re.search(r"Demo editor: editor / \S+", output) and re.search(r"Demo reporter: reporter / \S+", output)
    lead_path = re.search(r"Lead story: (\S+)", output).group(1)
    assert (clone / ".env").is_file() and (clone / "db.sqlite3").is_file()
    # The scheduled story waits in the task queue for the worker that `make serve` runs.
    with sqlite3.connect(clone / "db.sqlite3") as database:
        queued = database.execute(
            "SELECT run_after FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'operations.tasks.publish_due' AND status = 'READY'"
        ).fetchall()
    assert len(queued) == 1
    loaded_in = time.monotonic() - started

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - this project's Makefile
        _make(clone, "serve", HOST="127.0.0.1", PORT=port),
        cwd=clone,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: make, the task worker and the server stop together
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(port, "/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()[-3000:]
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.3)
        answered = time.monotonic() - started

        assert status == 200
        home = BeautifulSoup(body, "lxml")
        assert home.html["lang"] == "ar" and home.html["dir"] == "rtl"
        lead = home.select_one(".lead .card__title a")
        assert unquote(lead["href"]) == lead_path
        assert len(home.select(".most-read__day li")) == len(home.select(".most-read__week li")) == 5
        card_image = home.select_one(".lead img")["src"]
        status, picture = _get(port, card_image)
        assert status == 200 and picture[:3] == b"\xff\xd8\xff"  # a JPEG drawn by the loader

        status, body = _get(port, lead["href"])
        assert status == 200
        article = BeautifulSoup(body, "lxml")
        assert article.h1.get_text(strip=True) == lead.get_text(strip=True)
        figure = article.select_one(".article__figure")
        assert figure.img["alt"] and "رسم توضيحي: ناشر" in figure.figcaption.get_text()
        assert article.select_one(".correction-notes") and article.select(".comment-list .comment__body")

        status, body = _get(port, "/sitemap-news.xml")
        assert status == 200 and html.unescape(body.decode()).count("<news:title>") >= 8
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    print(f"make demo-data took {loaded_in:.1f} s; the demo answered {answered:.1f} s after the start")
