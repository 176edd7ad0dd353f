"""Posting entries in the admin: reporters' drafts or direct posts by the coverage's setting, editors publish."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from live.models import EntryStatus, LiveEntry, LiveEntryCorrection
from testing.helpers import parse

pytestmark = pytest.mark.django_db

ADD_URL = reverse("wagtailsnippets_live_liveentry:add")


@pytest.fixture
def reporter(home):
    user = get_user_model().objects.create_user(username="reporter", password="x", first_name="رامي")
    user.groups.add(Group.objects.get(name="Reporters"))
    return user


def refused(response):
    """The admin's answer to a refused permission: back to the dashboard with a message."""
    return (response.status_code, response.get("Location")) == (302, reverse("wagtailadmin_home"))


def entry_form(coverage, *, status="published", pinned=False, headline="سقوط قذائف قرب المعبر"):
    return nested_form_data(
        {
            "coverage": coverage.pk,
            "headline": headline,
            "body": rich_text("<p>أفاد مراسلنا بسقوط ثلاث قذائف.</p>"),
            "image": "",
            "author": "",
            "pinned": "on" if pinned else "",
            "status": status,
            "posted_at": "2026-12-04 18:30",
            "sources": inline_formset([{"name": "وكالة سانا", "url": "https://example.org/sana"}]),
        }
    )


def test_a_reporters_entry_waits_for_an_editor(client, reporter):
    coverage = LiveCoveragePageFactory()
    client.force_login(reporter)
    response = client.post(ADD_URL, entry_form(coverage), follow=True)
    assert response.status_code == 200
    entry = LiveEntry.objects.get()
    assert (entry.coverage_id, entry.status, entry.published_at, entry.created_by) == (
        coverage.pk,
        EntryStatus.DRAFT,
        None,
        reporter,
    )
    assert [source.name for source in entry.sources.all()] == ["وكالة سانا"]
    assert "حُفظ التحديث مسودة" in response.content.decode()
    assert "سقوط قذائف" not in client.get(coverage.url).content.decode()


def test_a_reporter_posts_directly_where_the_coverage_allows_it(client, reporter):
    coverage = LiveCoveragePageFactory(reporters_publish_directly=True)
    client.force_login(reporter)
    client.post(ADD_URL, entry_form(coverage, pinned=True))
    entry = LiveEntry.objects.get()
    assert entry.status == EntryStatus.PUBLISHED
    assert entry.pinned
    client.logout()
    page = parse(client.get(coverage.url))
    assert page.select_one(f"#entry-{entry.pk} .live-entry__headline").get_text() == "سقوط قذائف قرب المعبر"


def test_an_editor_publishes_a_reporters_draft(client, reporter, editor):
    coverage = LiveCoveragePageFactory()
    draft = LiveEntryFactory(coverage=coverage, status=EntryStatus.DRAFT, created_by=reporter)
    client.force_login(editor)
    edit_url = reverse("wagtailsnippets_live_liveentry:edit", args=[draft.pk])
    response = client.post(edit_url, entry_form(coverage, headline=draft.headline))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == EntryStatus.PUBLISHED
    assert draft.published_at is not None
    assert draft.headline in client.get(coverage.url).content.decode()


def test_a_reporter_cannot_change_a_published_entry_and_nobody_deletes_one(client, reporter, editor):
    entry = LiveEntryFactory()
    client.force_login(reporter)
    assert refused(client.get(reverse("wagtailsnippets_live_liveentry:edit", args=[entry.pk])))
    assert refused(client.get(reverse("wagtailsnippets_live_liveentry:delete", args=[entry.pk])))
    client.force_login(editor)
    assert client.get(reverse("wagtailsnippets_live_liveentry:edit", args=[entry.pk])).status_code == 200
    delete_url = reverse("wagtailsnippets_live_liveentry:delete", args=[entry.pk])
    assert refused(client.post(delete_url))
    assert LiveEntry.objects.filter(pk=entry.pk).exists()


