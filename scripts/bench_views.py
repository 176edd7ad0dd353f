"""View beacons against gunicorn as production runs it, then a check that none was lost.

Starts gunicorn with deploy/gunicorn.conf.py (sync workers, 2 × cores + 1) on
127.0.0.1 with a fresh SQLite database and Redis as the view buffer, sends
beacons from new readers with wrk for a while (each beacon a reader of its
own, its address in X-Forwarded-For, which the server is told to trust, as
behind nginx), runs `manage.py flush_views`, and compares the stored count
with what was answered and sent.

    make bench-views
    .venv/bin/python scripts/bench_views.py --duration 15 --connections 32

wrk runs on the same machine, so it shares the cores with the server.
scripts/bench_live.py sends its beacons through nginx with `wrk_beacons`.
"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"

# Every beacon is a reader of its own (10.a.b.c in X-Forwarded-For, 2^20 per wrk
# thread), so each one counts; done() adds up what the threads sent and saw answered.
BEACON_LUA = """
local threads = {{}}
function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end
function init(args)
  first = tonumber(args[1]) + number * 1048576
  sent, counted = 0, 0
end
function request()
  local reader = first + sent
  sent = sent + 1
  local address = string.format("10.%d.%d.%d", math.floor(reader / 65536) % 256,
    math.floor(reader / 256) % 256, reader % 256)
  return wrk.format("POST", "{path}", {{["X-Forwarded-For"] = address, ["User-Agent"] = "{user_agent}",
    ["Content-Length"] = "0"}})
end
function response(status, headers, body)
  if status == 204 then counted = counted + 1 end
end
function done(summary, latency, requests)
  local sent, counted = 0, 0
  for _, thread in ipairs(threads) do
    sent = sent + thread:get("sent")
    counted = counted + thread:get("counted")
  end
  io.write(string.format("BEACONS sent=%d answered=%d\\n", sent, counted))
end
"""


def wrk(script: str, front: str, *options: str, script_args: tuple[str, ...] = ()) -> tuple[str, dict]:
    """wrk with the Lua `script` against `front`: its output, and the figures the benchmarks read from it."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        output = subprocess.run(
            [shutil.which("wrk"), *options, "--timeout", "30s", "--latency", "-s", lua.name, front]
            + (["--", *script_args] if script_args else []),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", output, re.MULTILINE)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return output, {
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "not_2xx": int(errors[1]) if errors else 0,
        "socket_errors": socket_errors[1] if socket_errors else "",
        "p99": float(p99[1]) * scale[p99[2]] if p99 else None,
    }


def wrk_beacons(front: str, article_id: int, *, seconds: int, connections: int, first_reader: int = 0) -> dict:
    """Beacons from new readers to `front` for `seconds` with wrk: their rate and answers."""
    script = BEACON_LUA.format(path=f"/views/{article_id}/", user_agent=USER_AGENT)
    output, figures = wrk(script, front, "-t2", f"-c{connections}", f"-d{seconds}s", script_args=(str(first_reader),))
    counts = re.search(r"BEACONS sent=(\d+) answered=(\d+)", output)
    # Sent: requests wrk wrote, a few still unanswered when it stopped; answered: the 204s it read.
    return {**figures, "sent": int(counts[1]), "answered": int(counts[2])}


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
        NASHIR_BIND=f"127.0.0.1:{PORT}",
        LOG_LEVEL="WARNING",
    )
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15, help="Seconds of beacons.")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument(
        "--through-django",
        action="store_true",
        help="Serve Django's own handler (nashir.wsgi:django_application): the beacon through every middleware, "
        "as before the fast path, for a figure on the same machine",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")

    database = ROOT / "var" / "bench" / "views.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    env = environment(database, args.redis)
    manage = [sys.executable, str(ROOT / "manage.py")]
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
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        + (["nashir.wsgi:django_application"] if args.through_django else []),
        env=env,
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    front = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
                connection.request("HEAD", "/")
                connection.getresponse()
                break
            except OSError:
                time.sleep(0.1)
        # Each worker's first beacons load what they need (URLs, the article check): not measured.
        warm = wrk_beacons(front, article_id, seconds=2, connections=8, first_reader=1 << 23)
        sent = wrk_beacons(front, article_id, seconds=args.duration, connections=args.connections)
    finally:
        server.terminate()
        server.wait()

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
    socket_errors = f", socket errors {sent['socket_errors']}" if sent["socket_errors"] else ""
    print(
        f"beacons from new readers{' through Django' if args.through_django else ''} over {args.connections} "
        f"connections for {args.duration} s: "
        f"{sent['rps']:,.0f} beacons/s, p99 {sent['p99']:.1f} ms, {sent['not_2xx']} not 2xx{socket_errors}"
    )
    print(f"flush_views: {flush_elapsed:.2f} s (including Django start-up)")
    # Every answered beacon stored, none twice (one sent as wrk stopped may be stored unanswered).
    answered, sent_total = warm["answered"] + sent["answered"], warm["sent"] + sent["sent"]
    none_lost = stored == hourly and answered <= stored <= sent_total
    print(
        f"stored view_count {stored:,}, hourly buckets {hourly:,}; answered 204 {answered:,}, "
        f"sent {sent_total:,} (with the warm-up's): " + ("OK, none lost" if none_lost else "MISMATCH")
    )
    sys.exit(0 if none_lost and not sent["not_2xx"] else 1)


if __name__ == "__main__":
    main()
