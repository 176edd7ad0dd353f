"""A live coverage in a spike: readers polling its updates, their view beacons, an editor posting.

    make bench-live
    .venv/bin/python scripts/bench_live.py --readers 10000 --interval 15 --duration 60

Builds an SQLite database (a section, a live coverage with one entry, an
article), starts the production stack (scripts/stack.py: nginx with the
shipped configuration, gunicorn, the task worker; Redis for the view buffer
and the counters when --redis answers), and meanwhile:

- readers poll `/live/<id>/updates/?after=<entry>` through nginx. wrk cannot
  keep 10,000 idle readers cheaply, nor is wrk2 packaged in Debian, so the
  readers are modelled as a rate: N readers polling every I seconds offer
  N/I requests a second, sent by --connections wrk connections, each waiting
  connections/rate seconds (wrk's `delay()`) between requests. A connection
  stands for many readers; it moves its `after` to the newest entry it was
  shown, as live.js does. What wrk reports is what was served at that offer;
  a slower server serves less than offered, the table shows both;
- readers' view beacons (`POST /views/<article>/`) go through nginx as fast
  as --beacon-clients wrk connections allow, for the whole run, each from a
  new reader: its address in X-Forwarded-For, which nginx is told to trust
  (`stack.py --real-ip-from 127.0.0.1`, as behind a CDN), so that nginx's
  per-address limit on beacons sees readers, not the load generator
  (`bench_views.wrk_beacons`);
- an editor process posts an entry every --post-every seconds (the ORM, with
  the stack's environment, so the same caches are invalidated), and this
  process polls the endpoint through nginx until the entry is in it:
  post → visible, median and worst.

Requests that reached gunicorn are counted from the request log
(`nashir.requests`, one line a request, in the stack's gunicorn log). At the
end the beacons are flushed and compared with the stored count.
Everything runs on this machine at once (wrk and the clients included).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
from bench_views import wrk, wrk_beacons  # noqa: E402 - a sibling script, importable once scripts/ is on the path

BENCH = ROOT / "var" / "bench"
HTTP_PORT, APP_PORT = 8091, 8791
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"

POLL_SCRIPT = """
local delay_ms = {delay_ms}
local after = "{after}"
request = function()
  return wrk.format("GET", "/live/{coverage}/updates/?after=" .. after, {{["User-Agent"] = "{user_agent}"}})
end
response = function(status, headers, body)
  local latest = body and body:match('"latest": *(%d+)')
  if status == 200 and latest then after = latest end
end
delay = function()
  return delay_ms
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--interval", type=float, default=15, help="Seconds between a reader's polls.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds of polling.")
    parser.add_argument("--post-every", type=float, default=10, help="Seconds between the editor's entries.")
    parser.add_argument("--connections", type=int, default=100, help="wrk connections standing for the readers.")
    parser.add_argument("--beacon-clients", type=int, default=32, help="Beacons in flight at once.")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="Empty: no Redis.")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--editor", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--check", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return setup()
    if args.editor:
        return post_entries(args.editor, args.post_every)
    if args.check:
        return check_views(args.check)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")
    run(args)


