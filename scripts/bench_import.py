"""WordPress import speed and memory: generate a WXR of N posts with comments, import it, report.

    make bench-import                                  # 10,000 posts, 5 comments each
    .venv/bin/python scripts/bench_import.py --posts 50000

The export is written as a stream to var/bench/ (Arabic titles and paragraphs
from ../shared/data/arabic-news.jsonl, 20 authors, nested categories, tags,
view counts, threaded comments). A fresh SQLite database is migrated, then
`manage.py import_wordpress` runs in-process. Peak memory is the process's
maximum resident set size after the import, next to its size before: if the
import streamed, the peak does not grow with the number of posts.
"""

import argparse
import json
import os
import random
import re
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"


# Characters XML 1.0 does not allow, even in CDATA (the news corpus has a few control characters).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def cdata(text):
    return "<![CDATA[" + NOT_XML.sub("", text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write_export(path, posts, comments):
    rng = random.Random(7)  # noqa: S311 - a repeatable file, not a secret
    with (DATA / "arabic-news.jsonl").open(encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines][:2000]
    categories = [(f"cat-{i}", articles[i]["category_ar"] or f"قسم {i}") for i in range(12)]
    start = datetime(2010, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" ')
        out.write('xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" ')
        out.write('xmlns:content="http://purl.org/rss/1.0/modules/content/" ')
        out.write(
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        )
        out.write("<title>أرشيف الاختبار</title><link>https://archive.example</link>\n")
        out.write("<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://archive.example</wp:base_site_url>\n")
        for number in range(20):
            out.write(
                f"<wp:author><wp:author_login>{cdata(f'writer{number}')}</wp:author_login>"
                f"<wp:author_display_name>{cdata(f'كاتب {number}')}</wp:author_display_name></wp:author>\n"
            )
        seen = set()
        for slug, name in categories:
            if name in seen:
                continue
            seen.add(name)
            out.write(
                f"<wp:category><wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
                f"<wp:category_parent>{cdata('')}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
            )
        category_slugs = [slug for slug, name in categories if name in seen]
        comment_id = 1
        for post_id in range(1, posts + 1):
            source = articles[post_id % len(articles)]
            paragraphs = [p for p in source["body"].split("\n") if p.strip()][:8] or [source["body"]]
            published = start + timedelta(minutes=post_id * 7)
            gmt = published.strftime("%Y-%m-%d %H:%M:%S")
            body = "\n\n".join(paragraphs)
            out.write("<item>")
            out.write(f"<title>{cdata(source['title'] + f' ({post_id})')}</title>")
            out.write(f"<link>https://archive.example/?p={post_id}</link>")
            out.write(f"<dc:creator>{cdata(f'writer{post_id % 20}')}</dc:creator>")
            out.write(f"<content:encoded>{cdata(body)}</content:encoded><excerpt:encoded>{cdata('')}</excerpt:encoded>")
            out.write(f"<wp:post_id>{post_id}</wp:post_id><wp:post_date_gmt>{cdata(gmt)}</wp:post_date_gmt>")
            out.write(
                f"<wp:post_name>{cdata(f'post-{post_id}')}</wp:post_name><wp:status>{cdata('publish')}</wp:status>"
            )
            out.write(f"<wp:post_type>{cdata('post')}</wp:post_type>")
            slug = rng.choice(category_slugs)
            out.write(f'<category domain="category" nicename="{slug}">{cdata(slug)}</category>')
            for tag in rng.sample(range(200), 2):
                out.write(f'<category domain="post_tag" nicename="tag-{tag}">{cdata(f"وسم {tag}")}</category>')
            out.write(
                f"<wp:postmeta><wp:meta_key>{cdata('post_views_count')}</wp:meta_key>"
                f"<wp:meta_value>{cdata(str(rng.randrange(5000)))}</wp:meta_value></wp:postmeta>"
            )
            first = comment_id
            for number in range(comments):
                parent = first if number and number % 2 else 0
                date = (published + timedelta(hours=number + 1)).strftime("%Y-%m-%d %H:%M:%S")
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{cdata(f'قارئ {number}')}</wp:comment_author>"
                    f"<wp:comment_author_email>{cdata(f'reader{comment_id}@example.org')}</wp:comment_author_email>"
                    f"<wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{cdata(escape(paragraphs[0][:200]))}</wp:comment_content>"
                    f"<wp:comment_approved>{cdata('1')}</wp:comment_approved>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
                )
                comment_id += 1
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=5)
    args = parser.parse_args()

    bench = ROOT / "var" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    export = bench / f"wxr-{args.posts}.xml"
    write_export(export, args.posts, args.comments)
    database = bench / f"import-{args.posts}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="nashir.settings.base",
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="benchmark-only",
        DEBUG="0",
        REDIS_URL="",
        MEDIA_ROOT=str(bench / "media"),
    )
    import django

    django.setup()
    from django.core.management import call_command

    from wordpress.services import wxr_import

    call_command("migrate", verbosity=0)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    report = wxr_import(export)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total_comments = args.posts * args.comments
    print(f"export: {export.stat().st_size / 1e6:.0f} MB, {args.posts:,} posts, {total_comments:,} comments")
    print(f"created: {dict(report.created)}; skipped: {dict(report.skipped)}; error: {report.error or 'none'}")
    print(f"imported in {elapsed:.0f} s: {args.posts / elapsed:.1f} posts/s, {total_comments / elapsed:.0f} comments/s")
    print(f"peak memory (max RSS): {peak:.0f} MB after the import, {before:.0f} MB before it")


if __name__ == "__main__":
    main()
