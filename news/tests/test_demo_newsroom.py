"""The demo newsroom shipped in news/demo/: what `load_demo` builds from it, as readers and editors see it."""

import json
import re
from collections import Counter
from datetime import timedelta
from io import StringIO
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Revision

from comments.models import Comment, CommentStatus
from corrections.models import CommentRequest, CorrectionNote, PublishedReply, ReaderSubmission
from live.models import LiveCoveragePage, LiveEntry, LiveEntryCorrection
from news.demo_newsroom import CREDIT, DEMO_DIR, demo_external_id, demo_stories
from news.models import ArticlePage, Author, HomePage
from readership import services as readership_services
from readership.demo import demo_reads_planned
from readership.models import HourlyViews
from testing.helpers import parse

STORIES = demo_stories()
AUTHORS = json.loads((DEMO_DIR / "authors.json").read_text(encoding="utf-8"))["authors"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for this module, in a transaction rolled back after it (as TestCase.setUpTestData).

    As in a clone from a code host: nothing beside the repository. Each test
    runs in a savepoint inside it, so what a test changes is undone.
    """
    shared = tmp_path_factory.mktemp("clone-parent")
    media = override_settings(NASHIR_DATA_DIR=shared / "shared" / "data", MEDIA_ROOT=shared / "media")
    with django_db_blocker.unblock(), media, transaction.atomic():
        output = load_demo(articles=400, verbosity=1)
        yield output
        transaction.set_rollback(True)
    readership_services._live_articles.clear()  # the demo's article ids come back after the rollback


def load_demo(**options):
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def demo_article(key):
    return ArticlePage.objects.get(external_id=demo_external_id(key))


def snapshot():
    """Counts of everything the demo creates, and the reads it records."""
    return {
        "articles": ArticlePage.objects.count(),
        "authors": Author.objects.count(),
        "images": get_image_model().objects.count(),
        "comments": Comment.objects.count(),
        "notes": CorrectionNote.objects.count(),
        "replies": PublishedReply.objects.count(),
        "requests for comment": CommentRequest.objects.count(),
        "reader submissions": ReaderSubmission.objects.count(),
        "hourly rows": HourlyViews.objects.count(),
        "reads": sum(HourlyViews.objects.values_list("views", flat=True)),
        "article revisions": Revision.objects.filter(
            object_id__in=[str(pk) for pk in ArticlePage.objects.values_list("pk", flat=True)]
        ).count(),
        "tags": ArticlePage.tags.through.objects.count(),
        "live coverages": LiveCoveragePage.objects.count(),
        "live entries": LiveEntry.objects.count(),
        "live correction notes": LiveEntryCorrection.objects.count(),
    }


# The data, as written ---------------------------------------------------------


def test_the_stories_read_like_a_newsroom():
    assert 30 <= len(STORIES) <= 45
    assert len({story["key"] for story in STORIES}) == len(STORIES)
    sections = Counter(story["section"][-1] for story in STORIES)
    assert set(sections) >= {"سوريا", "العالم", "اقتصاد", "رياضة", "تكنولوجيا", "ثقافة", "رأي"}
    assert sections["رأي"] >= 4
    for story in STORIES:
        first_paragraph = next(item for item in story["body"] if isinstance(item, str))
        # A standfirst that repeats the opening is what the corpus import gave; the demo's are written apart.
        assert story["standfirst"][:40] not in first_paragraph, story["key"]
        assert story.get("authors") or story.get("desk"), story["key"]
        assert story["tags"] and all(source["name"] and source["kind"] for source in story["sources"]), story["key"]
        assert story["image"]["alt"] and story["image"]["caption"], story["key"]
    assert all(story.get("authors") for story in STORIES if story["section"] == ["رأي"])
    assert sum(1 for story in STORIES if any(isinstance(i, dict) and "heading" in i for i in story["body"])) >= 15
    assert sum(1 for story in STORIES if any(isinstance(i, dict) and "quote" in i for i in story["body"])) >= 10
    # A vocabulary: most tags link a story to others.
    tags = Counter(tag for story in STORIES for tag in story["tags"])
    assert len(tags) >= 40 and sum(1 for count in tags.values() if count > 1) >= 20
    assert sum(1 for story in STORIES if story.get("hours_ago", 99) <= 48) >= 8
    assert sum(1 for story in STORIES if "schedule_in_hours" in story) == 1


def test_reads_fall_between_publication_and_now():
    now = timezone.now()
    for story in (story for story in STORIES if "hours_ago" in story):
        published = now - timedelta(hours=story["hours_ago"])
        reads = demo_reads_planned(story, published, now)
        assert reads and all(max(published, now - timedelta(days=7)) <= moment <= now for moment in reads)
    assert demo_reads_planned(STORIES[0], now, now) == []  # a story published this instant has no readers yet


# What the loader builds (each test in a savepoint of the loaded demo) -----------


@pytest.mark.slow  # the demo newsroom, loaded once for the module
@pytest.mark.django_db
def test_without_the_corpus_the_demo_loads_its_own_stories_and_says_so(demo):
    output = demo
    assert output.count("No corpus at") == 1
    assert ArticlePage.objects.count() == len(STORIES) + 1  # and the seed article
    password = re.search(r"Demo editor: editor / (\S+)", output).group(1)
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(password) and editor.groups.filter(name="Editors").exists()
    assert re.search(r"Demo reporter: reporter / \S+", output)


@pytest.mark.slow
@pytest.mark.django_db
def test_every_demo_article_has_an_illustration_with_alt_text_caption_and_credit(demo):
    articles = ArticlePage.objects.select_related("featured_image")
    assert articles.count() == len(STORIES) + 1
    for article in articles:
        image = article.featured_image
        assert image is not None and image.width == 1600 and image.height == 900, article.title
        assert image.description and image.collection.name == "العرض التجريبي"
        assert article.featured_image_caption.endswith(f"({CREDIT})")
        for block in article.body:
            if block.block_type == "image":
                assert block.value["alt_text"] and block.value["caption"] and block.value["credit"] == CREDIT
    assert sum(1 for a in articles for block in a.body if block.block_type == "image") >= 3
    # Each story its own picture.
    assert len({article.featured_image.file_hash for article in articles}) == articles.count()


@pytest.mark.slow
@pytest.mark.django_db
def test_writers_have_portraits_and_bios_and_sign_news_and_opinion(client, demo):
    authors = Author.objects.select_related("photo")
    assert authors.count() == len(AUTHORS) >= 5
    for author in authors:
        assert author.photo is not None and author.photo.width == author.photo.height
        assert author.role and len(author.bio) > 80
        assert author.bylines.exists()
    opinion = ArticlePage.objects.live().filter(url_path__contains="/رأي/")
    assert opinion.count() >= 4 and all(article.authors for article in opinion)
    assert ArticlePage.objects.live().filter(desk__name="قسم الأخبار").count() >= 5

    page = parse(client.get(authors.first().get_absolute_url()))
    assert page.select_one(".listing-header img.avatar")
    assert authors.first().bio in page.select_one(".listing-header").get_text()


@pytest.mark.slow
@pytest.mark.django_db
def test_the_scheduled_story_waits_for_its_time(client, demo):
    (story,) = (story for story in STORIES if "schedule_in_hours" in story)
    article = demo_article(story["key"])
    assert not article.live and article.first_published_at is None
    go_live = article.scheduled_revision.approved_go_live_at
    assert timezone.now() + timedelta(hours=1) < go_live <= timezone.now() + timedelta(hours=story["schedule_in_hours"])
    assert story["title"] not in client.get("/").content.decode()
    assert client.get(article.url).status_code == 404


@pytest.mark.slow
@pytest.mark.django_db
def test_the_home_page_is_a_living_front_page(client, demo):
    (lead,) = (story for story in STORIES if story.get("lead"))
    assert HomePage.objects.get().lead_article == demo_article(lead["key"])
    page = parse(client.get("/"))
    assert page.select_one(".lead .card__title").get_text(strip=True) == lead["title"]
    listed = page.select(".second-tier .card, .latest .card")
    assert len(page.select(".second-tier .card img, .latest .card img")) == len(listed) >= 10
    for kind in ("day", "week"):
        assert len(page.select(f".most-read__{kind} li")) == 5
    assert {h2.get_text(strip=True) for h2 in page.select(".section-block h2")} >= {"اقتصاد", "ثقافة"}
    # Opinion stands beside the news, each piece under its writer's photo and name.
    assert page.select_one(".opinion h2").get_text(strip=True) == "رأي"
    assert len(page.select(".opinion__item")) == len(page.select(".opinion__item img.opinion__photo")) >= 3

    # The Google News sitemap lists the last 48 hours, and every story of the last 48 hours is in it.
    news = client.get("/sitemap-news.xml").content.decode()
    recent = [story["title"] for story in STORIES if story.get("hours_ago", 99) <= 47]
    assert len(recent) >= 8 and all(title in news for title in recent)


@pytest.mark.slow
@pytest.mark.django_db
def test_readers_left_comments_some_waiting_for_moderation(client, demo):
    assert Comment.objects.pending().count() >= 3
    assert Comment.objects.approved().filter(parent__isnull=False).exists()  # a reply in a thread
    for comment in Comment.objects.select_related("article"):
        assert comment.article.first_published_at <= comment.created_at <= timezone.now()
    lead = demo_article(next(story["key"] for story in STORIES if story.get("lead")))
    page = parse(client.get(lead.url))
    shown = page.get_text()
    assert all(c.body in shown for c in lead.reader_comments.approved())
    assert not any(c.body in shown for c in lead.reader_comments.exclude(status=CommentStatus.APPROVED))


@pytest.mark.slow
@pytest.mark.django_db
def test_a_correction_and_a_right_of_reply_are_on_the_public_record(client, demo):
    correction = CorrectionNote.objects.get(kind="correction")
    assert correction.submission.status == "accepted" and correction.created_by.username == "editor"
    page = parse(client.get(correction.article.url))
    assert correction.text in page.select_one(".correction-notes").get_text()
    assert page.select_one(".article__updated")  # a published note is a substantive update

    reply = PublishedReply.objects.get()
    page = parse(client.get(reply.article.url))
    section = page.select_one(f"#reply-{reply.pk}")
    assert reply.organisation in section.h2.get_text() and reply.statement.split("\n")[0] in section.get_text()
    assert CommentRequest.objects.get(reply=reply).asked_at < reply.article.first_published_at
    assert CommentRequest.objects.filter(reply__isnull=True).exists()  # «تواصلنا مع … ولم يصلنا رد»
    assert ReaderSubmission.objects.filter(status="new").count() >= 2  # the editors' queue is not empty
    log = client.get("/corrections/").content.decode()
    assert correction.text in log


@pytest.mark.slow
@pytest.mark.django_db
def test_a_live_coverage_unfolds_with_key_events_a_correction_and_sources(client, demo):
    (coverage,) = LiveCoveragePage.objects.live()
    assert f"Live coverage: {unquote(coverage.url)}" in demo
    assert coverage.is_open and coverage.get_parent().title == "سوريا"
    entries = coverage.entries.published()
    assert entries.count() >= 30 and not coverage.entries.exclude(status="published").exists()
    assert entries.filter(pinned=True).count() >= 3
    assert LiveEntryCorrection.objects.filter(entry__coverage=coverage).count() >= 1
    assert entries.filter(sources__isnull=False).distinct().count() >= 5
    assert entries.exclude(headline="").exists() and entries.filter(headline="").exists()
    assert set(entries.values_list("author__name", flat=True)) <= {author["name"] for author in AUTHORS}
    assert set(entries.values_list("created_by__username", flat=True)) == {"editor"}
    # Spread over the hours before the load, none in the future.
    times = sorted(entries.values_list("posted_at", flat=True))
    assert timezone.now() - timedelta(hours=12) < times[0] < times[-1] - timedelta(hours=6)
    assert times[-1] <= timezone.now()

    response = client.get(coverage.url)
    assert response.status_code == 200
    page = parse(response)
    shown = [int(entry["data-entry"]) for entry in page.select(".live-entries__list [data-entry]")]
    assert shown == list(entries.order_by("-posted_at", "-pk").values_list("pk", flat=True))
    assert len(page.select(".live-key-events li")) == entries.filter(pinned=True).count()
    (corrected,) = page.select(".live-entry__correction")
    assert LiveEntryCorrection.objects.get().text in corrected.get_text()
    assert page.select(".live-entry__sources")


@pytest.mark.slow
@pytest.mark.django_db
def test_most_read_lists_come_from_reads_recorded_like_the_beacons(client, demo):
    now = timezone.now()
    for story in (story for story in STORIES if "hours_ago" in story):
        article = demo_article(story["key"])
        hours = list(HourlyViews.objects.filter(article=article).values_list("hour", "views"))
        assert all(article.first_published_at - timedelta(hours=1) < hour <= now for hour, _views in hours)
        # Every planned read went through the counter: none refused as a repeat or past an hourly allowance.
        loaded_at = article.first_published_at + timedelta(hours=story["hours_ago"])
        planned = demo_reads_planned(story, article.first_published_at, loaded_at)
        assert article.view_count == sum(views for _hour, views in hours) == len(planned) > 0, story["key"]
    day = [li.get_text(strip=True) for li in parse(client.get("/")).select(".most-read__day li")]
    assert demo_article(next(story["key"] for story in STORIES if story.get("lead"))).title in day


@pytest.mark.slow
@pytest.mark.django_db
def test_related_stories_share_a_tag_or_the_section(client, demo):
    for key in ("aleppo-power-station", "opinion-remittances-lifeline", "berlin-amateur-league-title"):
        article = demo_article(key)
        tags = set(article.tags.values_list("name", flat=True))
        related = parse(client.get(article.url)).select(".related a[href]")
        assert related
        for link in related:
            other = ArticlePage.objects.get(url_path__endswith=unquote(link["href"]))
            shares_tag = tags & set(other.tags.values_list("name", flat=True))
            assert shares_tag or other.get_parent() == article.get_parent(), (article.title, other.title)


@pytest.mark.slow
@pytest.mark.django_db
def test_loading_again_duplicates_nothing(demo):
    before = snapshot()
    scheduled = next(story for story in STORIES if "schedule_in_hours" in story)
    go_live = demo_article(scheduled["key"]).scheduled_revision.approved_go_live_at

    output = load_demo(articles=0, verbosity=1)

    assert snapshot() == before
    assert f"{len(STORIES)} stories (0 new)" in output and "0 illustrations drawn" in output
    assert demo_article(scheduled["key"]).scheduled_revision.approved_go_live_at == go_live


@pytest.mark.slow
@pytest.mark.django_db
def test_a_story_whose_illustration_changed_is_drawn_again(demo, monkeypatch):
    stories = json.loads(json.dumps(STORIES))
    story = next(story for story in stories if story["key"] == "aleppo-power-station")
    story["image"].update(palette="world", alt="رسم لأفق مدينة تحت سماء زرقاء")
    monkeypatch.setattr("news.demo_newsroom.demo_stories", lambda: stories)
    before = demo_article(story["key"]).featured_image
    old_renditions = set(before.renditions.values_list("file", flat=True))
    assert old_renditions  # the loader made the home page's sizes

    output = load_demo(articles=0, verbosity=1)

    assert "1 illustrations drawn" in output
    after = demo_article(story["key"]).featured_image
    assert after.pk == before.pk and after.file_hash != before.file_hash
    assert after.description == "رسم لأفق مدينة تحت سماء زرقاء"
    assert old_renditions.isdisjoint(after.renditions.values_list("file", flat=True))


@pytest.mark.slow
@pytest.mark.django_db
def test_a_scheduled_story_that_went_live_is_scheduled_again_by_the_next_load(demo):
    (story,) = (story for story in STORIES if "schedule_in_hours" in story)
    article = demo_article(story["key"])
    article.go_live_at = None
    article.save_revision().publish()  # as the task worker does when its time comes
    assert demo_article(story["key"]).live

    load_demo(articles=0, verbosity=0)

    article = demo_article(story["key"])
    assert not article.live and article.first_published_at is None
    assert article.revisions.exclude(approved_go_live_at=None).count() == 1
    assert article.scheduled_revision.approved_go_live_at > timezone.now() + timedelta(hours=1)
    assert not ArticlePage.objects.live().filter(external_id=article.external_id).exists()


@pytest.mark.django_db
def test_the_accessibility_statement_is_linked_from_every_footer(client, demo):
    footer = parse(client.get("/")).select_one(".site-footer__nav")
    (link,) = [a for a in footer.select("a") if a.get_text(strip=True) == "بيان إمكانية الوصول"]
    statement = parse(client.get(link["href"]))
    assert statement.select_one("h1").get_text(strip=True) == "بيان إمكانية الوصول"
    text = statement.select_one(".article__body").get_text()
    # What it promises, the site does (tested in tests_browser/test_reader_design.py and here).
    for promise in ("WCAG 2.2", "انتقل إلى المحتوى", "24 × 24", "الوضع الداكن", "نص بديل", "أرسل تصحيحًا"):
        assert promise in text, promise
    # The lite edition it names is linked from the page's footer.
    assert "النسخة الخفيفة من هذه الصفحة" in text
    assert statement.select_one(".site-footer__lite a").get_text() == "النسخة الخفيفة من هذه الصفحة"
    assert statement.select_one("a.skip-link").get_text() == "انتقل إلى المحتوى"
    assert statement.html["lang"] == "ar" and statement.html["dir"] == "rtl"