def run(args):
    import stack

    stack_dir = BENCH / "live-stack"
    database = BENCH / "live.sqlite3"
    BENCH.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    shutil.rmtree(stack_dir, ignore_errors=True)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{database}",
        NASHIR_REQUEST_LOG="1",
        LOG_LEVEL="INFO",
        NASHIR_VIEWS_FLUSH_SECONDS="0",  # flushed once at the end, to compare
    )
    if args.redis and redis_answers(args.redis):
        os.environ["REDIS_URL"] = args.redis
    else:
        print("no Redis: each gunicorn worker buffers its own reads")
    stack_dir.mkdir(parents=True)
    env = stack.stack_environment(stack_dir=stack_dir, http_port=HTTP_PORT, app_port=APP_PORT)
    ids = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--setup"], env=env, check=True, capture_output=True, text=True
        ).stdout.splitlines()[-1]
    )
    stack.start(stack_dir=stack_dir, http_port=HTTP_PORT, app_port=APP_PORT, timeout=60, real_ip_from="127.0.0.1")
    front = f"http://127.0.0.1:{HTTP_PORT}"
    gunicorn_log = stack_dir / "logs" / "gunicorn.log"
    try:
        updates = f"/live/{ids['coverage']}/updates/"
        fetch(f"{front}{updates}?after={ids['entry']}")  # a worker's first request loads its URLs
        log_start = gunicorn_log.stat().st_size
        rate = args.readers / args.interval
        polls = {}
        poller = threading.Thread(target=lambda: polls.update(wrk_poll(front, ids, rate, args)), daemon=True)
        poller.start()
        beacons = {}
        beaconer = threading.Thread(
            target=lambda: beacons.update(
                wrk_beacons(front, ids["article"], seconds=args.duration, connections=args.beacon_clients)
            ),
            daemon=True,
        )
        beaconer.start()
        delays = editor_delays(front, updates, ids, env, args)
        beaconer.join()
        poller.join()
        reached = count_reached(gunicorn_log, log_start, updates)
    finally:
        stack.stop(stack_dir=stack_dir)
    stored = int(
        subprocess.run(
            [sys.executable, __file__, "--check", str(ids["article"])],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
    )
    print_table(args, rate, polls, reached, delays, beacons, stored)


def redis_answers(url: str) -> bool:
    """Whether Redis answers at `url`; if it does, the database it names (the benchmark's own) is emptied."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
        client.flushdb()
    except redis.exceptions.RedisError:
        return False
    return True


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own stack on loopback
        return response.read()


def wrk_poll(front: str, ids: dict, rate: float, args) -> dict:
    delay_ms = max(0, int(args.connections / rate * 1000))
    script = POLL_SCRIPT.format(delay_ms=delay_ms, after=ids["entry"], coverage=ids["coverage"], user_agent=USER_AGENT)
    _, figures = wrk(script, front, "-t2", f"-c{args.connections}", f"-d{args.duration}s")
    return figures


def editor_delays(front: str, updates: str, ids: dict, env: dict, args) -> list[float]:
    """Seconds from each entry's save to its first appearance in the endpoint through nginx."""
    editor = subprocess.Popen(
        [sys.executable, __file__, "--editor", str(ids["coverage"]), "--post-every", str(args.post_every)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    editor.stdout.readline()  # Django is set up
    delays = []
    previous = ids["entry"]
    deadline = time.time() + args.duration - 2
    try:
        while time.time() + args.post_every < deadline:
            time.sleep(args.post_every)
            editor.stdin.write("post\n")
            editor.stdin.flush()
            entry, saved = editor.stdout.readline().split()
            while time.time() - float(saved) < 30:
                answer = json.loads(fetch(f"{front}{updates}?after={previous}"))
                if answer["latest"] == int(entry):
                    delays.append(time.time() - float(saved))
                    break
                time.sleep(0.05)
            previous = int(entry)
    finally:
        editor.stdin.close()
        editor.wait()
    return delays


def count_reached(log: Path, start: int, updates: str) -> dict:
    counts = {"updates": 0, "beacons": 0}
    with log.open(encoding="utf-8", errors="replace") as lines:
        lines.seek(start)
        for line in lines:
            found = re.search(r'"path": "([^"]*)"', line)
            if not found:
                continue
            if found[1] == updates:
                counts["updates"] += 1
            elif found[1].startswith("/views/"):
                counts["beacons"] += 1
    return counts


def print_table(args, rate, polls, reached, delays, beacons, stored):
    print(
        f"\n{args.readers:,} readers polling every {args.interval:g} s ({rate:,.0f} req/s offered) "
        f"for {args.duration} s, an entry every {args.post_every:g} s; {os.cpu_count()} cores, all on this machine\n"
    )
    print("| measure | figure |\n| --- | --- |")
    print(f"| updates served through nginx | {polls['rps']:,.0f} req/s ({polls['requests']:,} requests) |")
    print(f"| updates p99 latency | {polls['p99']:.2f} ms |" if polls.get("p99") is not None else "| p99 | — |")
    print(f"| updates not 2xx | {polls['not_2xx']:,} |")
    print(f"| updates that reached gunicorn | {reached['updates']:,} |")
    if delays:
        print(
            f"| post → visible through nginx ({len(delays)} entries) | median {statistics.median(delays):.2f} s, "
            f"worst {max(delays):.2f} s |"
        )
    else:
        print("| post → visible | no entry posted: --duration too short |")
    print(
        f"| beacons through nginx, each a new reader | {beacons['rps']:,.0f} /s (p99 {beacons['p99']:.1f} ms; "
        f"{beacons['not_2xx']:,} not 2xx) |"
    )
    print(f"| beacons that reached gunicorn | {reached['beacons']:,} |")
    lost = "none lost" if beacons["answered"] <= stored <= beacons["sent"] else "MISMATCH"
    print(
        f"| reads stored after the flush | {stored:,}: {beacons['answered']:,} answered 204, "
        f"{beacons['sent']:,} sent ({lost}) |"
    )


# Inside Django (subprocesses with the stack's environment) ------------------


def setup_django():
    import django

    django.setup()


def setup():
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True)
    setup_django()
    from live.factories import LiveCoveragePageFactory, LiveEntryFactory
    from news.factories import ArticlePageFactory, SectionPageFactory

    section = SectionPageFactory()
    coverage = LiveCoveragePageFactory(parent=section)
    entry = LiveEntryFactory(coverage=coverage)
    article = ArticlePageFactory(parent=section)
    print(json.dumps({"coverage": coverage.pk, "entry": entry.pk, "article": article.pk}))


def post_entries(coverage_id: int, post_every: float):
    setup_django()
    from live.factories import LiveEntryFactory
    from live.models import LiveCoveragePage

    coverage = LiveCoveragePage.objects.get(pk=coverage_id)
    print("ready", flush=True)
    for number, _ in enumerate(iter(sys.stdin.readline, ""), start=1):
        saved = time.time()
        entry = LiveEntryFactory(coverage=coverage, headline=f"تحديث القياس رقم {number}")
        print(entry.pk, saved, flush=True)


def check_views(article_id: int):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "flush_views", "-v0"], check=True)
    setup_django()
    from news.models import ArticlePage

    print(ArticlePage.objects.get(pk=article_id).view_count)


if __name__ == "__main__":
    main()
