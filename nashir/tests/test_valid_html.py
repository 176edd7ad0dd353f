"""Every public page type through the W3C Nu HTML Checker (vnu.jar from npm, run with Java).

`npm install --ignore-scripts` puts vnu.jar in node_modules/; `.ci/run` does it
and installs Java. Where either is missing the test is skipped before it builds
its pages (and the test database), except in CI (`CI` set), where it fails.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import wagtail_factories
from django.conf import settings
from django.urls import reverse

from comments.models import Comment
from corrections.services import correction_note_publish
from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from live.models import LiveEntryCorrection
from news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    SectionPageFactory,
    StoredEmbedFactory,
    every_kind_of_block,
)
from news.services import about_page_publish
from search.services import articles_sync

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")
CHECKER_FOUND = bool(JAVA) and VNU_JAR.exists()

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    # A mark, not a skip in the test: marks are read before any fixture is set up.
    pytest.mark.skipif(
        not CHECKER_FOUND and not os.environ.get("CI"), reason="needs Java and vnu.jar (`npm install --ignore-scripts`)"
    ),
]


def vnu_errors(files):
    if not CHECKER_FOUND:
        pytest.fail("CI must run the Nu HTML Checker: install Java and run `npm install --ignore-scripts`")
    result = subprocess.run(  # noqa: S603 - fixed arguments, files written by this test
        [JAVA, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [message for message in json.loads(result.stderr or result.stdout)["messages"]]


def test_every_public_page_type_is_valid_html(client, seed_article, tmp_path):
    section = seed_article.get_parent()
    writer = AuthorFactory(name="سلمى الحلبي", bio="مراسلة.")
    article = ArticlePageFactory(
        title="خبر بكل أنواع الكتل",
        parent=section,
        follows=seed_article,  # «متابعة» on both, and the seed article's notice of a newer development
        authors=[writer],
        tags=["حلب"],
        featured_image=wagtail_factories.ImageFactory(file__width=1600, file__height=900),
        featured_image_caption="صورة من حلب",
        sources=[("وكالة", "https://example.org/", "agency")],
        body=every_kind_of_block(embed_url=StoredEmbedFactory().url),
    )
    Comment.objects.create(
        article=article, name="قارئ", email="r@example.org", body="تعليق", status="approved", ip_address="1.2.3.4"
    )
    correction_note_publish(article=article, kind="correction", text="تصحيح منشور.")
    articles_sync([article.pk, seed_article.pk])
    about = about_page_publish(parent=section.get_parent().get_parent(), title="عن الموقع", paragraphs=["من نحن."])
    SectionPageFactory(title="قسم فارغ")
    coverage = LiveCoveragePageFactory(
        parent=section,
        lead_image=wagtail_factories.ImageFactory(file__width=1600, file__height=900),
        lead_image_caption="المعبر",
    )
    entry = LiveEntryFactory(coverage=coverage, pinned=True, author=writer, image=wagtail_factories.ImageFactory())
    entry.sources.create(name="وكالة", url="https://example.org/")
    entry.save()
    LiveEntryCorrection.objects.create(entry=entry, text="تصحيح للتحديث.")
    closed = LiveCoveragePageFactory(parent=section, is_open=False)

    pages = {
        "home": "/",
        "section": section.url,
        "article": article.url,
        "seed-article": seed_article.url,
        "tag": reverse("news:tag", args=["حلب"]),
        "author": reverse("news:author", args=[writer.slug]),
        "desk": reverse("news:desk", args=[seed_article.desk.slug]),
        "about": about.url,
        "live": coverage.url,
        "live-closed": closed.url,
        "search": reverse("search:search") + "?q=حلب",
        "search-empty": reverse("search:search") + "?q=قزقزقز",
        "search-form": reverse("search:search"),
        "corrections": reverse("corrections:log"),
        "correction-form": reverse("corrections:new", args=[article.pk]),
        "not-found": "/لا-توجد-صفحة/",
    }
    # The lite edition of each (lite app), but for the forms it leaves to the full site.
    pages.update({f"lite-{name}": "/lite" + url for name, url in pages.items() if name != "correction-form"})
    files = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name.endswith("not-found") else 200), (name, url)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)

    errors = vnu_errors(files)
    assert errors == [], "\n".join(
        f"{Path(e['url']).name}:{e.get('lastLine')}: {e['message']} [{e.get('extract', '')}]" for e in errors
    )
