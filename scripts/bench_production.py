"""The production stack under load: requests/second and latency, uncached, cached, through nginx.

    make bench                                   # 10,000 and 100,000 articles
    .venv/bin/python scripts/bench_production.py --articles 10000 --duration 10
    .venv/bin/python scripts/bench_production.py --articles 500 --databases sqlite postgres

For each archive size and each database (--databases; by default SQLite, and
PostgreSQL too when --postgres-url's server answers): builds an archive (the
demo newsroom with the seed article, then articles generated from
../shared/data/arabic-news.jsonl up to the size, indexed for search), counts
the SQL queries of an uncached article page in-process, then starts the
production stack (scripts/stack.py: gunicorn with deploy/gunicorn.conf.py, the
task worker, nginx with the shipped configuration) and loads it with wrk on
loopback. SQLite runs as a single machine does (diskcache on disk);
PostgreSQL as a scaled deployment does, with its cache in Redis (--redis-url,
a database number of its own: the benchmark empties it between runs). Each
size's PostgreSQL archive is a database of its own, the URL's name with the
size appended (nashir_bench_10000), dropped and created again unless --reuse.

- uncached: NASHIR_PAGE_CACHE=0, straight to gunicorn, one connection (the
  latency of a render) and 16 (throughput); the article page still reuses its
  rendered body and related stories (pagecache.fragments), as a page-cache
  miss does in production;
- cold: the article page with the fragments off too (NASHIR_FRAGMENT_CACHE=0);
- cached in Django: the page cache on, straight to gunicorn;
- through nginx: readers' pages from the files the page cache writes for it
  (pagecache.files), search and the feed from its micro-cache; the article
  also through the micro-cache alone (with a query string), next to nginx
  serving the same article HTML as a static file; all asked as browsers ask
  (`Accept-Encoding: gzip, deflate, br`), the static file with a compressed
  copy beside it (gzip_static), as the page cache keeps pages compressed.
  Twice: from the template's /static/ location (a short ASCII address, two
  headers, no access log), and as a site serving its pages as files would
  (as WordPress's cache plugins write them): at the article's own address,
  with the same response headers and the same access log as the micro-cache
  (a second nginx of the same settings, on port 8092);
- publish to visible: a story published from another process while wrk loads
  the home page through nginx, and the time until the home page shows it;
- memory: resident set size of each gunicorn worker after the runs;
- with --wordpress, plain WordPress 6.1 (Debian's package, PHP 8.2-FPM with
  opcache, MariaDB, nginx, no cache plugin) with as many posts, measured
  before Nashir starts (scripts/wordpress_baseline.py).

Everything runs on this machine at once (wrk included), as the figures say.
One table per size puts WordPress and each database side by side, with each
database's speed against WordPress's (uncached rows) and PostgreSQL's time
against SQLite's (p50).
"""

import argparse
import contextlib
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
BENCH = ROOT / "var" / "bench"
HTTP_PORT, APP_PORT = 8090, 8790
# The second nginx, serving the article as a file (8091 is the WordPress baseline's).
AS_FILE_PORT = 8092
# A parameter no page reads and pagecache keeps in its key: no page file answers an address that has it.
MICRO_CACHE_QUERY = "?bench=micro-cache"
PAGES = ("article", "home", "section", "search", "feed")
SEARCH_QUERY = "الحكومة السورية"
DATABASES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/nashir_bench"
# Databases 12-15 are the tests' and bench_views's.
REDIS_URL = "redis://127.0.0.1:6379/11"
# What a browser sends that changes the answer through nginx: compressed pages.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--reuse", action="store_true", help="Keep an archive built by an earlier run.")
    parser.add_argument(
        "--databases",
        nargs="+",
        choices=list(DATABASES),
        help="Default: sqlite, and postgres too when its server answers.",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", POSTGRES_URL),
        help="Server and database name prefix of the PostgreSQL archives (default: %(default)s; "
        "BENCH_POSTGRES_URL); the size is appended to the name.",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", REDIS_URL),
        help="The PostgreSQL stack's cache (default: %(default)s; BENCH_REDIS_URL); emptied between runs.",
    )
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
    if args.databases is None:
        args.databases = ["sqlite"]
        if postgres_answers(args.postgres_url):
            args.databases.append("postgres")
        else:
            print(f"PostgreSQL does not answer at {args.postgres_url}: SQLite only.")
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