def test_an_editor_deletes_a_draft(client, editor):
    draft = LiveEntryFactory(status=EntryStatus.DRAFT)
    client.force_login(editor)
    response = client.post(reverse("wagtailsnippets_live_liveentry:delete", args=[draft.pk]))
    assert response.status_code == 302
    assert not LiveEntry.objects.exists()


def test_a_correction_note_is_added_in_the_admin_and_then_refused_changes(client, reporter):
    entry = LiveEntryFactory()
    client.force_login(reporter)
    add_url = reverse("wagtailsnippets_live_liveentrycorrection:add")
    response = client.post(add_url, {"entry": entry.pk, "text": "كان عدد القذائف اثنتين لا ثلاثًا."})
    assert response.status_code == 302
    note = LiveEntryCorrection.objects.get()
    for view in ("edit", "delete"):
        url = reverse(f"wagtailsnippets_live_liveentrycorrection:{view}", args=[note.pk])
        assert refused(client.post(url, {"entry": entry.pk, "text": "غيرها"}))
    assert LiveEntryCorrection.objects.get().text == "كان عدد القذائف اثنتين لا ثلاثًا."
    client.logout()
    shown = parse(client.get(entry.coverage.url)).select_one(f"#entry-{entry.pk} .live-entry__correction")
    assert "كان عدد القذائف اثنتين لا ثلاثًا." in shown.get_text()


def test_the_coverage_page_in_the_admin_offers_to_add_an_entry_with_the_coverage_chosen(client, reporter):
    coverage = LiveCoveragePageFactory()
    client.force_login(reporter)
    page = parse(client.get(reverse("wagtailadmin_explore", args=[coverage.pk])))
    add_link = page.find("a", href=f"{ADD_URL}?coverage={coverage.pk}")
    assert "أضف تحديثًا" in add_link.get_text()
    form = parse(client.get(add_link["href"]))
    assert form.select_one('input[name="coverage"]')["value"] == str(coverage.pk)


def test_the_entries_list_filters_by_coverage(client, editor):
    coverage = LiveCoveragePageFactory()
    mine = LiveEntryFactory(coverage=coverage, headline="تحديث هذه التغطية")
    LiveEntryFactory(headline="تحديث تغطية أخرى")
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_live_liveentry:list"), {"coverage": coverage.pk})
    text = parse(listing).get_text()
    assert mine.headline in text
    assert "تحديث تغطية أخرى" not in text


def chosen_status(form):
    select = form.select_one('select[name="status"]')
    selected = select.select_one("option[selected]") or select.select_one("option")
    return selected["value"]


def test_after_the_first_entry_the_next_is_add_text_save(client, editor):
    """Saving leads back to the coverage's entries, whose «add» opens its form, set to publish for an editor."""
    coverage = LiveCoveragePageFactory()
    client.force_login(editor)
    form = parse(client.get(f"{ADD_URL}?coverage={coverage.pk}"))
    assert chosen_status(form) == EntryStatus.PUBLISHED

    response = client.post(f"{ADD_URL}?coverage={coverage.pk}", entry_form(coverage))
    listing_url = f"{reverse('wagtailsnippets_live_liveentry:list')}?coverage={coverage.pk}"
    assert response.status_code == 302 and response["Location"] == listing_url
    listing = parse(client.get(listing_url))
    add_link = listing.find("a", href=f"{ADD_URL}?coverage={coverage.pk}")
    assert add_link is not None
    form = parse(client.get(add_link["href"]))
    assert form.select_one('input[name="coverage"]')["value"] == str(coverage.pk)
    assert chosen_status(form) == EntryStatus.PUBLISHED
    # The unfiltered list's «add» chooses no coverage.
    assert parse(client.get(reverse("wagtailsnippets_live_liveentry:list"))).find("a", href=ADD_URL)


def test_a_reporters_form_offers_what_the_coverage_lets_them_do(client, reporter):
    client.force_login(reporter)
    for direct, status in ((False, EntryStatus.DRAFT), (True, EntryStatus.PUBLISHED)):
        coverage = LiveCoveragePageFactory(reporters_publish_directly=direct)
        assert chosen_status(parse(client.get(f"{ADD_URL}?coverage={coverage.pk}"))) == status
