"""Live coverages among the articles of the home and section pages, placed by their latest news."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from news.factories import ArticlePageFactory, SectionPageFactory
from testing.helpers import RecordingBackend, parse

pytestmark = pytest.mark.django_db

START = datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC)


def at(minutes):
    return START + datetime.timedelta(minutes=minutes)


def titles(cards):
    return [card.select_one(".card__title a").get_text() for card in cards]


def label(page, title):
    card = next(card for card in page.select(".card") if card.select_one(".card__title a").get_text() == title)
    found = card.select_one(".card__label")
    return found.get_text() if found else None


@pytest.fixture
def section(home):
    return SectionPageFactory(title="سياسة")


def test_a_coverage_is_listed_with_its_label_on_the_home_page_and_its_section(client, section):
    ArticlePageFactory(parent=section, title="خبر أقدم", first_published_at=at(0))
    ArticlePageFactory(parent=section, title="خبر قبل التغطية", first_published_at=at(10))
    LiveCoveragePageFactory(parent=section, title="الانتخابات مباشرة", first_published_at=at(20))
    LiveCoveragePageFactory(parent=section, title="الفيضانات", first_published_at=at(5), is_open=False)
    ArticlePageFactory(parent=section, title="خبر رئيسي", first_published_at=at(30))

    home = parse(client.get("/"))
    assert titles(home.select(".lead .card")) == ["خبر رئيسي"]
    latest = titles([*home.select(".second-tier .card"), *home.select(".latest .card")])
    assert latest == ["الانتخابات مباشرة", "خبر قبل التغطية", "الفيضانات", "خبر أقدم"]
    assert label(home, "الانتخابات مباشرة") == "مباشر"
    assert label(home, "الفيضانات") == "انتهت التغطية"
    assert label(home, "خبر أقدم") is None
    block = home.select_one(f"#section-{section.pk}").find_parent("section")
    assert titles(block.select(".card")) == ["خبر رئيسي", "الانتخابات مباشرة", "خبر قبل التغطية", "الفيضانات"]

    listing = parse(client.get(section.url))
    assert titles(listing.select(".listing .card")) == [
        "خبر رئيسي",
        "الانتخابات مباشرة",
        "خبر قبل التغطية",
        "الفيضانات",
        "خبر أقدم",
    ]
    assert label(listing, "الانتخابات مباشرة") == "مباشر"


def test_an_article_made_live_in_code_without_a_publication_date_does_not_break_the_listings(client, section):
    """As `add_child` leaves a page by default (live, never published): listed last, beside a coverage."""
    LiveCoveragePageFactory(parent=section, title="الانتخابات مباشرة", first_published_at=at(20))
    ArticlePageFactory(parent=section, title="خبر منشور", first_published_at=at(10))
    undated = ArticlePageFactory(parent=section, title="خبر بلا تاريخ")
    type(undated).objects.filter(pk=undated.pk).update(first_published_at=None)

    home = client.get("/")
    assert home.status_code == 200
    assert "الانتخابات مباشرة" in titles(parse(home).select(".card"))
    assert client.get(section.url).status_code == 200


def test_a_coverage_elsewhere_or_unpublished_is_not_listed(client, section):
    ArticlePageFactory(parent=section, first_published_at=at(0))
    LiveCoveragePageFactory(parent=SectionPageFactory(title="رياضة"), title="المباراة مباشرة")
    LiveCoveragePageFactory(parent=section, title="تغطية لم تنشر", live=False)
    listing = parse(client.get(section.url)).get_text()
    assert "المباراة مباشرة" not in listing
    assert "تغطية لم تنشر" not in listing
    assert "تغطية لم تنشر" not in parse(client.get("/")).get_text()


def test_each_page_of_a_section_takes_the_coverages_of_its_dates(client, section, settings):
    settings.NASHIR_PAGE_CACHE = False
    for minute in range(25):  # page 1: minutes 24..5; page 2: 4..0
        ArticlePageFactory(parent=section, title=f"خبر {minute}", first_published_at=at(minute))
    LiveCoveragePageFactory(parent=section, title="تغطية حديثة", first_published_at=at(30))
    LiveCoveragePageFactory(
        parent=section,
        title="تغطية بين الصفحتين",
        first_published_at=at(
            4,
        )
        + datetime.timedelta(seconds=30),
    )
    LiveCoveragePageFactory(parent=section, title="تغطية قديمة", first_published_at=at(-5))

    first = titles(parse(client.get(section.url)).select(".listing .card"))
    second = titles(parse(client.get(section.url, {"page": 2})).select(".listing .card"))
    assert first[0] == "تغطية حديثة" and "تغطية بين الصفحتين" not in first and first[-1] == "خبر 5"
    assert second == ["تغطية بين الصفحتين", "خبر 4", "خبر 3", "خبر 2", "خبر 1", "خبر 0", "تغطية قديمة"]


def test_a_new_entry_moves_an_open_coverage_up_and_makes_the_listings_stale(
    client, section, django_capture_on_commit_callbacks, settings
):
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": "testing.helpers.RecordingBackend"}}
    RecordingBackend.purged = []
    coverage = LiveCoveragePageFactory(parent=section, title="القمة مباشرة", first_published_at=at(0))
    ArticlePageFactory(parent=section, title="خبر أحدث", first_published_at=at(60))
    ArticlePageFactory(parent=section, title="خبر رئيسي", first_published_at=at(70))
    assert titles(parse(client.get(section.url)).select(".card"))[-1] == "القمة مباشرة"
    assert client.get(section.url)["X-Cache"] == "HIT"
    client.get("/")

    # Within ten minutes of its last move, an entry leaves the lists as they are.
    with django_capture_on_commit_callbacks(execute=True):
        LiveEntryFactory(coverage=coverage, published_at=at(5))
    assert client.get(section.url)["X-Cache"] == "HIT"
    assert client.get("/")["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        LiveEntryFactory(coverage=coverage, published_at=at(65))
    coverage.refresh_from_db()
    assert coverage.listed_at == at(65)
    response = client.get(section.url)
    assert response["X-Cache"] == "MISS"
    assert titles(parse(response).select(".card")) == ["خبر رئيسي", "القمة مباشرة", "خبر أحدث"]
    assert titles(parse(client.get("/")).select(".second-tier .card")) == ["القمة مباشرة", "خبر أحدث"]
    purged = {url.removeprefix("http://localhost") for url in RecordingBackend.purged}
    assert {"/", section.url, coverage.url} <= purged

    # An edit of an entry keeps its publication time: nothing moves.
    entry = coverage.entries.first()
    client.get(section.url)
    entry.headline = "عنوان مصحح"
    with django_capture_on_commit_callbacks(execute=True):
        entry.save()
    assert client.get(section.url)["X-Cache"] == "HIT"


def test_coverages_cost_the_home_and_section_pages_one_query_whatever_their_number(client, section, settings):
    settings.NASHIR_PAGE_CACHE = False
    settings.NASHIR_FRAGMENT_CACHE = False
    for minute in range(6):
        ArticlePageFactory(parent=section, first_published_at=at(minute))

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    before = {url: queries(url) for url in ("/", section.url)}
    LiveCoveragePageFactory(parent=section, first_published_at=at(10))
    one = {url: queries(url) for url in ("/", section.url)}
    for minute in range(4):
        LiveCoveragePageFactory(parent=section, first_published_at=at(11 + minute))
    many = {url: queries(url) for url in ("/", section.url)}
    assert one == many
    assert all(one[url] <= before[url] + 1 for url in before)


def test_publishing_the_coverage_again_keeps_the_place_its_entries_gave_it(section):
    coverage = LiveCoveragePageFactory(parent=section, first_published_at=at(0))
    draft = coverage.save_revision()  # an edit of the summary, saved before the entries came
    LiveEntryFactory(coverage=coverage, published_at=at(65))
    coverage.refresh_from_db()
    assert coverage.listed_at == at(65)
    draft.publish()
    coverage.refresh_from_db()
    assert coverage.listed_at == at(65)


def test_an_open_coverage_set_to_lead_takes_the_home_pages_lead_until_it_closes(client, home, section):
    chosen = ArticlePageFactory(parent=section, title="الخبر الرئيسي المختار", first_published_at=at(0))
    ArticlePageFactory(parent=section, title="خبر أحدث", first_published_at=at(5))
    home.lead_article = chosen
    home.save_revision().publish()
    coverage = LiveCoveragePageFactory(
        parent=section, title="الزلزال مباشرة", first_published_at=at(10), leads_home=True
    )
    LiveCoveragePageFactory(parent=section, title="تغطية لا تتصدر", first_published_at=at(15))

    page = parse(client.get("/"))
    assert titles(page.select(".lead .card")) == ["الزلزال مباشرة"]
    assert label(page, "الزلزال مباشرة") == "مباشر"
    latest = titles(page.select(".second-tier .card, .latest .card"))
    assert "الخبر الرئيسي المختار" in latest and "الزلزال مباشرة" not in latest
    lite = parse(client.get("/lite/"))
    assert lite.h2.get_text(" ", strip=True) == "مباشر: الزلزال مباشرة"

    coverage.is_open = False
    coverage.save_revision().publish()
    page = parse(client.get("/"))
    assert titles(page.select(".lead .card")) == ["الخبر الرئيسي المختار"]
    assert "الزلزال مباشرة" in titles(page.select(".second-tier .card, .latest .card"))
    assert parse(client.get("/lite/")).h2.get_text(" ", strip=True) == "الخبر الرئيسي المختار"


def test_a_coverage_behind_a_password_or_unpublished_does_not_lead(client, home, section):
    from wagtail.models import PageViewRestriction

    ArticlePageFactory(parent=section, title="أحدث خبر", first_published_at=at(0))
    restricted = LiveCoveragePageFactory(parent=section, title="تغطية محمية", leads_home=True)
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")
    LiveCoveragePageFactory(parent=section, title="تغطية مسودة", leads_home=True, live=False)
    assert titles(parse(client.get("/")).select(".lead .card")) == ["أحدث خبر"]