def postgres_answers(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def database_env(size: int, database: str, args) -> dict[str, str]:
    """The archive of this size on this database, and the cache the stack uses with it."""
    if database == "sqlite":
        # The stack's cache is on disk (scripts/stack.py's default), as on a single machine.
        return {"DATABASE_URL": f"sqlite:///{BENCH / f'production-{size}.sqlite3'}", "LOG_LEVEL": "WARNING"}
    return {
        "DATABASE_URL": f"{args.postgres_url}_{size}",
        "REDIS_URL": args.redis_url,
        "NASHIR_CACHE": "redis",
        "LOG_LEVEL": "WARNING",
    }


def empty_cache(database: str, stack_dir: Path, args):
    """Each run starts with empty caches, as the first one did: the page cache, nginx's and the page files.

    The last two too: the same addresses come back at each size and database,
    and a copy left from another run would be served stale while nginx refreshes it.
    """
    for folder in ("cache", "nginx/cache", "pages"):
        shutil.rmtree(stack_dir / folder, ignore_errors=True)
    if database == "postgres":
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()


def run_size(size: int, args):
    print(f"\n== {size:,} articles")
    rows = []  # (page, mode, source, figures)
    if args.wordpress:
        rows += measure_wordpress(size, args)
    for database in args.databases:
        rows += measure_nashir(size, database, args)
    print_table(rows, ["WordPress"] * args.wordpress + [DATABASES[database] for database in args.databases])


def measure_nashir(size: int, database: str, args) -> list:
    label = DATABASES[database]
    env = {**os.environ, **database_env(size, database, args)}
    urls_file = BENCH / f"production-{size}{'' if database == 'sqlite' else '-' + database}.json"
    if not (args.reuse and urls_file.exists()):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--build", str(size)],
            env={**env, "BENCH_URLS_FILE": str(urls_file)},
            check=True,
        )
        print(f"{label}: archive built in {time.perf_counter() - started:.0f} s")
    else:
        print(f"{label}: archive reused")
    paths = json.loads(urls_file.read_text())
    queries = subprocess.run(
        [sys.executable, __file__, "--queries"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"{label}, uncached article page, in-process: {queries}")

    stack_dir = BENCH / "stack"
    saved = dict(os.environ)
    os.environ.update(database_env(size, database, args), NASHIR_REQUEST_LOG="0")
    try:
        rows = measure_stack(paths, stack_dir, database, args)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return [(page, mode, label, figures) for page, mode, figures in rows]


def measure_stack(paths: dict, stack_dir: Path, database: str, args) -> list:
    import stack

    rows = []
    for mode in ("cold", "uncached", "cached"):
        os.environ["NASHIR_PAGE_CACHE"] = "1" if mode == "cached" else "0"
        os.environ["NASHIR_FRAGMENT_CACHE"] = "0" if mode == "cold" else "1"
        empty_cache(database, stack_dir, args)
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
                    # Readers' pages from their page files; search (a query string) and the feed
                    # (not HTML) from the micro-cache.
                    source = nginx_sends(front + paths[page])
                    print(f"{DATABASES[database]}: the {page} page through nginx comes from {source}")
                    rows.append(
                        (
                            page,
                            "through nginx",
                            wrk(front + paths[page], args.connections, args.duration, headers=BROWSER_HEADERS),
                        )
                    )
            if mode == "cached":
                static = ROOT / "var" / "static" / "bench" / "article.html"
                static.parent.mkdir(parents=True, exist_ok=True)
                page_html = fetch(app + paths["article"])
                static.write_bytes(page_html)
                # Sent as it is to a browser (gzip_static), as the micro-cache sends the page cache's
                # copy; compressed as pagecache.store compresses it (level 6).
                static.with_name(static.name + ".gz").write_bytes(gzip.compress(page_html, compresslevel=6, mtime=0))
                rows.append(
                    (
                        "article",
                        "nginx, static file",
                        wrk(
                            front + "/static/bench/article.html",
                            args.connections,
                            args.duration,
                            headers=BROWSER_HEADERS,
                        ),
                    )
                )
                # The same article with a query string, which no page file answers: the micro-cache alone.
                micro_cached = front + paths["article"] + MICRO_CACHE_QUERY
                print(f"{DATABASES[database]}: the article with a query string comes from {nginx_sends(micro_cached)}")
                rows.append(
                    (
                        "article",
                        "nginx, micro-cache",
                        wrk(micro_cached, args.connections, args.duration, headers=BROWSER_HEADERS),
                    )
                )
                with nginx_serving_as_file(micro_cached, stack_dir.parent / "as-file") as copy:
                    rows.append(
                        (
                            "article",
                            "nginx, same response as file",
                            wrk(copy, args.connections, args.duration, headers=BROWSER_HEADERS),
                        )
                    )
                figures = {mode: value for page, mode, value in rows if page == "article"}
                for served in ("through nginx", "nginx, micro-cache"):
                    for baseline in ("nginx, static file", "nginx, same response as file"):
                        ratio = figures[served]["rps"] / figures[baseline]["rps"]
                        against = baseline.removeprefix("nginx, ")
                        print(f"{DATABASES[database]}: {served} serves {ratio:.2f}× the {against}")
                # The publisher runs with the stack's settings, so that it invalidates the stack's cache.
                stack_env = stack.stack_environment(stack_dir=stack_dir, http_port=HTTP_PORT, app_port=APP_PORT)
                rows.append(("home", "publish → visible", publish_to_visible(front, stack_env, args.duration)))
                rows.append(("—", "RSS per worker", worker_memory(pids["gunicorn"])))
        finally:
            stack.stop(stack_dir=stack_dir)
    return rows


# What nginx writes itself when it serves a file; every other header of the page is repeated.
FILE_HEADERS = {
    "server",
    "date",
    "content-type",
    "content-length",
    "last-modified",
    "etag",
    "connection",
    "content-encoding",
    "vary",
    "accept-ranges",
    "transfer-encoding",
}


@contextlib.contextmanager
def nginx_serving_as_file(url: str, folder: Path):
    """The page at `url` (through the stack's nginx), served by a second nginx from a file; yields its URL.

    Like for like with the micro-cache: the same address, body and response
    headers, the same access log and open-file cache, nginx's main settings as
    scripts/stack.py writes them. What differs is only where the copy comes from.
    """
    import stack

    body, headers = fetch_compressed(url)
    if headers.get("Content-Encoding") != "gzip":
        raise RuntimeError(f"{url} did not come compressed through nginx")
    path = urllib.parse.urlsplit(url).path
    shutil.rmtree(folder, ignore_errors=True)
    page = folder / "root" / urllib.parse.unquote(path).lstrip("/") / "index.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(gzip.decompress(body))
    page.with_name("index.html.gz").write_bytes(body)
    repeated = []
    for name, value in headers.items():
        if name.lower() in FILE_HEADERS:
            continue
        if "$" in value or '"' in value:  # nginx would read a variable; no header of ours has either
            raise RuntimeError(f"cannot repeat {name}: {value!r}")
        repeated.append(f'            add_header {name} "{value}" always;')
    template = stack.NGINX_TEMPLATE.read_text(encoding="utf-8")
    log_format = re.search(r"^log_format nashir .*?;$", template, re.MULTILINE | re.DOTALL).group(0)
    conf = folder / "nginx.conf"
    http = f"""    {log_format}
    server {{
        listen 127.0.0.1:{AS_FILE_PORT};
        server_tokens off;
        access_log {folder / "access.log"} nashir buffer=64k flush=1s;
        open_file_cache max=1000 inactive=20s;
        open_file_cache_valid 1s;
        gzip on;
        gzip_vary on;
        gzip_static on;
        charset utf-8;
        location / {{
            root {folder / "root"};
            try_files $uri/index.html =404;
{chr(10).join(repeated)}
        }}
    }}
"""
    conf.write_text(
        stack.nginx_main(
            pid=folder / "nginx.pid", error_log=folder / "error.log", temp=folder / "temp", http=http, daemon=True
        ),
        encoding="utf-8",
    )
    nginx = stack.find_nginx()
    subprocess.run([nginx, "-p", f"{folder}/", "-c", str(conf), "-e", str(folder / "error.log")], check=True)
    try:
        copy = f"http://127.0.0.1:{AS_FILE_PORT}{path}"
        if fetch_compressed(copy)[0] != body:
            raise RuntimeError(f"{copy} is not the page at {url}")
        yield copy
    finally:
        subprocess.run([nginx, "-p", f"{folder}/", "-c", str(conf), "-e", str(folder / "error.log"), "-s", "quit"])
        for _ in range(100):  # the next size's copy listens on the same port
            if not (folder / "nginx.pid").exists():
                break
            time.sleep(0.05)


def print_table(rows: list, sources: list[str]):
    """One line per page and mode, a column per source: req/s (p50 / p99 ms), then the ratios."""
    figures, order = {}, []
    for page, mode, source, value in rows:
        if (page, mode) not in figures:
            order.append((page, mode))
        figures.setdefault((page, mode), {})[source] = value
    # The ratios the issue sets: each database against WordPress, PostgreSQL against SQLite.
    databases = [source for source in sources if source != "WordPress"]
    ratios = [f"{source} ×WP" for source in databases if "WordPress" in sources]
    if {"SQLite", "PostgreSQL"} <= set(databases):
        ratios.append("PG/SQLite p50")
    header = f"{'page':<8} {'mode':<29}" + "".join(f" {source:>28}" for source in sources)
    print("\n" + header + "".join(f" {ratio:>15}" for ratio in ratios))
    for page, mode in sorted(order, key=lambda key: PAGES.index(key[0]) if key[0] in PAGES else len(PAGES)):
        cells = figures[(page, mode)]
        line = f"{page:<8} {mode:<29}" + "".join(f" {cell(cells.get(source)):>28}" for source in sources)
        wordpress = cells.get("WordPress")
        for ratio in ratios:
            if ratio == "PG/SQLite p50":
                value = ratio_of(cells.get("PostgreSQL"), cells.get("SQLite"), "p50")
            else:
                value = ratio_of(cells.get(ratio.removesuffix(" ×WP")), wordpress, "rps")
            line += f" {value:>15}"
        print(line)
    if any(isinstance(value, dict) and value.get("refused") for *_, value in rows):
        print("(!) some answers were not 2xx or 3xx (warnings above): the figures measure those answers")


def cell(figures) -> str:
    if figures is None:
        return ""
    if isinstance(figures, str):
        return figures
    mark = " (!)" if figures.get("refused") else ""  # some answers were errors: the figures are not the page's
    return f"{figures['rps']:,.0f} ({figures['p50']:.2f} / {figures['p99']:.2f}){mark}"


def ratio_of(top, bottom, key: str) -> str:
    if not isinstance(top, dict) or not isinstance(bottom, dict) or not bottom[key]:
        return ""
    return f"{top[key] / bottom[key]:.2f}×"


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
            # No cache plugin: each request renders, as Nashir's uncached lines.
            rows.append((page, "uncached, 1 connection", "WordPress", wrk(base + paths[page], 1, args.duration)))
            rows.append((page, "uncached", "WordPress", wrk(base + paths[page], args.connections, args.duration)))
    finally:
        wordpress_baseline.stop()
    return rows


def fetch_compressed(url: str):
    """The gzip-compressed body as it came, and the response headers."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310 - our stack on loopback
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read(), response.headers


def nginx_sends(url: str) -> str:
    """Where nginx sends the page at `url` from, once readers have asked for it: FILE, HIT…"""
    for _ in range(3):
        state = fetch_compressed(url)[1].get("X-Cache-Status", "?")
        if state == "FILE":
            break
        time.sleep(0.2)
    return {"FILE": "its page file", "HIT": "the micro-cache"}.get(state, state)


def fetch(url: str, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own stack on loopback
        return response.read()


LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def wrk(url: str, connections: int, duration: int, script: str = "", headers: dict | None = None) -> dict[str, float]:
    """wrk's requests/second, p50 and p99 (ms) and non-2xx/3xx count.

    `script`: Lua that shapes the requests; `headers`: sent with each request.
    """
    threads = min(2, connections)
    header_options = [option for name, value in (headers or {}).items() for option in ("-H", f"{name}: {value}")]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        output = subprocess.run(
            [shutil.which("wrk"), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s"]
            + ["--latency", *header_options, *(["-s", lua.name] if script else []), url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = {f"p{p}": float(value) * scale[unit] for p, value, unit in LATENCY.findall(output)}
    for problem in re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", output):
        print(f"  warning: {problem} ({url})")
    # e.g. nginx's rate limit on /search/ (1 r/s per address) answering 429 to nearly every request
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, **latency, "refused": int(refused.group(1)) if refused else 0}


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
    from bench_search import fresh_database

    BENCH.mkdir(parents=True, exist_ok=True)
    fresh_database(os.environ["DATABASE_URL"], keep=False)
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
    Path(os.environ["BENCH_URLS_FILE"]).write_text(json.dumps(paths, ensure_ascii=False))


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
    # A draft, as the admin saves one: a page added live would be listed before it is published.
    article = ArticlePage(
        title=headline, standfirst=template.standfirst, body=template.body, desk=template.desk, live=False
    )
    section.add_child(instance=article)
    revision = article.save_revision()
    print(headline, flush=True)
    sys.stdin.readline()
    print(time.time(), flush=True)
    revision.publish()


if __name__ == "__main__":
    main()
