"""Search quality and speed through Nashir's own search path, against judged queries.

Loads DOCS (JSONL: id, title, body[, date]) as published articles into a fresh
database, builds the search index with the product's indexer, runs every query
of QUERIES (JSONL: qid, query, relevant) through the product's query path
(analysis → index → BM25 ranking → top 10), and prints MRR@10, Recall@10,
nDCG@10, the zero-result rate and p50/p95 query latency; then the same for a
WordPress-style search (every query word a substring of the title or body,
newest first).

    make bench-search                                   # both dev tasks of ../shared/data
    .venv/bin/python scripts/bench_search.py DOCS QUERIES [--extra-docs FILE]
    .venv/bin/python scripts/bench_search.py DOCS QUERIES --scale 100000 [--database-url postgres://…]

--scale N generates N articles from DOCS (the originals first, then variants
that mix paragraphs of same-category articles under new dates) and reports
indexing time and latency at that size. Articles are written straight to the
page tables (the page API would take hours for 100,000); indexing and search
use the product's code unchanged.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
PASSAGE_EPOCH = datetime(2017, 1, 1, tzinfo=UTC)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("docs", type=Path)
    parser.add_argument("queries", type=Path)
    parser.add_argument("--extra-docs", type=Path, action="append", default=[], help="Distractor documents.")
    parser.add_argument("--scale", type=int, help="Generate this many articles from the documents.")
    parser.add_argument("--database-url", help="Default: a fresh SQLite file in var/bench/.")
    parser.add_argument("--reuse", action="store_true", help="Keep an already loaded and indexed database.")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()

    name = "-".join([args.docs.stem, *(path.stem for path in args.extra_docs), str(args.scale or "")]).strip("-")
    database_url = args.database_url or f"sqlite:///{ROOT / 'var' / 'bench' / f'search-{name}.sqlite3'}"
    fresh_database(database_url, keep=args.reuse)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="nashir.settings.base",
        DATABASE_URL=database_url,
        SECRET_KEY="benchmark-only",
        DEBUG="0",
        REDIS_URL="",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from search.models import SearchEntry
    from search.services import index_rebuild

    call_command("migrate", verbosity=0)
    vendor = f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}"
    if not (args.reuse and SearchEntry.objects.exists()):
        documents = read_jsonl(args.docs) + [doc for path in args.extra_docs for doc in read_jsonl(path)]
        if args.scale:
            documents = generate(documents, args.scale)
        start = time.perf_counter()
        articles_bulk_create(documents)
        print(f"Loaded {len(documents):,} articles in {time.perf_counter() - start:.0f} s ({vendor.strip()})")
        start = time.perf_counter()
        indexed = index_rebuild()
        print(f"Indexed {indexed:,} articles in {time.perf_counter() - start:.1f} s")
    queries = read_jsonl(args.queries)
    print(f"{len(queries)} queries from {args.queries.name}, {SearchEntry.objects.count():,} documents")
    print(f"{'method':<44} {'MRR@10':>7} {'R@10':>6} {'nDCG@10':>8} {'zero':>6} {'p50 ms':>7} {'p95 ms':>7}")
    report("Nashir (BM25, Arabic analysis)", evaluate(queries, nashir_top10))
    if not args.no_baseline:
        report("WordPress-style (substring AND, newest first)", evaluate(queries, wordpress_top10))


def fresh_database(url, *, keep):
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if keep:
        return
    import psycopg

    database = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        admin.execute(f'CREATE DATABASE "{database}"')


def read_jsonl(path):
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def generate(documents, size):
    """`size` articles: the originals, then variants mixing paragraphs of articles of the same category."""
    rng = random.Random(2026)  # noqa: S311 - a repeatable corpus, not a secret
    by_category = {}
    for doc in documents:
        by_category.setdefault(doc.get("category") or doc.get("source") or "", []).append(doc)
    generated = list(documents[:size])
    start = datetime(2012, 1, 1, tzinfo=UTC)
    while len(generated) < size:
        base = documents[len(generated) % len(documents)]
        other = rng.choice(by_category[base.get("category") or base.get("source") or ""])
        paragraphs = paragraphs_of(base["body"]) + rng.sample(paragraphs_of(other["body"]), 1)
        rng.shuffle(paragraphs)
        generated.append(
            {
                "id": f"{base['id']}~{len(generated)}",
                "title": base["title"],
                "body": "\n".join(paragraphs),
                "date": (start + timedelta(minutes=rng.randrange(14 * 365 * 24 * 60))).isoformat(),
                "category_ar": base.get("category_ar", ""),
            }
        )
    return generated


def paragraphs_of(body):
    return [paragraph.strip() for paragraph in body.split("\n") if paragraph.strip()] or [body]


def articles_bulk_create(documents):
    """Live articles written straight to the page tables in batches.

    Each goes to the section of its category (`category_ar`, the sections the
    demo newsroom has), as a newsroom files its stories; one without goes to
    a section of its own.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils.html import escape
    from wagtail.models import Locale, Page

    from news.listings import section_entries_sync
    from news.models import ArticlePage, HomePage
    from news.services import section_get_or_create

    home = HomePage.objects.first()
    sections = {}  # title: [section, children so far]
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    fields = ArticlePage._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    insert = f"INSERT INTO {ArticlePage._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    for start in range(0, len(documents), 2000):
        batch = documents[start : start + 2000]
        with transaction.atomic():
            pages = []
            for number, doc in enumerate(batch, start=start + 1):
                published = (
                    datetime.fromisoformat(doc["date"]) if doc.get("date") else PASSAGE_EPOCH + timedelta(hours=number)
                )
                if published.tzinfo is None:
                    published = published.replace(tzinfo=UTC)
                slug = f"doc-{number}"
                title = doc.get("category_ar") or "معيار البحث"
                if title not in sections:
                    section = section_get_or_create(parent=home, title=title)
                    last = section.get_children().order_by("-path").values_list("path", flat=True).first()
                    sections[title] = [section, ArticlePage._str2int(last[-ArticlePage.steplen :]) if last else 0]
                sections[title][1] += 1
                section, position = sections[title]
                pages.append(
                    Page(
                        title=doc["title"][:255],
                        draft_title=doc["title"][:255],
                        slug=slug,
                        content_type=content_type,
                        path=ArticlePage._get_path(section.path, section.depth + 1, position),
                        depth=section.depth + 1,
                        numchild=0,
                        url_path=f"{section.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        locale=locale,
                        translation_key=uuid.uuid4(),
                    )
                )
            Page.objects.bulk_create(pages)
            rows = []
            for page, doc in zip(pages, batch, strict=True):
                body = [
                    {"type": "paragraph", "value": f"<p>{escape(paragraph)}</p>"}
                    for paragraph in paragraphs_of(doc["body"])
                ]
                article = ArticlePage(page_ptr_id=page.pk, standfirst="", body=body, external_id=str(doc["id"]))
                rows.append([field.get_db_prep_save(getattr(article, field.attname), connection) for field in fields])
            with connection.cursor() as cursor:
                cursor.executemany(insert, rows)
    for section, _last in sections.values():
        Page.objects.filter(pk=section.pk).update(numchild=section.get_children().count())
        # Written without saving, so the section listings' index is filled here.
        section_entries_sync(ArticlePage.objects.child_of(section))


