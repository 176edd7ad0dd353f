"""What readers see: the coverage's page, and the endpoint its script polls; both kept until an entry is posted."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from arabic.dates import format_date
from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from live.models import CHANGE_SETTLING, ClosedOrder, EntryStatus, LiveEntry, LiveEntryCorrection
from news.factories import AuthorFactory, DeskFactory, recent
from testing.helpers import RecordingBackend, parse

pytestmark = pytest.mark.django_db


def updates(client, coverage, after="", since=None):
    query = {"after": after} if since is None else {"after": after, "since": since}
    return client.get(reverse("live:updates", args=[coverage.pk]), query)


def page_version(client, coverage):
    """What a reader's page, rendered now, tells its script it shows."""
    box = parse(client.get(coverage.url)).select_one(".live-updates")
    return box["data-after"], box["data-version"]


def shown_entries(page):
    return [int(entry["data-entry"]) for entry in page.select(".live-entries__list [data-entry]")]


def test_an_open_coverage_shows_key_events_then_entries_newest_first(client, home):
    coverage = LiveCoveragePageFactory(
        title="الاشتباكات في ريف حلب", summary="ما نعرفه حتى الآن.", desk=DeskFactory(name="قسم الأخبار")
    )
    writer = AuthorFactory(name="رامي الأحمد")
    old = LiveEntryFactory(coverage=coverage, posted_at=recent(60), headline="بدء الاشتباكات", pinned=True)
    new = LiveEntryFactory(coverage=coverage, posted_at=recent(5), author=writer, body="<p>وصول <b>الإسعاف</b>.</p>")
    new.sources.create(name="الدفاع المدني", url="https://example.org/civil")
    new.save()
    LiveEntryFactory(coverage=coverage, posted_at=recent(1), headline="مسودة لم تنشر", status=EntryStatus.DRAFT)

    page = parse(client.get(coverage.url))
    assert page.html["dir"] == "rtl"
    assert page.h1.get_text() == "الاشتباكات في ريف حلب"
    assert page.select_one(".article__standfirst").get_text() == "ما نعرفه حتى الآن."
    assert page.select_one(".article__byline").get_text(strip=True) == "قسم الأخبار"
    key_events = page.select_one(".live-key-events")
    assert key_events.h2.get_text() == "أبرز التطورات"
    assert [a["href"] for a in key_events.select("li a")] == [f"#entry-{old.pk}"]
    assert shown_entries(page) == [new.pk, old.pk]
    newest = page.select_one(f"#entry-{new.pk}")
    assert newest.select_one(".live-entry__body b").get_text() == "الإسعاف"
    assert newest.select_one(".live-entry__author").get_text() == "رامي الأحمد"
    assert newest.select_one(".live-entry__sources a")["href"] == "https://example.org/civil"
    time = newest.select_one(".live-entry__time time")
    assert time.get_text() == format_date(new.posted_at, with_time=True)
    assert "مسودة لم تنشر" not in page.get_text()
    assert page.find(string=lambda text: text and "مغلقة" in text) is None
    box = page.select_one(".live-updates")
    assert box["data-updates"] == reverse("live:updates", args=[coverage.pk])
    assert box["data-after"] == str(new.pk)
    assert page.find("script", src="/static/live/live.js") is not None


def test_a_closed_coverage_says_so_and_keeps_the_chosen_order_without_polling(client, home):
    coverage = LiveCoveragePageFactory(is_open=False, closed_order=ClosedOrder.OLDEST_FIRST)
    old = LiveEntryFactory(coverage=coverage, posted_at=recent(60))
    new = LiveEntryFactory(coverage=coverage, posted_at=recent(5))
    page = parse(client.get(coverage.url))
    assert "مغلقة" in page.select_one(".live-closed").get_text()
    assert shown_entries(page) == [old.pk, new.pk]
    assert page.select_one(".live-updates") is None
    assert page.find("script", src="/static/live/live.js") is None


def test_the_updates_endpoint_sends_entries_published_after_the_one_shown(client, home):
    coverage = LiveCoveragePageFactory()
    shown = LiveEntryFactory(coverage=coverage)
    draft = LiveEntryFactory(coverage=coverage, status=EntryStatus.DRAFT)
    assert updates(client, coverage, shown.pk).json()["count"] == 0

    newer = LiveEntryFactory(coverage=coverage, headline="تطور جديد")
    draft.status = EntryStatus.PUBLISHED
    draft.save()
    data = updates(client, coverage, shown.pk).json()
    assert (data["count"], data["latest"], data["open"]) == (2, draft.pk, True)
    assert data["label"] == "تحديثات جديدة (2)"
    fragment = BeautifulSoup(data["html"], "lxml")
    assert [int(entry["data-entry"]) for entry in fragment.select("[data-entry]")] == [draft.pk, newer.pk]
    assert updates(client, coverage).json()["count"] == 3  # a page shown before any entry asks for all


