"""20,000 concurrent view beacons against a running server, then a check that none was lost.

Starts gunicorn (2 sync workers) on 127.0.0.1 with a fresh SQLite
database and Redis as the view buffer, sends the beacons from several client
processes (each a distinct reader, named by X-Forwarded-For), runs
`manage.py flush_views`, and compares the stored count with what was sent.

    make bench-views
    .venv/bin/python scripts/bench_views.py --beacons 20000 --clients 4
"""

import argparse
import http.client
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def environment(database: Path, redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="nashir.settings.base",
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="benchmark-only",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=redis_url,
        NASHIR_TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR",
        NASHIR_VIEWS_FLUSH_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    return env


def send(args):
    client_index, count, article_id = args
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    failures = 0
    for number in range(count):
        reader = client_index * count + number
        headers = {
            "User-Agent": USER_AGENT,
            "X-Forwarded-For": f"100.{reader >> 16 & 255}.{reader >> 8 & 255}.{reader & 255}",
            "Content-Length": "0",
        }
        connection.request("POST", f"/views/{article_id}/", headers=headers)
        response = connection.getresponse()
        response.read()
        failures += response.status != 204
    connection.close()
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beacons", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    database = ROOT / "var" / "bench" / "views.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    env = environment(database, args.redis)
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    setup = (
        "from news.factories import ArticlePageFactory, SectionPageFactory;"
        f"import redis; redis.Redis.from_url({args.redis!r}).flushdb();"
        "print(ArticlePageFactory(parent=SectionPageFactory()).pk)"
    )
    article_id = int(
        subprocess.run(
            [*manage, "shell", "-c", setup], env=env, check=True, capture_output=True, text=True
        ).stdout.split()[-1]
    )

    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "nashir.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            "2",
            "-k",
            "gthread",
            "--threads",
            "4",
        ],
        env=env,
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("HEAD", "/")
                break
            except OSError:
                time.sleep(0.1)
        per_client = args.beacons // args.clients
        started = time.perf_counter()
        with multiprocessing.Pool(args.clients) as pool:
            failures = sum(pool.map(send, [(i, per_client, article_id) for i in range(args.clients)]))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()

    sent = per_client * args.clients
    flush_started = time.perf_counter()
    subprocess.run([*manage, "flush_views"], env=env, check=True)
    flush_elapsed = time.perf_counter() - flush_started
    check = (
        "from news.models import ArticlePage; from readership.models import HourlyViews;"
        "from django.db.models import Sum;"
        f"print(ArticlePage.objects.get(pk={article_id}).view_count, "
        f"HourlyViews.objects.filter(article_id={article_id}).aggregate(s=Sum('views'))['s'])"
    )
    stored, hourly = map(
        int,
        subprocess.run(
            [*manage, "shell", "-c", check], env=env, check=True, capture_output=True, text=True
        ).stdout.split()[-2:],
    )
    print(
        f"sent {sent} beacons from {args.clients} processes in {elapsed:.2f} s: "
        f"{sent / elapsed:,.0f} beacons/s, {failures} failed"
    )
    print(f"flush_views: {flush_elapsed:.2f} s (including Django start-up)")
    print(
        f"stored view_count {stored}, hourly buckets {hourly}: "
        + ("OK, none lost" if stored == hourly == sent else "MISMATCH")
    )
    sys.exit(0 if stored == hourly == sent and not failures else 1)


if __name__ == "__main__":
    main()
