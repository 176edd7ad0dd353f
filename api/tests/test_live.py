"""Live coverages and their entries in the API, checked against the OpenAPI document."""

import pytest
from django.urls import reverse

from api.tests.test_api import API, checked
from api.tests.test_api import openapi as openapi  # the fixture
from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from live.models import EntryStatus, LiveEntryCorrection
from news.factories import AuthorFactory, DeskFactory, SectionPageFactory, recent

pytestmark = pytest.mark.django_db


@pytest.fixture
def coverage(home):
    section = SectionPageFactory(title="سوريا")
    return LiveCoveragePageFactory(title="الزلزال: تغطية مباشرة", parent=section, desk=DeskFactory(name="قسم الأخبار"))


def test_coverages_are_listed_and_described(client, openapi, coverage):
    LiveCoveragePageFactory(live=False)
    entry = LiveEntryFactory(coverage=coverage)
    listed = checked(client, openapi, "/live")
    assert [item["id"] for item in listed["items"]] == [coverage.pk]
    data = checked(client, openapi, f"/live/{coverage.pk}", "/live/{coverage_id}")
    assert data == listed["items"][0]
    assert data["url"] == "http://testserver" + coverage.url
    assert data["section"]["title"] == "سوريا"
    assert data["desk"]["name"] == "قسم الأخبار"
    assert data["is_open"] is True
    assert data["last_entry_at"].startswith(entry.published_at.isoformat()[:19])
    assert data["entries"] == f"http://testserver{API}/live/{coverage.pk}/entries"
    assert data["feed"] == "http://testserver" + reverse("live:feed", args=[coverage.pk])


def test_a_coverages_published_entries_newest_first_and_after_one(client, openapi, coverage):
    writer = AuthorFactory(name="سلمى الحلبي")
    first = LiveEntryFactory(coverage=coverage, posted_at=recent(30), headline="بدء الإنقاذ", author=writer)
    first.sources.create(name="الدفاع المدني", url="https://example.org/")
    first.save()
    LiveEntryCorrection.objects.create(entry=first, text="الصحيح: ثلاث فرق.")
    second = LiveEntryFactory(coverage=coverage, posted_at=recent(5), pinned=True)
    LiveEntryFactory(coverage=coverage, status=EntryStatus.DRAFT)
    template = "/live/{coverage_id}/entries"

    data = checked(client, openapi, f"/live/{coverage.pk}/entries", template)
    assert data["count"] == 2
    assert [item["id"] for item in data["items"]] == [second.pk, first.pk]
    shown = data["items"][1]
    assert shown["url"] == f"http://testserver{coverage.url}#entry-{first.pk}"
    assert shown["author"]["name"] == "سلمى الحلبي"
    assert shown["sources"] == [{"name": "الدفاع المدني", "url": "https://example.org/"}]
    assert [note["text"] for note in shown["corrections"]] == ["الصحيح: ثلاث فرق."]
    assert data["items"][0]["pinned"] is True

    since = checked(client, openapi, f"/live/{coverage.pk}/entries", template, after=first.pk)
    assert [item["id"] for item in since["items"]] == [second.pk]
    paged = checked(client, openapi, f"/live/{coverage.pk}/entries", template, limit=1, offset=1)
    assert [item["id"] for item in paged["items"]] == [first.pk]


def test_unknown_or_unpublished_coverages_and_entries_are_refused(client, openapi, coverage):
    draft = LiveEntryFactory(coverage=coverage, status=EntryStatus.DRAFT)
    other = LiveEntryFactory()
    unpublished = LiveCoveragePageFactory(live=False)
    template = "/live/{coverage_id}/entries"
    checked(client, openapi, f"/live/{unpublished.pk}", "/live/{coverage_id}", status=404)
    checked(client, openapi, f"/live/{unpublished.pk}/entries", template, status=404)
    for after in (draft.pk, other.pk):
        checked(client, openapi, f"/live/{coverage.pk}/entries", template, status=404, after=after)
    assert client.get(f"{API}/live/{coverage.pk}/entries", {"after": "x"}).status_code == 400


def test_a_posted_entry_changes_the_answer_and_its_etag(client, coverage):
    LiveEntryFactory(coverage=coverage)
    url = f"{API}/live/{coverage.pk}/entries"
    response = client.get(url)
    assert "public" in response["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    posted = LiveEntryFactory(coverage=coverage)
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 200
    assert again.json()["items"][0]["id"] == posted.pk


def test_a_story_whose_section_was_unpublished_alone_has_no_section(client, openapi, coverage):
    from news.factories import ArticlePageFactory

    article = ArticlePageFactory(parent=coverage.get_parent())
    section = coverage.get_parent()
    section.unpublish()  # the stories under it stay live (the admin asks whether to take them too)
    assert checked(client, openapi, f"/live/{coverage.pk}", "/live/{coverage_id}")["section"] is None
    listed = checked(client, openapi, "/articles")
    assert next(item for item in listed["items"] if item["id"] == article.pk)["section"] is None
