"""Fault runs: readers' comments during a large WordPress import on SQLite, and pages while Redis stops.

    .venv/bin/python scripts/bench_faults.py import [--posts 10000] [--every 3]
    .venv/bin/python scripts/bench_faults.py redis [--seconds 20] [--redis-port 6390]

Each run starts from a fresh SQLite database in var/bench/faults/ and serves
it with gunicorn (deploy/gunicorn.conf.py, 2 workers) as `scripts/stack.py`
does, without nginx: what is counted is what the application answers.

import: writes a WXR export of --posts posts (scripts/bench_import.py's
generator), runs `manage.py import_wordpress` on it in its own process, and
meanwhile a reader posts a comment every --every seconds (each from the form
on the article page, each in its own thread, as readers do not wait for one
another). At the end it counts what became of each comment: saved, refused
with a 503 that gave the text back (the reader can send it again), or lost
(an error, and not in the database). The task worker runs beside it
(`run_worker`, or `db_worker` in a checkout without it); /health/ is asked
every 5 s, and the worker's restarts and the tasks left unrun are reported.

redis: a Redis of its own on --redis-port (started with `redis-server`, no
persistence), the site's cache and view buffer on it; readers' requests
(home, section, article, API, search, a read beacon, now and then a
comment) from 4 threads for --seconds with Redis up, then stopped, then
started again. Errors are counted per phase. The Redis is shut down at the end.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import bench_import  # noqa: E402 - the export generator, from beside this file
import processes  # noqa: E402

WORK = ROOT / "var" / "bench" / "faults"
DATA = Path(os.environ.get("NASHIR_DATA_DIR") or ROOT.parent / "shared" / "data")
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
MARKER = "تعليق-قياس"
MANAGE = [sys.executable, str(ROOT / "manage.py")]
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
TASKS_TABLE = "django_tasks_database_dbtaskresult"

SEED = """
from django.utils import timezone
from news.factories import ArticlePageFactory, SectionPageFactory
article = ArticlePageFactory(parent=SectionPageFactory(title="أخبار عاجلة"), title="خبر مفتوح للتعليق",
                             first_published_at=timezone.now())
