"""What a reader's browser downloads on a cold load of the home page and an article.

Opens each page in a new Chromium context (empty cache, no cookies), waits until the
network is idle, and counts the requests and the bytes transferred (headers and bodies
as they came over the wire, compressed or not), per origin. Point it at a running site:

    .venv/bin/python scripts/page_weight.py http://127.0.0.1:8000 [--article /path/] [--width 390]

Without --article, the first article linked from the home page is measured. --width sets
the window's width (1280 by default): pictures below the fold wait until scrolled to, so
a phone's first screen costs less than a desktop's.
"""

import argparse
import shutil
import sys
from collections import defaultdict
from urllib.parse import unquote, urljoin, urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def cold_load(browser, url, width=1280):
    context = browser.new_context(locale="ar", viewport={"width": width, "height": 900 if width >= 1024 else 800})
    page = context.new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(url, wait_until="networkidle")
    rows = []
    for request in responses:
        sizes = request.sizes()
        rows.append((request.url, request.resource_type, sizes["responseHeadersSize"] + sizes["responseBodySize"]))
    first_article = page.eval_on_selector("main a[href*='/'] >> nth=0", "a => a.getAttribute('href')")
    articles = page.eval_on_selector_all(".card__title a", "links => links.map(a => a.getAttribute('href'))")
    context.close()
    return rows, (articles[0] if articles else first_article)


def report(name, url, rows):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    by_type = defaultdict(lambda: [0, 0])
    other_origins = sorted({urlsplit(u).netloc for u, _, _ in rows if not u.startswith(origin)})
    for _, kind, size in rows:
        by_type[kind][0] += 1
        by_type[kind][1] += size
    total = sum(size for _, _, size in rows)
    detail = ", ".join(f"{kind} {count} ({size / 1024:.1f} KB)" for kind, (count, size) in sorted(by_type.items()))
    cells = [f"{name} (`{unquote(urlsplit(url).path)}`)", len(rows), f"{total / 1024:.1f} KB", detail]
    print("| " + " | ".join(map(str, [*cells, ", ".join(other_origins) or "none"])) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--article", help="the article's path; the home page's first article by default")
    parser.add_argument("--width", type=int, default=1280, help="the window's width in CSS pixels")
    options = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        home = urljoin(options.base_url, "/")
        rows, first_article = cold_load(browser, home, options.width)
        article = urljoin(options.base_url, options.article or first_article)
        print("| page | requests | transferred | by kind | other origins |")
        print("| --- | --- | --- | --- | --- |")
        report("home", home, rows)
        rows, _ = cold_load(browser, article, options.width)
        report("article", article, rows)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
