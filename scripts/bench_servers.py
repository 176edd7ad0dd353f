"""One application server against two behind nginx: requests/second and latency under the same load.

    make bench-servers
    .venv/bin/python scripts/bench_servers.py --articles 2000 --duration 10
    .venv/bin/python scripts/bench_servers.py --articles 500 --duration 5 --reuse

Builds a PostgreSQL archive of --articles articles with scripts/bench_production.py's
build (the demo newsroom, the seed article, generated articles, the search
index) in a database of its own (--postgres-url's name with the size appended,
nashir_bench_servers_2000), dropped and created again unless --reuse. Then
starts the production stack (scripts/stack.py) with one application server and
with two (each a gunicorn with deploy/gunicorn.conf.py and a task worker, on
ports of their own behind the one nginx upstream, sharing PostgreSQL and Redis
at --redis-url, a database number of its own that is emptied before each start,
as is nginx's cache), and loads the home page, an article page and the search
page through nginx with wrk, --connections connections for --duration seconds
each:

- cached: the page cache on, as in production (nginx's one-second micro-cache,
  then the page cache in Redis): most requests never reach an application server;
- uncached: NASHIR_PAGE_CACHE=0, so every request reaches an application
  server (which still keeps rendered fragments, as on a page-cache miss):
  where a second server can count. Each request asks for an address of its
  own (a utm_id parameter, which the application ignores): nginx lets one
  request at a time fetch an address it does not hold (proxy_cache_lock, the
  others polling every 500 ms for up to 5 s), so 16 connections on one
  uncacheable address would measure that lock, not the servers.

Each request comes from a reader address of its own (X-Forwarded-For, which
nginx trusts from 127.0.0.1 as behind a CDN: stack.py's real_ip_from), so that
nginx's per-address limit on /search/ (1 r/s) meets readers, not wrk.
The topologies alternate (one, two, one, two with --rounds 2) so that drift of
the machine shows between runs of the same topology rather than in the ratio.

Everything runs on this machine at once, wrk included: two servers here share
its cores, so the ratio says what the topology costs or gains on one machine,
not what a second machine would add. The Markdown table at the end gives
requests/s, p50 and p99 per page, mode and topology (means over the rounds),
the ratio two/one, then every run in the order it ran.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
# Sibling scripts, importable once scripts/ is on the path.
import bench_production  # noqa: E402
from bench_production import BENCH, database_env, empty_cache, fetch, machine_facts, wrk  # noqa: E402

# Ports of their own (bench_production: 8090/8790, bench_live: 8091/8791); the second server gets APP_PORT + 1.
HTTP_PORT, APP_PORT = 8092, 8792
PAGES = ("home", "article", "search")
MODES = ("cached", "uncached")
TOPOLOGIES = {1: "one server", 2: "two servers"}
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/nashir_bench_servers"
# Databases 11-15 are bench_production's, the tests' and the other benchmarks'.
REDIS_URL = "redis://127.0.0.1:6379/10"

# A reader address per request (10.t.x.y, 65,536 per wrk thread, then the first again): at any rate
# wrk reaches, each address stays far below nginx's 1 r/s on /search/, and its zone (10 MB, about
# 160,000 addresses) holds them all. With DISTINCT true, each request's own utm_id too (uncached runs).
READERS_LUA = """
local threads = {}
local distinct = DISTINCT
function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end
function init(args)
  first, sent = number * 65536, 0
  separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
end
function request()
  local reader = first + sent % 65536
  sent = sent + 1
  local address = string.format("10.%d.%d.%d", math.floor(reader / 65536) % 256,
    math.floor(reader / 256) % 256, reader % 256)
  local path = distinct and (wrk.path .. separator .. "utm_id=" .. number .. "-" .. sent) or nil
  return wrk.format(nil, path, {["X-Forwarded-For"] = address})
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2, help="Runs of each topology, alternated (default: 2).")
    parser.add_argument(
        "--warmup", type=int, default=5, help="Seconds of unmeasured load per page after each start (default: 5)."
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="gunicorn workers per server (NASHIR_WORKERS; default: deploy/gunicorn.conf.py's 2 × cores + 1).",
    )
    parser.add_argument("--reuse", action="store_true", help="Keep the archive built by an earlier run.")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_SERVERS_POSTGRES_URL", POSTGRES_URL),
        help="Server and database name prefix of the archive (default: %(default)s; BENCH_SERVERS_POSTGRES_URL); "
        "the size is appended to the name.",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_SERVERS_REDIS_URL", REDIS_URL),
        help="The servers' shared cache (default: %(default)s; BENCH_SERVERS_REDIS_URL); emptied before each start.",
    )
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)  # internal: build the archive
    args = parser.parse_args()
    if args.build:
        return bench_production.build(args.build)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")
    # `kill` as Ctrl-C: an exception, so that the finally blocks stop the stack.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # Two servers share one database: SQLite will not do.
    if not bench_production.postgres_answers(args.postgres_url):
        sys.exit(f"PostgreSQL does not answer at {args.postgres_url}; two servers need one database they share.")
    facts = machine_facts()
    print(facts)
    load_before = os.getloadavg()
    paths = archive(args)
    runs = measure(paths, args)
    print_tables(runs, args, facts, load_before, os.getloadavg())