print(article.pk, article.url)
"""


def environment(work: Path, port: int, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="nashir.settings.base",
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        SECRET_KEY="benchmark-only",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        MEDIA_ROOT=str(work / "media"),
        NASHIR_CACHE="disk",
        NASHIR_CACHE_DIR=str(work / "cache"),
        NASHIR_TASKS="database",
        NASHIR_BIND=f"127.0.0.1:{port}",
        NASHIR_WORKERS="2",
        NASHIR_REQUEST_LOG="0",
        NASHIR_DATA_DIR=str(DATA),
        # One reader sends them all: no rate limit, no minimum time to fill the form.
        NASHIR_RATE_PER_IP="1000000/1",
        NASHIR_RATE_PER_EMAIL="1000000/1",
        NASHIR_FORM_MIN_SECONDS="0",
        LOG_LEVEL="WARNING",
        REDIS_URL="",
    )
    env.update(extra)
    return env


def manage(env, *arguments, **kwargs):
    return subprocess.run([*MANAGE, *arguments], env=env, cwd=ROOT, **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(work: Path, env: dict, *, articles: int = 0) -> tuple[int, str]:
    """A fresh database with one article open for comments (and `articles` from the corpus); its id and path."""
    for suffix in ("", "-wal", "-shm"):
        (work / f"db.sqlite3{suffix}").unlink(missing_ok=True)
    manage(env, "migrate", "--no-input", "-v0", check=True)
    manage(env, "collectstatic", "--no-input", "-v0", check=True)
    if articles:
        manage(env, "load_articles", str(DATA / "arabic-news.jsonl"), "--limit", str(articles), "-v0", check=True)
    seeded = manage(env, "shell", "-c", SEED, check=True, capture_output=True, text=True).stdout.split()
    return int(seeded[-2]), seeded[-1]


def start(name: str, command: list[str], env: dict, work: Path) -> subprocess.Popen:
    log = (work / f"{name}.log").open("a")
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    processes.children[process.pid] = process
    return process


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM to the process (run_worker passes it on to its worker), its whole group killed if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request(port, "GET", "/robots.txt")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"Nothing answers on port {port}.")


def request(port, method, path, body=None, timeout=60):
    """(status, headers, text) of one request, no redirect followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    path = quote(path, safe="/?=&%")
    headers = {"User-Agent": USER_AGENT, "Host": "127.0.0.1"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode(errors="replace")
    finally:
        connection.close()


def worker_command() -> list[str]:
    """The supervised worker where this checkout has one, otherwise django-tasks-db's own."""
    supervised = (ROOT / "operations" / "management" / "commands" / "run_worker.py").exists()
    return [*MANAGE, "run_worker" if supervised else "db_worker"]


def post_comment(port: int, article_id: int, article_path: str, number: int) -> dict:
    """A reader reads the article, fills in the form shown there and sends it."""
    body = f"{MARKER} {number} {uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    try:
        status, _headers, page = request(port, "GET", article_path)
        stamp = re.search(r'name="rendered_at" value="([^"]+)"', page)
        if status != 200 or stamp is None:
            return {"body": body, "status": f"page {status}", "seconds": time.monotonic() - started}
        form = {
            "name": "قارئ",
            "email": f"reader{number}@example.org",
            "body": body,
            "website": "",
            "rendered_at": stamp.group(1),
        }
        status, headers, answer = request(port, "POST", f"/comments/{article_id}/", urlencode(form))
    except OSError as error:
        return {"body": body, "status": type(error).__name__, "seconds": time.monotonic() - started}
    return {
        "body": body,
        "status": status,
        "seconds": time.monotonic() - started,
        "text_kept": body in answer,
        "retry_after": headers.get("Retry-After"),
    }


def health(port: int) -> dict:
    try:
        status, _headers, text = request(port, "GET", "/health/?format=json", timeout=30)
        return {"status": status, **json.loads(text)}
    except (OSError, ValueError) as error:
        return {"status": type(error).__name__, "checks": {}}


def run_import(args) -> None:
    work = WORK / "import"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    port = free_port()
    env = environment(work, port)
    article_id, article_path = prepare(work, env)
    export = work / "wxr.xml"
    bench_import.DATA = DATA
    bench_import.write_export(export, args.posts, 5)
    server = start(
        "gunicorn", [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")], env, work
    )
    worker = start("worker", worker_command(), env, work)
    try:
        wait_for_port(port)
        started = time.monotonic()
        importer = start(
            "import", [sys.executable, str(ROOT / "manage.py"), "import_wordpress", str(export)], env, work
        )
        results, checks = [], []
        number = 0
        with ThreadPoolExecutor(max_workers=64) as pool:
            futures = []
            next_check = 0.0
            while importer.poll() is None:
                futures.append(pool.submit(post_comment, port, article_id, article_path, number))
                number += 1
                elapsed = time.monotonic() - started
                if elapsed >= next_check:
                    checks.append((round(elapsed), health(port)))
                    next_check = elapsed + 5
                time.sleep(args.every)
            results = [future.result() for future in futures]
        import_seconds = time.monotonic() - started
        # The tasks the comments queued (editors' emails): given a minute to run after the import.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _tasks_waiting(work) > 0:
            time.sleep(1)
        final_health = health(port)
        worker_alive = worker.poll() is None
    finally:
        stop(worker)
        stop(server)
    _report_import(work, args, results, checks, final_health, worker_alive, import_seconds, importer.returncode)


def _tasks_waiting(work: Path) -> int:
    with sqlite3.connect(work / "db.sqlite3", timeout=30) as db:
        return db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'").fetchone()[
            0
        ]


def _report_import(work, args, results, checks, final_health, worker_alive, import_seconds, import_code) -> None:
    with sqlite3.connect(work / "db.sqlite3", timeout=30) as db:
        saved = {row[0] for row in db.execute("SELECT body FROM comments_comment WHERE body LIKE ?", (f"{MARKER}%",))}
        statuses = Counter(dict(db.execute(f"SELECT status, count(*) FROM {TASKS_TABLE} GROUP BY 1")))  # noqa: S608
        articles = db.execute("SELECT count(*) FROM news_articlepage").fetchone()[0]
    outcomes = Counter()
    for result in results:
        if result["body"] in saved:
            outcomes["saved" if result["status"] == 302 else f"saved, but answered {result['status']}"] += 1
        elif result["status"] == 503 and result.get("text_kept"):
            outcomes["503, text given back to resend"] += 1
        else:
            outcomes[f"lost (answered {result['status']})"] += 1
    waits = sorted(result["seconds"] for result in results)
    tasks = [check.get("checks", {}).get("tasks", {}) for _, check in checks]
    # The heartbeat's message names the worker (عامل المهام); the backlog's counts the waiting tasks.
    worker_down = sum(1 for task in tasks if not task.get("ok", True) and "عامل المهام" in task.get("detail", ""))
    backlog = sum(1 for task in tasks if not task.get("ok", True) and "مهمة تنتظر" in task.get("detail", ""))
    restarts = len(re.findall(r"restart", (work / "worker.log").read_text(errors="replace"), re.IGNORECASE))
    print(f"import of {args.posts:,} posts: {import_seconds:.0f} s, exit code {import_code}, {articles:,} articles")
    print(f"comments posted: {len(results)}, one every {args.every} s")
    for outcome, count in sorted(outcomes.items()):
        print(f"  {outcome}: {count}")
    lost = sum(count for outcome, count in outcomes.items() if outcome.startswith("lost"))
    print(f"  LOST: {lost}")
    if waits:
        print(f"answer time: median {waits[len(waits) // 2]:.2f} s, max {waits[-1]:.2f} s")
    print(f"/health/ asked {len(checks)} times: worker reported down {worker_down}, task backlog reported {backlog}")
    print(f"worker: {'running' if worker_alive else 'DEAD'} at the end; restarts in its log: {restarts}")
    print(f"tasks: {dict(statuses)}; final /health/ {final_health.get('status')}: ")
    for name, check in final_health.get("checks", {}).items():
        print(f"  {name}: {check}")


def run_redis(args) -> None:
    work = WORK / "redis"
    port = free_port()
    redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    processes.require_free(args.redis_port, SystemExit)
    env = environment(work, port, NASHIR_CACHE="redis", REDIS_URL=redis_url)
    redis_server = [
        shutil.which("redis-server") or "redis-server",
        "--port",
        str(args.redis_port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    redis = start("redis", redis_server, env, work)
    article_id, article_path = prepare(work, env, articles=200)
    server = start(
        "gunicorn", [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")], env, work
    )
    phase = {"name": "up"}
    counts = {name: Counter() for name in ("up", "down", "up again")}
    health_seen = {name: Counter() for name in counts}
    stop_flag = threading.Event()
    paths = [
        ("GET", "/"),
        ("GET", article_path),
        ("GET", article_path.rsplit("/", 2)[0] + "/"),
        ("GET", "/api/v1/articles"),
        ("GET", f"/api/v1/articles/{article_id}"),
        ("GET", "/search/?q=" + "سوريا"),
        ("POST", f"/views/{article_id}/"),
    ]

    def reader(index):
        number = 0
        while not stop_flag.is_set():
            current = phase["name"]
            if number % 10 == 9:
                result = post_comment(port, article_id, article_path, index * 100_000 + number)
                status = result["status"]
            else:
                method, path = paths[number % len(paths)]
                try:
                    status = request(port, method, path, body="" if method == "POST" else None)[0]
                except OSError as error:
                    status = type(error).__name__
            counts[current][status] += 1
            number += 1

    try:
        wait_for_port(port)
        threads = [threading.Thread(target=reader, args=(index,)) for index in range(4)]
        for thread in threads:
            thread.start()
        for name in ("up", "down", "up again"):
            if name == "down":
                stop(redis)
            elif name == "up again":
                redis = start("redis", redis_server, env, work)
            phase["name"] = name
            ends = time.monotonic() + args.seconds
            while time.monotonic() < ends:
                check = health(port).get("checks", {}).get("cache", {})
                health_seen[name]["cache ok" if check.get("ok") else "cache down"] += 1
                time.sleep(2)
        stop_flag.set()
        for thread in threads:
            thread.join()
    finally:
        stop_flag.set()
        stop(server)
        stop(redis)
    print(f"Redis on port {args.redis_port}: {args.seconds} s up, {args.seconds} s stopped, {args.seconds} s up again")
    for name, statuses in counts.items():
        total = sum(statuses.values())
        errors = sum(count for status, count in statuses.items() if not isinstance(status, int) or status >= 500)
        print(f"  {name}: {total} requests, {errors} errors; {dict(sorted(statuses.items(), key=str))}")
        print(f"    /health/: {dict(health_seen[name])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="run", required=True)
    imports = commands.add_parser("import", help="comments during a WordPress import")
    imports.add_argument("--posts", type=int, default=10_000)
    imports.add_argument("--every", type=float, default=3.0, help="seconds between two comments")
    redis = commands.add_parser("redis", help="pages while Redis stops and starts again")
    redis.add_argument("--seconds", type=int, default=20, help="length of each phase")
    redis.add_argument("--redis-port", type=int, default=6390)
    args = parser.parse_args()
    {"import": run_import, "redis": run_redis}[args.run](args)


if __name__ == "__main__":
    main()
