"""The SQL each public page runs, with its time and the database's plan, on whatever DATABASE_URL names.

    make explain-pages                                   # DATABASE_URL from the environment or .env
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nashir_bench_10000 .venv/bin/python scripts/explain_pages.py
    .venv/bin/python scripts/explain_pages.py --pages home feed --plans 3 --full

Requests the article, home, section, search and feed pages through Django's
test client with the page cache off, once with the kept fragments (what a
page-cache miss costs) and once without them (a cold render), and captures
each query. Every request is repeated (--repeat) and each query's median time
kept. The slowest SELECTs of each page (--plans) are then explained: on
PostgreSQL with EXPLAIN (ANALYZE, BUFFERS), summarised as the plan's nodes
(scans with their table or index, sorts, rows, buffers) and its execution
time; on SQLite with EXPLAIN QUERY PLAN (SCAN is a whole table or index,
SEARCH a lookup, TEMP B-TREE a sort). --full prints the whole plan.

The pages are those of scripts/bench_production.py: the seed article (or the
newest one), the seed's top-level section (or the first), a search for
«الحكومة السورية», and the RSS feed. Nothing is written to the database; an
archive to look at is built by `scripts/bench_production.py --build N` (with
BENCH_URLS_FILE and DATABASE_URL set) or `manage.py load_demo`.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGES = ("article", "home", "section", "search", "feed")
SEARCH_QUERY = "الحكومة السورية"
SEED = "nashir-seed-caesar-2020-05-18"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument(
        "--fragments", choices=["kept", "cold", "both"], default="both", help="with kept fragments, without, or both"
    )
    parser.add_argument("--repeat", type=int, default=5, help="requests per page whose query times are kept")
    parser.add_argument("--plans", type=int, default=2, help="how many of each page's slowest queries to explain")
    parser.add_argument("--full", action="store_true", help="print each explained plan whole")
    parser.add_argument(
        "--check-indexes",
        action="store_true",
        help="PostgreSQL: plan every SELECT again with sequential scans discouraged and name the tables "
        "still read whole (no index serves the query: what a larger archive would pay)",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nashir.settings.base")
    os.environ.setdefault("SECRET_KEY", "explain-only")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.update(DEBUG="0", NASHIR_PAGE_CACHE="0", NASHIR_REQUEST_LOG="0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages link to the manifest's files
    paths = page_paths()
    vendor = connection.vendor
    from news.models import ArticlePage

    print(f"{connection.vendor}, {ArticlePage.objects.live().count():,} live articles; page cache off")
    client = Client()
    for fragments in {"kept": [True], "cold": [False], "both": [True, False]}[args.fragments]:
        label = "fragments kept" if fragments else "cold (fragments off)"
        with override_settings(NASHIR_FRAGMENT_CACHE=fragments, ALLOWED_HOSTS=["*"]):
            for page in args.pages:
                queries, request = capture(client, paths[page], args.repeat)
                total = sum(query["ms"] for query in queries)
                print(
                    f"\n== {page} {unquote(paths[page])}, {label}: request {request:.1f} ms, "
                    f"{len(queries)} queries, {total:.1f} ms in the database"
                )
                for number, query in enumerate(queries, start=1):
                    cursor = "[server-side cursor] " if query["named"] else ""
                    print(f"  {number:>2} {query['ms']:>8.2f} ms  {cursor}{one_line(query['sql'], 110)}")
                slowest = sorted(
                    (query for query in queries if is_select(query["sql"])), key=lambda query: -query["ms"]
                )
                for query in slowest[: args.plans]:
                    print(
                        f"\n  plan of #{queries.index(query) + 1} ({query['ms']:.2f} ms): {one_line(query['sql'], 90)}"
                    )
                    for line in explain(connection, vendor, query["sql"], query["params"], full=args.full):
                        print(f"    {line}")
                if args.check_indexes and vendor == "postgresql":
                    for number, query in enumerate(queries, start=1):
                        if is_select(query["sql"]):
                            for table in unindexed(connection, query["sql"], query["params"]):
                                print(f"  #{number}: no index serves the read of {table}")


def page_paths() -> dict[str, str]:
    from news.models import ArticlePage, SectionPage

    article = (
        ArticlePage.objects.filter(external_id=SEED).first()
        or ArticlePage.objects.live().order_by("-first_published_at").first()
    )
    if article is None:
        sys.exit("No article in this database: build one first (see --help).")
    section = SectionPage.objects.ancestor_of(article).filter(depth=3).first() or SectionPage.objects.first()
    return {
        "article": article.url,
        "home": "/",
        "section": section.url,
        "search": "/search/?q=" + quote(SEARCH_QUERY),
        "feed": "/feed/",
    }


def capture(client, path: str, repeat: int) -> tuple[list[dict], float]:
    """The queries of a request to `path`, each with its median time over `repeat` requests, and the requests' median.

    Timed around the driver's execute (Django's own log rounds to the
    millisecond), so a time includes the round trip and the fetch of rows the
    driver reads at once.
    """
    from django.db import connection

    for _ in range(2):  # a worker's first render; the fragments' first copy
        answer(client, path)
    runs, requests = [], []
    for _ in range(repeat):
        run = []

        def timed(execute, sql, params, many, context, run=run):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                elapsed = (time.perf_counter() - started) * 1000
                # .iterator() on PostgreSQL: a named cursor, its rows fetched later in batches.
                named = bool(getattr(context["cursor"].cursor, "name", None))
                run.append({"sql": sql, "params": params, "ms": elapsed, "named": named})

        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            answer(client, path)
            requests.append((time.perf_counter() - started) * 1000)
        runs.append(run)
    shape = [query["sql"] for query in runs[-1]]
    same = [run for run in runs if [query["sql"] for query in run] == shape] or runs[-1:]
    queries = [
        {**query, "ms": statistics.median(run[number]["ms"] for run in same)} for number, query in enumerate(runs[-1])
    ]
    return queries, statistics.median(requests)


def answer(client, path: str):
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    return response


def is_select(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SELECT", "WITH"))


def one_line(sql: str, width: int) -> str:
    sql = re.sub(r"\s+", " ", sql).strip()
    return sql if len(sql) <= width else sql[: width - 1] + "…"


def explain(connection, vendor: str, sql: str, params, *, full: bool) -> list[str]:
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            if full:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                return [row[0] for row in cursor.fetchall()]
            lines = list(plan_nodes(plan["Plan"]))
            lines.append(f"planning {plan['Planning Time']:.2f} ms, execution {plan['Execution Time']:.2f} ms")
            return lines
        if vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            depths, lines = {0: -1}, []
            for node, parent, _unused, detail in cursor.fetchall():
                depths[node] = depths.get(parent, -1) + 1
                lines.append("  " * depths[node] + detail)
            return lines
        return [f"(no plan summary for {vendor})"]


def unindexed(connection, sql: str, params) -> list[str]:
    """The tables a query still scans whole when the planner is told to avoid it.

    On small tables PostgreSQL rightly prefers a sequential scan; if it still
    picks one with sequential scans priced out, no index can serve the query.
    """
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]

    def scans(node):
        if node["Node Type"] == "Seq Scan":
            yield node["Relation Name"]
        for child in node.get("Plans", []):
            yield from scans(child)

    return sorted(set(scans(plan["Plan"])))


def plan_nodes(node: dict, depth: int = 0):
    """One line per node that reads or orders rows, indented by depth."""
    kind = node["Node Type"]
    parts = [kind]
    if node.get("Index Name"):
        parts.append(f"using {node['Index Name']}")
    if node.get("Relation Name"):
        parts.append(f"on {node['Relation Name']}")
    if node.get("Sort Key"):
        parts.append(f"by {', '.join(node['Sort Key'])}")
    if node.get("Sort Method"):
        parts.append(f"({node['Sort Method']})")
    parts.append(f"rows {node.get('Actual Rows', '?')}×{node.get('Actual Loops', 1)}")
    if node.get("Rows Removed by Filter"):
        parts.append(f"filtered out {node['Rows Removed by Filter']}")
    buffers = node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0)
    parts.append(f"buffers {buffers}")
    parts.append(f"{node.get('Actual Total Time', 0):.2f} ms")
    yield "  " * depth + " ".join(parts)
    for child in node.get("Plans", []):
        yield from plan_nodes(child, depth + 1)


if __name__ == "__main__":
    main()
