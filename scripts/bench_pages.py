"""Query count and median server time of the article, home and section pages.

Builds (once) an SQLite database in var/bench/ with the demo newsroom and N
real articles, then requests each page through Django's test client, which
times the whole server side (routing, queries, templates) without a network.

    make bench-pages                      # 2,000 articles
    .venv/bin/python scripts/bench_pages.py --articles 7499 --requests 200
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--page-cache", action="store_true", help="serve from the page cache (hits); by default each request renders"
    )
    args = parser.parse_args()

    database = ROOT / "var" / "bench" / f"pages-{args.articles}.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="nashir.settings.base",
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="benchmark-only",
        DEBUG="0",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
        # What a page costs to make: kept fragments are used, whole stored pages are not.
        NASHIR_PAGE_CACHE="1" if args.page_cache else "0",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from news.models import ArticlePage, SectionPage

    call_command("migrate", verbosity=0)
    if not ArticlePage.objects.exists():
        call_command("load_demo", articles=args.articles, verbosity=1)

    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    article = ArticlePage.objects.live().order_by("-first_published_at").first()
    section = SectionPage.objects.live().filter(depth=3).first()
    pages = {"article": article.url, "home": "/", "section": section.url}
    count = ArticlePage.objects.live().count()
    served = "page cache hits" if args.page_cache else "page cache off, fragments kept"
    print(f"{count} live articles, SQLite, {served}, {args.requests} requests per page (after 5 warm-up requests)")
    print(f"{'page':<8} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
    for name, url in pages.items():
        for _ in range(5):
            client.get(url)
        executed = []

        def count(execute, sql, *rest, executed=executed):
            executed.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name:<8} {len(executed):>7} {statistics.median(timings):>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