def archive(args) -> dict[str, str]:
    """The archive's page paths, after building it in a subprocess (Django is set up there, not here)."""
    urls_file = BENCH / f"servers-{args.articles}.json"
    if args.reuse and urls_file.exists():
        print(f"{args.articles:,} articles: archive reused")
    else:
        # Written at the end of a build: a build that fails leaves no file for --reuse to trust.
        urls_file.unlink(missing_ok=True)
        started = time.perf_counter()
        env = {**os.environ, **database_env(args.articles, "postgres", args), "BENCH_URLS_FILE": str(urls_file)}
        subprocess.run([sys.executable, __file__, "--build", str(args.articles)], env=env, check=True)
        print(f"{args.articles:,} articles: archive built in {time.perf_counter() - started:.0f} s")
    return json.loads(urls_file.read_text())


def measure(paths: dict, args) -> list[dict]:
    """Every run, in order: one, two, one, two servers with the page cache on, then the same with it off."""
    import stack

    stack_dir = BENCH / "servers-stack"
    saved = dict(os.environ)
    # stack.start passes its caller's environment on to the servers.
    os.environ.update(database_env(args.articles, "postgres", args), NASHIR_REQUEST_LOG="0")
    if args.workers:
        os.environ["NASHIR_WORKERS"] = str(args.workers)
    runs = []
    try:
        for mode in MODES:
            os.environ["NASHIR_PAGE_CACHE"] = "1" if mode == "cached" else "0"
            for round_number in range(1, args.rounds + 1):
                for servers in TOPOLOGIES:
                    print(f"{mode}, {TOPOLOGIES[servers]}, round {round_number}", flush=True)
                    for page, figures in load_topology(paths, servers, mode, stack_dir, args).items():
                        runs.append({"servers": servers, "mode": mode, "page": page, **figures})
    finally:
        stack.stop(stack_dir=stack_dir)  # idempotent: whatever an interruption left between start and its stop
        os.environ.clear()
        os.environ.update(saved)
    return runs


def load_topology(paths: dict, servers: int, mode: str, stack_dir: Path, args) -> dict[str, dict]:
    import stack

    # Each start from empty caches, so no run inherits another's pages; nginx's cache especially,
    # whose stale copies it would otherwise serve to the uncached runs while it updates them.
    empty_cache("postgres", stack_dir, args)
    shutil.rmtree(stack_dir / "nginx" / "cache", ignore_errors=True)
    # A line per request: a cached run writes hundreds of megabytes.
    (stack_dir / "logs" / "nashir-access.log").unlink(missing_ok=True)
    stack.start(
        stack_dir=stack_dir,
        http_port=HTTP_PORT,
        app_port=APP_PORT,
        servers=servers,
        timeout=60,
        real_ip_from="127.0.0.1",
    )
    front = f"http://127.0.0.1:{HTTP_PORT}"
    script = READERS_LUA.replace("DISTINCT", "true" if mode == "uncached" else "false")
    try:
        for page in PAGES:
            fetch(front + paths[page])  # answers 200, or stops here
            # Every worker's first renders (URLs, templates, connections) outside the measured runs.
            if args.warmup:
                wrk(front + paths[page], args.connections, args.warmup, script)
        return {page: wrk(front + paths[page], args.connections, args.duration, script) for page in PAGES}
    finally:
        stack.stop(stack_dir=stack_dir)


def print_tables(runs: list[dict], args, facts: str, load_before, load_after):
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    print(
        f"\n{args.articles:,} articles on PostgreSQL, page cache and fragments in Redis; wrk through nginx, "
        f"{args.connections} connections, {args.duration} s a run, each request from a reader address of its own; "
        f"{workers} gunicorn workers a server; {args.rounds} runs of each topology, alternated (figures: their mean).\n"
        f"{facts}; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after.\n"
    )
    print(
        "| page | page cache | one server req/s | p50 ms | p99 ms | two servers req/s | p50 ms | p99 ms "
        "| two/one req/s | two/one p99 |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for mode in MODES:
        for page in PAGES:
            means = {}
            for servers in TOPOLOGIES:
                chosen = [run for run in runs if (run["servers"], run["mode"], run["page"]) == (servers, mode, page)]
                means[servers] = {key: statistics.mean(run[key] for run in chosen) for key in ("rps", "p50", "p99")}
                means[servers]["refused"] = sum(run["refused"] for run in chosen)
            cells = []
            for figures in means.values():
                mark = " (!)" if figures["refused"] else ""
                cells += [f"{figures['rps']:,.0f}{mark}", f"{figures['p50']:.1f}", f"{figures['p99']:.1f}"]
            one, two = means[1], means[2]
            cells += [ratio(two["rps"], one["rps"]), ratio(two["p99"], one["p99"])]
            print(f"| {page} | {'on' if mode == 'cached' else 'off'} | " + " | ".join(cells) + " |")
    print("\nEach run, in the order it ran:\n")
    print("| run | page cache | servers | page | req/s | p50 ms | p99 ms | not 2xx/3xx |")
    print("| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for number, run in enumerate(runs, start=1):
        print(
            f"| {(number - 1) // len(PAGES) + 1} | {'on' if run['mode'] == 'cached' else 'off'} | {run['servers']} "
            f"| {run['page']} | {run['rps']:,.0f} | {run['p50']:.1f} | {run['p99']:.1f} | {run['refused']:,} |"
        )
    if any(run["refused"] for run in runs):
        print("\n(!) some answers were not 2xx or 3xx (warnings above): those figures measure the errors too")


def ratio(top: float, bottom: float) -> str:
    return f"{top / bottom:.2f}×" if bottom else ""


if __name__ == "__main__":
    main()
