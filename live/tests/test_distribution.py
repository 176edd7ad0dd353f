"""How a coverage travels beyond its page: structured data, sharing cards, its feed, the site's feed and sitemaps."""

import json
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from live.models import EntryStatus
from news.factories import ArticlePageFactory, AuthorFactory, DeskFactory, SectionPageFactory, recent
from testing.helpers import parse

pytestmark = pytest.mark.django_db

SITEMAP_SCHEMA = etree.XMLSchema(
    etree.parse(str(Path(__file__).resolve().parents[2] / "news" / "tests" / "fixtures" / "sitemap.xsd"))
)
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def json_ld(page, kind):
    found = [json.loads(script.string) for script in page.find_all("script", type="application/ld+json")]
    return next(item for item in found if item["@type"] == kind)


def meta(page, **attrs):
    return page.find("meta", attrs=attrs)["content"]


def test_an_open_coverage_is_a_live_blog_posting_with_its_entries_and_no_end_yet(client, home):
    coverage = LiveCoveragePageFactory(title="الاشتباكات في ريف حلب", desk=DeskFactory(name="قسم الأخبار"))
    writer = AuthorFactory(name="رامي الأحمد")
    first = LiveEntryFactory(coverage=coverage, posted_at=recent(90), headline="بدء الاشتباكات")
    second = LiveEntryFactory(
        coverage=coverage, posted_at=recent(5), headline="", author=writer, body="<p>وصول الإسعاف إلى البلدة.</p>"
    )
    LiveEntryFactory(coverage=coverage, headline="مسودة", status=EntryStatus.DRAFT)

    data = json_ld(parse(client.get(coverage.url)), "LiveBlogPosting")
    url = "http://testserver" + coverage.url
    assert data["headline"] == "الاشتباكات في ريف حلب"
    assert data["description"] == coverage.summary
    assert data["url"] == url
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert "coverageEndTime" not in data  # open: its end is not known
    started = min(coverage.first_published_at, first.posted_at)
    assert data["coverageStartTime"] == timezone.localtime(started).isoformat()
    assert data["dateModified"] == timezone.localtime(second.published_at).isoformat()
    updates = data["liveBlogUpdate"]
    assert [update["url"] for update in updates] == [f"{url}#entry-{second.pk}", f"{url}#entry-{first.pk}"]
    assert updates[0]["@type"] == "BlogPosting"
    assert updates[0]["headline"] == "وصول الإسعاف إلى البلدة."  # no headline: the text's first words
    assert updates[0]["articleBody"] == "وصول الإسعاف إلى البلدة."
    assert updates[0]["datePublished"] == timezone.localtime(second.published_at).isoformat()
    assert updates[0]["author"] == [
        {"@type": "Person", "name": "رامي الأحمد", "url": "http://testserver" + writer.get_absolute_url()}
    ]
    assert updates[1]["author"][0]["name"] == "قسم الأخبار"


def test_a_closed_coverage_ends_with_its_last_entry(client, home):
    coverage = LiveCoveragePageFactory(is_open=False)
    LiveEntryFactory(coverage=coverage, posted_at=recent(90))
    last = LiveEntryFactory(coverage=coverage, posted_at=recent(30))
    data = json_ld(parse(client.get(coverage.url)), "LiveBlogPosting")
    assert data["coverageEndTime"] == timezone.localtime(last.published_at).isoformat()


def test_entry_text_cannot_close_the_structured_data_script(client, home):
    coverage = LiveCoveragePageFactory()
    LiveEntryFactory(coverage=coverage, headline="</script><script>alert(1)</script>", body="<p>نص.</p>")
    page = parse(client.get(coverage.url))
    assert json_ld(page, "LiveBlogPosting")["liveBlogUpdate"][0]["headline"].startswith("</script>")
    # Had it closed the element, the alert would be a script of its own.
    scripts = [script for script in page.find_all("script") if "alert(1)" in (script.string or "")]
    assert [script["type"] for script in scripts] == ["application/ld+json"]