def nashir_top10(query):
    from search.services import search_hits

    found = search_hits(text=query, per_page=10)
    return found.ids


def wordpress_top10(query):
    """WordPress's default search: each word LIKE '%word%' in the title or the content, newest first."""
    from django.db.models import Q

    from search.models import SearchEntry

    words = [word.strip("؟?!.,،؛:\"'()«»") for word in query.split()]
    entries = SearchEntry.objects.all()
    for word in filter(None, words):
        entries = entries.filter(Q(title__contains=word) | Q(body__contains=word))
    return list(entries.order_by("-first_published_at").values_list("pk", flat=True)[:10])


def evaluate(queries, top10):
    from news.models import ArticlePage

    external_ids = dict(ArticlePage.objects.values_list("pk", "external_id"))
    loaded = set(external_ids.values())
    reciprocal_ranks, recalls, ndcgs, zero, latencies = [], [], [], 0, []
    for query in queries:
        start = time.perf_counter()
        ids = top10(query["query"])
        latencies.append((time.perf_counter() - start) * 1000)
        ranked = [external_ids.get(pk) for pk in ids[:10]]
        relevant = {str(doc) for doc in query["relevant"]}
        zero += not ids
        ranks = [rank for rank, doc in enumerate(ranked, start=1) if doc in relevant]
        reciprocal_ranks.append(1 / ranks[0] if ranks else 0.0)
        recalls.append(len(ranks) / len(relevant))
        ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(len(relevant), 10) + 1))
        ndcgs.append(sum(1 / math.log2(rank + 1) for rank in ranks) / ideal)
    latencies.sort()
    # A scale run over other documents than the judged ones measures speed only.
    judged = any(str(doc) in loaded for query in queries for doc in query["relevant"])
    return {
        "judged": judged,
        "mrr": statistics.fmean(reciprocal_ranks),
        "recall": statistics.fmean(recalls),
        "ndcg": statistics.fmean(ndcgs),
        "zero": zero / len(queries),
        "p50": statistics.median(latencies),
        "p95": latencies[max(0, math.ceil(len(latencies) * 0.95) - 1)],
    }


def report(name, figures):
    if figures["judged"]:
        quality = f"{figures['mrr']:>7.3f} {figures['recall']:>6.3f} {figures['ndcg']:>8.3f}"
    else:
        quality = f"{'n/a':>7} {'n/a':>6} {'n/a':>8}"
    print(f"{name:<44} {quality} {figures['zero']:>6.3f} {figures['p50']:>7.1f} {figures['p95']:>7.1f}")


if __name__ == "__main__":
    main()
