"""The production stack under load: requests/second and latency, uncached, cached, through nginx.

    make bench                                   # 10,000 and 100,000 articles
    .venv/bin/python scripts/bench_production.py --articles 10000 --duration 10

For each archive size: builds an SQLite archive (the demo newsroom with the
seed article, then articles generated from ../shared/data/arabic-news.jsonl up
to the size, indexed for search), counts the SQL queries of an uncached
article page in-process, then starts the production stack (scripts/stack.py:
gunicorn with deploy/gunicorn.conf.py, the task worker, nginx with the shipped
configuration) and loads it with wrk on loopback:

- uncached: NASHIR_PAGE_CACHE=0, straight to gunicorn, one connection (the
  latency of a render) and 16 (throughput); the article page still reuses its
  rendered body and related stories (pagecache.fragments), as a page-cache
  miss does in production;
- cold: the article page with the fragments off too (NASHIR_FRAGMENT_CACHE=0);
- cached in Django: the page cache on, straight to gunicorn;
- through nginx: its micro-cache in front, next to nginx serving the same
  article HTML as a static file;
- publish to visible: a story published from another process while wrk loads
  the home page through nginx, and the time until the home page shows it;
- memory: resident set size of each gunicorn worker after the runs;
- with --wordpress, plain WordPress 6.1 (Debian's package, PHP 8.2-FPM with
  opcache, MariaDB, nginx, no cache plugin) with as many posts, measured
  before Nashir starts (scripts/wordpress_baseline.py).

Everything runs on this machine at once (wrk included), as the figures say.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
BENCH = ROOT / "var" / "bench"
HTTP_PORT, APP_PORT = 8090, 8790
PAGES = ("article", "home", "section", "search", "feed")
SEARCH_QUERY = "الحكومة السورية"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--reuse", action="store_true", help="Keep an archive built by an earlier run.")
    parser.add_argument(
        "--wordpress",
        action="store_true",
        help="Also measure plain WordPress 6.1 with the same number of posts (scripts/wordpress_baseline.py).",
    )
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)  # internal: build one archive
    parser.add_argument("--queries", action="store_true", help=argparse.SUPPRESS)  # internal: count queries
    parser.add_argument("--publish", action="store_true", help=argparse.SUPPRESS)  # internal: publish on cue
    args = parser.parse_args()
    if args.build:
        return build(args.build)
    if args.queries:
        return count_queries()
    if args.publish:
        return publish_on_cue()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")
    print(machine_facts())
    for size in args.articles:
        run_size(size, args)


# The orchestrating process -------------------------------------------------


def machine_facts() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024**2
    nginx = subprocess.run(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-v"], capture_output=True, text=True
    ).stderr.strip()
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB, Python {platform.python_version()}, {nginx}, wrk on loopback"


def database_env(size: int) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{BENCH / f'production-{size}.sqlite3'}", "LOG_LEVEL": "WARNING"}


def run_size(size: int, args):
    env = {**os.environ, **database_env(size)}
    urls_file = BENCH / f"production-{size}.json"
    if not (args.reuse and urls_file.exists()):
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build", str(size)], env=env, check=True)
        print(f"\n== {size:,} articles: archive built in {time.perf_counter() - started:.0f} s")
    else:
        print(f"\n== {size:,} articles (archive reused)")
    paths = json.loads(urls_file.read_text())
    queries = subprocess.run(
        [sys.executable, __file__, "--queries"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"uncached article page, in-process: {queries}")

    rows = []
    if args.wordpress:
        rows += measure_wordpress(size, args)

    import stack

    stack_dir = BENCH / "stack"
    os.environ.update(database_env(size), NASHIR_REQUEST_LOG="0")
    for mode in ("cold", "uncached", "cached"):
        os.environ["NASHIR_PAGE_CACHE"] = "1" if mode == "cached" else "0"
        os.environ["NASHIR_FRAGMENT_CACHE"] = "0" if mode == "cold" else "1"
        shutil.rmtree(stack_dir / "cache", ignore_errors=True)
        pids = stack.start(stack_dir=stack_dir, http_port=HTTP_PORT, app_port=APP_PORT, timeout=60)
        try:
            app, front = f"http://127.0.0.1:{APP_PORT}", f"http://127.0.0.1:{HTTP_PORT}"
            for page in PAGES:
                for _ in range(3):
                    fetch(app + paths[page])  # warm: a worker's first render, the cache's first copy
            for page in PAGES:
                if mode == "cold":  # only the article page keeps fragments
                    if page == "article":
                        rows.append((page, "cold, 1 connection", wrk(app + paths[page], 1, args.duration)))
                        rows.append((page, "cold", wrk(app + paths[page], args.connections, args.duration)))
                elif mode == "uncached":
                    rows.append((page, "uncached, 1 connection", wrk(app + paths[page], 1, args.duration)))
                    rows.append((page, "uncached", wrk(app + paths[page], args.connections, args.duration)))
                else:
                    rows.append((page, "cached in Django", wrk(app + paths[page], args.connections, args.duration)))
                    rows.append((page, "through nginx", wrk(front + paths[page], args.connections, args.duration)))
            if mode == "cached":
                static = ROOT / "var" / "static" / "bench" / "article.html"
                static.parent.mkdir(parents=True, exist_ok=True)
                static.write_bytes(fetch(app + paths["article"]))
                rows.append(
                    (
                        "article",
                        "nginx, static file",
                        wrk(front + "/static/bench/article.html", args.connections, args.duration),
                    )
                )
                # The publisher runs with the stack's settings, so that it invalidates the stack's cache.
                stack_env = stack.stack_environment(stack_dir=stack_dir, http_port=HTTP_PORT, app_port=APP_PORT)
                rows.append(("home", "publish → visible", publish_to_visible(front, stack_env, args.duration)))
                rows.append(("—", "RSS per worker", worker_memory(pids["gunicorn"])))
        finally:
            stack.stop(stack_dir=stack_dir)
    print(f"\n{'page':<8} {'mode':<24} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for page, mode, figures in rows:
        if isinstance(figures, str):
            print(f"{page:<8} {mode:<24} {figures}")
        else:
            print(f"{page:<8} {mode:<24} {figures['rps']:>9,.0f} {figures['p50']:>8.2f} {figures['p99']:>8.2f}")


def measure_wordpress(size: int, args) -> list:
    """Plain WordPress with as many posts, on the same machine, stopped before Nashir starts."""
    import wordpress_baseline

    started = time.perf_counter()
    paths = wordpress_baseline.setup(posts=size, port=wordpress_baseline.DEFAULT_PORT)
    print(f"WordPress with {size:,} posts set up in {time.perf_counter() - started:.0f} s")
    base = f"http://127.0.0.1:{wordpress_baseline.DEFAULT_PORT}"
    rows = []
    try:
        for page in PAGES:
            fetch(base + paths[page], timeout=300)  # WordPress's first search of a large archive is slow
            rows.append((page, "WordPress, 1 connection", wrk(base + paths[page], 1, args.duration)))
            rows.append((page, "WordPress", wrk(base + paths[page], args.connections, args.duration)))
    finally:
        wordpress_baseline.stop()
    return rows


def fetch(url: str, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own stack on loopback
        return response.read()


LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def wrk(url: str, connections: int, duration: int) -> dict[str, float]:
    threads = min(2, connections)
    output = subprocess.run(
        [shutil.which("wrk"), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s"]
        + ["--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = {f"p{p}": float(value) * scale[unit] for p, value, unit in LATENCY.findall(output)}
    for problem in re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", output):
        print(f"  warning: {problem} ({url})")
    return {"rps": rps, **latency}


def publish_to_visible(front: str, env: dict, duration: int) -> str:
    """Seconds from the publish call to the headline on the home page through nginx, under load."""
    publisher = subprocess.Popen(
        [sys.executable, __file__, "--publish"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    headline = publisher.stdout.readline().strip()  # the draft is ready
    load = threading.Thread(target=wrk, args=(front + "/", 16, duration), daemon=True)
    load.start()
    time.sleep(2)
    publisher.stdin.write("go\n")
    publisher.stdin.flush()
    started = float(publisher.stdout.readline())
    seen = None
    while time.time() - started < 30:
        if headline in fetch(front + "/").decode():
            seen = time.time()
            break
        time.sleep(0.02)
    publisher.wait()
    load.join()
    return f"{seen - started:.2f} s" if seen else "not visible within 30 s"


def worker_memory(master_pid: int) -> str:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return f"{len(sizes)} workers: " + ", ".join(f"{size:.0f}" for size in sorted(sizes)) + " MB"


# Inside Django (subprocesses with DATABASE_URL set) -------------------------


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nashir.settings.base")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()


def build(size: int):
    path = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    setup_django()
    from bench_search import articles_bulk_create, generate, read_jsonl
    from django.conf import settings
    from django.core.management import call_command

    from news.models import ArticlePage, SectionPage
    from search.services import index_rebuild

    call_command("migrate", verbosity=0)
    call_command("load_demo", articles=400, verbosity=0)
    documents = read_jsonl(Path(settings.NASHIR_DATA_DIR) / "arabic-news.jsonl")
    generated = generate(documents, size - ArticlePage.objects.count())
    # Import keys of their own: the demo already holds some of these articles.
    articles_bulk_create([{**doc, "id": f"bench-{number}"} for number, doc in enumerate(generated)])
    index_rebuild()
    seed = ArticlePage.objects.get(external_id="nashir-seed-caesar-2020-05-18")
    # The seed's top-level section (الشرق الأوسط), as WordPress's section is its Middle East category.
    section = SectionPage.objects.ancestor_of(seed).get(depth=3)
    paths = {
        "article": seed.url,
        "home": "/",
        "section": section.url,
        "search": "/search/?q=" + quote(SEARCH_QUERY),
        "feed": "/feed/",
    }
    (BENCH / f"production-{size}.json").write_text(json.dumps(paths, ensure_ascii=False))


def count_queries():
    setup_django()
    import statistics

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from news.models import ArticlePage

    seed = ArticlePage.objects.get(external_id="nashir-seed-caesar-2020-05-18")
    client = Client()
    figures = []
    for fragments in (False, True):
        timings = []
        with override_settings(
            NASHIR_PAGE_CACHE=False, NASHIR_FRAGMENT_CACHE=fragments, ALLOWED_HOSTS=["*"], NASHIR_REQUEST_LOG=False
        ):
            client.get(seed.url)
            with CaptureQueriesContext(connection) as context:
                client.get(seed.url)
            queries = len(context.captured_queries)  # read now: every request clears the log
            for _ in range(50):
                started = time.perf_counter()
                client.get(seed.url)
                timings.append((time.perf_counter() - started) * 1000)
        label = "fragments kept" if fragments else "cold"
        figures.append(f"{label}: {queries} SQL queries, median {statistics.median(timings):.1f} ms")
    print(f"{ArticlePage.objects.count():,} articles; " + "; ".join(figures))


def publish_on_cue():
    setup_django()
    from django.urls import reverse

    from news.models import ArticlePage, SectionPage

    # An editor publishes from a server process that has its URLs loaded; a
    # fresh process would load them while publishing (0.4 s, more under load).
    reverse("wagtail_serve", args=[""])
    section = SectionPage.objects.live().first()
    headline = f"خبر عاجل للقياس {int(time.time())}"
    template = ArticlePage.objects.get(external_id="nashir-seed-caesar-2020-05-18")
    article = ArticlePage(title=headline, standfirst=template.standfirst, body=template.body, desk=template.desk)
    section.add_child(instance=article)
    revision = article.save_revision()
    print(headline, flush=True)
    sys.stdin.readline()
    print(time.time(), flush=True)
    revision.publish()


if __name__ == "__main__":
    main()