def test_the_updates_endpoint_refuses_what_it_does_not_know(client, home):
    coverage = LiveCoveragePageFactory()
    draft = LiveEntryFactory(coverage=coverage, status=EntryStatus.DRAFT)
    elsewhere = LiveEntryFactory()
    for after in ("abc", "9" * 30, draft.pk, elsewhere.pk):
        assert updates(client, coverage, after).status_code == 404, after
    unpublished = LiveCoveragePageFactory(live=False)
    assert updates(client, unpublished).status_code == 404


def test_the_updates_endpoint_is_kept_seconds_by_shared_caches(client, home):
    coverage = LiveCoveragePageFactory()
    entry = LiveEntryFactory(coverage=coverage)
    first = updates(client, coverage, entry.pk)
    second = updates(client, coverage, entry.pk)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    for response in (first, second):
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=5"
        assert response["X-Accel-Expires"] == "1"
    assert first.content == second.content
    assert client.get(coverage.url)["Cache-Control"].startswith("public, max-age=0, s-maxage=60")


def test_a_posted_entry_or_correction_shows_at_once_on_the_kept_page_and_endpoint(
    client, home, django_capture_on_commit_callbacks
):
    coverage = LiveCoveragePageFactory()
    shown = LiveEntryFactory(coverage=coverage)
    assert client.get(coverage.url)["X-Cache"] == "MISS"
    assert client.get(coverage.url)["X-Cache"] == "HIT"
    assert updates(client, coverage, shown.pk).json()["count"] == 0
    assert updates(client, coverage, shown.pk)["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        posted = LiveEntryFactory(coverage=coverage, headline="خبر عاجل من المعبر")
    page = client.get(coverage.url)
    assert page["X-Cache"] == "MISS"
    assert shown_entries(parse(page)) == [posted.pk, shown.pk]
    answer = updates(client, coverage, shown.pk)
    assert answer["X-Cache"] == "MISS"
    assert answer.json()["latest"] == posted.pk

    with django_capture_on_commit_callbacks(execute=True):
        LiveEntryCorrection.objects.create(entry=shown, text="الصحيح: المعبر الشمالي.")
    page = parse(client.get(coverage.url))
    assert "الصحيح: المعبر الشمالي." in page.select_one(f"#entry-{shown.pk}").get_text()


def test_entries_already_shown_come_back_when_edited_corrected_or_pinned(
    client, home, django_capture_on_commit_callbacks
):
    coverage = LiveCoveragePageFactory()
    edited = LiveEntryFactory(coverage=coverage, headline="سقوط ثلاث قذائف", posted_at=recent(30))
    corrected = LiveEntryFactory(coverage=coverage, posted_at=recent(20))
    pinned = LiveEntryFactory(coverage=coverage, headline="فتح المعبر", posted_at=recent(10))
    # Posted a while ago: past the seconds a change is sent again (CHANGE_SETTLING).
    LiveEntry.objects.filter(coverage=coverage).update(changed_at=F("changed_at") - CHANGE_SETTLING)
    after, version = page_version(client, coverage)
    unchanged = updates(client, coverage, after, version).json()
    assert (unchanged["changed"], unchanged["version"]) == ([], version)
    assert unchanged["key_events"].strip() == ""
    assert updates(client, coverage, after, version)["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        edited.headline = "سقوط قذيفتين"
        edited.save()
        LiveEntryCorrection.objects.create(entry=corrected, text="الصحيح: قرب المعبر الشمالي.")
        pinned.pinned = True
        pinned.save()
        LiveEntryFactory(coverage=coverage, status=EntryStatus.DRAFT)  # a draft changes nothing for readers
        posted = LiveEntryFactory(coverage=coverage, headline="وصول الإسعاف")
    answer = updates(client, coverage, after, version)
    assert answer["X-Cache"] == "MISS"  # the coverage's tag made the kept answer stale
    data = answer.json()
    assert data["count"] == 1 and data["latest"] == posted.pk  # the new one, offered behind the button
    assert [change["id"] for change in data["changed"]] == [edited.pk, corrected.pk, pinned.pk]
    changes = {change["id"]: BeautifulSoup(change["html"], "lxml") for change in data["changed"]}
    assert changes[edited.pk].select_one(".live-entry__headline").get_text() == "سقوط قذيفتين"
    correction = changes[corrected.pk].select_one(f"#entry-{corrected.pk} .live-entry__correction")
    assert "الصحيح: قرب المعبر الشمالي." in correction.get_text()
    assert changes[pinned.pk].select_one(".live-entry--pinned")
    key_events = BeautifulSoup(data["key_events"], "lxml").select_one(".live-key-events")
    assert [a["href"] for a in key_events.select("li a")] == [f"#entry-{pinned.pk}"]
    assert int(data["version"]) > int(version)

    # For a few seconds a page that took them is sent them again (a change committed late is not
    # missed); once they are older than that, nothing has changed since the version it was given.
    again = updates(client, coverage, posted.pk, data["version"]).json()
    assert {change["id"] for change in again["changed"]} <= {edited.pk, corrected.pk, pinned.pk, posted.pk}
    LiveEntry.objects.filter(coverage=coverage).update(changed_at=F("changed_at") - CHANGE_SETTLING)
    settled = updates(client, coverage, posted.pk, page_version(client, coverage)[1]).json()
    assert settled["changed"] == []
    assert page_version(client, coverage)[0] == str(posted.pk)


def test_a_change_committed_after_a_later_one_still_reaches_open_pages(client, home):
    coverage = LiveCoveragePageFactory()
    late = LiveEntryFactory(coverage=coverage, posted_at=recent(20))
    early = LiveEntryFactory(coverage=coverage, posted_at=recent(10))
    LiveEntry.objects.filter(pk=late.pk).update(changed_at=timezone.now() - timedelta(minutes=5))
    # The later change commits first: a reader polls and is told a version.
    LiveEntry.objects.filter(pk=early.pk).update(changed_at=timezone.now())
    version = updates(client, coverage, early.pk, "1").json()["version"]
    # The earlier one, saved a second before, commits now.
    LiveEntry.objects.filter(pk=late.pk).update(changed_at=timezone.now() - timedelta(seconds=1))
    assert late.pk in [change["id"] for change in updates(client, coverage, early.pk, version).json()["changed"]]


def test_an_old_or_made_up_version_costs_at_most_fifty_entries(client, home):
    coverage = LiveCoveragePageFactory()
    entries = LiveEntryFactory.create_batch(55, coverage=coverage)
    changed = updates(client, coverage, entries[-1].pk, "1").json()["changed"]
    assert len(changed) == 50


def test_the_updates_endpoint_refuses_a_version_it_did_not_write(client, home):
    coverage = LiveCoveragePageFactory()
    entry = LiveEntryFactory(coverage=coverage)
    for since in ("abc", "-1", "9" * 18, "1.5"):
        assert updates(client, coverage, entry.pk, since).status_code == 404, since


def test_another_coverage_stays_kept_when_an_entry_is_posted(client, home):
    coverage, other = LiveCoveragePageFactory(), LiveCoveragePageFactory()
    client.get(other.url)
    LiveEntryFactory(coverage=coverage)
    assert client.get(other.url)["X-Cache"] == "HIT"


def test_the_lite_edition_shows_the_entries_as_text(client, home):
    coverage = LiveCoveragePageFactory(is_open=False)
    entry = LiveEntryFactory(coverage=coverage, headline="انتهاء الاشتباكات", pinned=True)
    LiveEntryCorrection.objects.create(entry=entry, text="الصحيح: فجرًا.")
    page = parse(client.get("/lite" + coverage.url))
    assert page.find("script") is None
    assert page.select_one(f"#entry-{entry.pk} h2").get_text() == "انتهاء الاشتباكات"
    assert "الصحيح: فجرًا." in page.select_one(f"#entry-{entry.pk}").get_text()
    assert "مغلقة" in page.get_text()


def test_a_posted_entry_purges_the_coverages_page_from_a_cdn(home, settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": "testing.helpers.RecordingBackend"}}
    RecordingBackend.purged = []
    coverage = LiveCoveragePageFactory()
    # The first entry in two hours moves the coverage up the listings too (live/listings.py):
    # the home page and the sections above it, and their feeds, are purged with it.
    with django_capture_on_commit_callbacks(execute=True):
        LiveEntryFactory(coverage=coverage)
    section = coverage.get_parent()
    feeds = {f"/live/{coverage.pk}/feed/", f"/live/{coverage.pk}/feed/atom/"}
    listing_feeds = {"/feed/", "/feed/atom/", f"/feed/section/{section.pk}/", f"/feed/section/{section.pk}/atom/"}
    lite = {"/lite" + coverage.url, "/lite" + section.url, "/lite/"}  # the lite edition's copies, but of feeds
    assert {url.removeprefix("http://localhost") for url in RecordingBackend.purged} == {
        coverage.url,
        *feeds,
        section.url,
        home.url,
        *listing_feeds,
        *lite,
    }
    # The next ones within minutes are the coverage's news alone: its page (both editions) and its feeds.
    RecordingBackend.purged = []
    with django_capture_on_commit_callbacks(execute=True):
        LiveEntryFactory(coverage=coverage)
    purged = {url.removeprefix("http://localhost") for url in RecordingBackend.purged}
    assert purged == {coverage.url, "/lite" + coverage.url, *feeds}