def test_the_sharing_card_follows_the_latest_key_event(client, home, django_capture_on_commit_callbacks):
    coverage = LiveCoveragePageFactory(title="الانتخابات البلدية", summary="النتائج أولًا بأول.")
    page = parse(client.get(coverage.url))
    assert meta(page, property="og:title") == "الانتخابات البلدية"
    assert meta(page, property="og:description") == "النتائج أولًا بأول."
    assert client.get(coverage.url)["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        LiveEntryFactory(coverage=coverage, posted_at=recent(20), headline="فتح الصناديق", pinned=True)
        LiveEntryFactory(coverage=coverage, posted_at=recent(10), headline="تحديث عادي")
    page = parse(client.get(coverage.url))
    assert meta(page, property="og:description") == "فتح الصناديق"
    assert meta(page, name="twitter:description") == "فتح الصناديق"
    assert meta(page, name="twitter:title") == "الانتخابات البلدية"

    with django_capture_on_commit_callbacks(execute=True):
        LiveEntryFactory(coverage=coverage, posted_at=recent(1), headline="إعلان الفائز", pinned=True)
    assert meta(parse(client.get(coverage.url)), property="og:description") == "إعلان الفائز"


def feed(client, coverage, name="live:feed"):
    response = client.get(reverse(name, args=[coverage.pk]))
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return response, parsed


@pytest.mark.parametrize("name", ["live:feed", "live:feed_atom"])
def test_the_coverage_feed_has_its_published_entries_newest_first(client, home, name):
    coverage = LiveCoveragePageFactory(title="العاصفة الثلجية")
    older = LiveEntryFactory(coverage=coverage, posted_at=recent(60), headline="إغلاق الطرق")
    newer = LiveEntryFactory(
        coverage=coverage, posted_at=recent(5), headline="", body="<p>فتح طريق المطار &amp; الميناء.</p>"
    )
    LiveEntryFactory(coverage=coverage, headline="مسودة", status=EntryStatus.DRAFT)

    _response, parsed = feed(client, coverage, name)
    assert parsed.feed.title.startswith("العاصفة الثلجية")
    url = "http://testserver" + coverage.url
    assert [item.link for item in parsed.entries] == [f"{url}#entry-{newer.pk}", f"{url}#entry-{older.pk}"]
    assert [item.title for item in parsed.entries] == ["فتح طريق المطار & الميناء.", "إغلاق الطرق"]
    assert parsed.entries[1].published_parsed[:6] == older.published_at.utctimetuple()[:6]
    guids = [item.id for item in parsed.entries]
    assert guids[0].endswith(f"#entry-{newer.pk}") and len(set(guids)) == 2
    # The guid does not change when the page is renamed.
    coverage.slug = "renamed"
    coverage.save_revision().publish()
    assert [item.id for item in feed(client, coverage, name)[1].entries] == guids


def test_the_page_links_its_feeds(client, home):
    coverage = LiveCoveragePageFactory(title="العاصفة الثلجية")
    page = parse(client.get(coverage.url))
    links = {link["href"]: link["type"] for link in page.find_all("link", rel="alternate")}
    assert links[reverse("live:feed", args=[coverage.pk])] == "application/rss+xml"
    assert links[reverse("live:feed_atom", args=[coverage.pk])] == "application/atom+xml"


def test_a_posted_entry_makes_the_kept_feed_stale(client, home, django_capture_on_commit_callbacks):
    coverage = LiveCoveragePageFactory()
    LiveEntryFactory(coverage=coverage)
    assert feed(client, coverage)[0]["X-Cache"] == "MISS"
    assert feed(client, coverage)[0]["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        posted = LiveEntryFactory(coverage=coverage, headline="خبر جديد")
    response, parsed = feed(client, coverage)
    assert response["X-Cache"] == "MISS"
    assert parsed.entries[0].title == "خبر جديد"
    assert parsed.entries[0].link.endswith(f"#entry-{posted.pk}")


def test_a_draft_or_restricted_coverage_has_no_feed(client, home):
    draft = LiveCoveragePageFactory(live=False)
    assert client.get(reverse("live:feed", args=[draft.pk])).status_code == 404


def test_the_site_feed_lists_a_coverage_beside_articles(client, home):
    older = ArticlePageFactory(title="خبر الأمس", first_published_at=recent(24 * 60))
    coverage = LiveCoveragePageFactory(title="الفيضانات في الشمال", first_published_at=recent(60))
    newer = ArticlePageFactory(title="خبر الساعة", first_published_at=recent(5))
    LiveEntryFactory(coverage=coverage)
    for name in ("news:feed", "news:feed_atom"):
        parsed = feedparser.parse(client.get(reverse(name)).content)
        assert not parsed.bozo, parsed.bozo_exception
        titles = [item.title for item in parsed.entries]
        assert titles.index(newer.title) < titles.index(coverage.title) < titles.index(older.title)
        item = parsed.entries[titles.index(coverage.title)]
        assert item.link == "http://testserver" + coverage.url
        assert item.id == "http://testserver" + reverse("live:short_link", args=[coverage.pk])
    assert client.get(reverse("live:short_link", args=[coverage.pk]))["Location"] == coverage.url


def test_a_section_feed_lists_the_coverages_below_it_and_no_other_feed_does(client, home):
    politics, economy = SectionPageFactory(title="سياسة"), SectionPageFactory(title="اقتصاد")
    desk = DeskFactory(name="قسم الأخبار")
    article = ArticlePageFactory(parent=politics, title="خبر سياسي", desk=desk, first_published_at=recent(24 * 60))
    coverage = LiveCoveragePageFactory(parent=politics, title="جلسة البرلمان مباشرة")
    elsewhere = LiveCoveragePageFactory(parent=economy, title="سعر الصرف مباشرة")
    for name in ("news:section_feed", "news:section_feed_atom"):
        parsed = feedparser.parse(client.get(reverse(name, args=[politics.pk])).content)
        assert not parsed.bozo, parsed.bozo_exception
        assert [item.title for item in parsed.entries] == [coverage.title, article.title]
    economy_feed = feedparser.parse(client.get(reverse("news:section_feed", args=[economy.pk])).content)
    assert [item.title for item in economy_feed.entries] == [elsewhere.title]
    desk_feed = feedparser.parse(client.get(reverse("news:desk_feed", args=[desk.slug])).content)
    assert [item.title for item in desk_feed.entries] == [article.title]


def test_a_coverage_in_the_site_feed_is_kept_until_its_next_entry(client, home, whole_pages_off):
    coverage = LiveCoveragePageFactory(lead_image=wagtail_factories.ImageFactory())
    LiveEntryFactory(coverage=coverage, published_at=recent(30))
    client.get(reverse("news:feed_atom"))
    with CaptureQueriesContext(connection) as queries:
        parsed = feedparser.parse(client.get(reverse("news:feed_atom")).content)
    assert not any("wagtailimages_rendition" in query["sql"] for query in queries.captured_queries)
    before = parsed.entries[0].updated_parsed

    LiveEntryFactory(coverage=coverage, published_at=recent(1))
    after = feedparser.parse(client.get(reverse("news:feed_atom")).content).entries[0].updated_parsed
    assert after > before


def sitemap(client, url):
    response = client.get(url)
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    SITEMAP_SCHEMA.assertValid(document)
    return document


def test_the_sitemaps_list_public_coverages_and_google_news_the_recent_ones(client, home):
    fresh = LiveCoveragePageFactory(title="الانتخابات البلدية", first_published_at=recent(3 * 60))
    entry = LiveEntryFactory(coverage=fresh, posted_at=recent(2))
    old = LiveCoveragePageFactory(first_published_at=recent(50 * 60))
    draft = LiveCoveragePageFactory(live=False)

    index = sitemap(client, "/sitemap.xml")
    assert "http://testserver/sitemap-pages.xml" in [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS)]
    pages = sitemap(client, "/sitemap-pages.xml")
    lastmods = {
        unquote(url.findtext("sm:loc", namespaces=NS)): url.findtext("sm:lastmod", namespaces=NS)
        for url in pages.iterfind("sm:url", NS)
    }
    assert set(lastmods) == {f"http://testserver{unquote(page.url)}" for page in (fresh, old)}
    # As new as its newest entry.
    assert (
        lastmods[f"http://testserver{unquote(fresh.url)}"] == timezone.localtime(entry.published_at).date().isoformat()
    )
    assert draft.url is None or unquote(draft.url or "") not in lastmods

    news = sitemap(client, "/sitemap-news.xml")
    urls = news.findall("sm:url", NS)
    assert [unquote(url.findtext("sm:loc", namespaces=NS)) for url in urls] == [
        f"http://testserver{unquote(fresh.url)}"
    ]
    assert urls[0].findtext("news:news/news:title", namespaces=NS) == "الانتخابات البلدية"
    assert urls[0].findtext("news:news/news:publication/news:language", namespaces=NS) == "ar"
    published = urls[0].findtext("news:news/news:publication_date", namespaces=NS)
    assert timezone.datetime.fromisoformat(published) == fresh.first_published_at.replace(microsecond=0)
