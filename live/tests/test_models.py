"""The rules of entries: published ones stay, correction notes are append-only, the order follows the coverage."""

import pytest
from django.core.exceptions import ValidationError

from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from live.models import (
    AppendOnlyRecord,
    ClosedOrder,
    EntryStatus,
    LiveCoveragePage,
    LiveEntry,
    LiveEntryCorrection,
    PublishedEntryDeletion,
)
from news.factories import SectionPageFactory, recent
from news.models import SectionPage

pytestmark = pytest.mark.django_db


def test_a_section_takes_a_live_coverage_and_the_coverage_takes_no_children(home):
    assert LiveCoveragePage in SectionPage.allowed_subpage_models()
    assert LiveCoveragePage.allowed_parent_page_models() == [SectionPage]
    assert LiveCoveragePage.allowed_subpage_models() == []
    assert LiveCoveragePage.can_create_at(SectionPageFactory())
    assert not LiveCoveragePage.can_create_at(home)


def test_a_published_entry_is_not_deleted_but_a_draft_is(home):
    published = LiveEntryFactory()
    draft = LiveEntryFactory(coverage=published.coverage, status=EntryStatus.DRAFT)
    with pytest.raises(PublishedEntryDeletion):
        published.delete()
    draft.delete()
    assert list(LiveEntry.objects.all()) == [published]


def test_a_published_entry_does_not_go_back_to_draft(home):
    entry = LiveEntryFactory()
    entry.status = EntryStatus.DRAFT
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert "status" in refused.value.message_dict


def test_publishing_stamps_the_moment_once(home):
    entry = LiveEntryFactory(status=EntryStatus.DRAFT)
    assert entry.published_at is None
    entry.status = EntryStatus.PUBLISHED
    entry.save()
    first = entry.published_at
    assert first is not None
    entry.headline = "عنوان مصحح"
    entry.save()
    entry.refresh_from_db()
    assert entry.published_at == first


def test_a_correction_note_is_added_never_changed_nor_deleted(home):
    note = LiveEntryCorrection.objects.create(entry=LiveEntryFactory(), text="الرقم الصحيح 12 لا 21.")
    note.text = "نص آخر"
    with pytest.raises(AppendOnlyRecord):
        note.save()
    with pytest.raises(AppendOnlyRecord):
        note.delete()
    assert LiveEntryCorrection.objects.get().text == "الرقم الصحيح 12 لا 21."


def test_entries_newest_first_while_open_then_in_the_chosen_order(home):
    coverage = LiveCoveragePageFactory()
    old = LiveEntryFactory(coverage=coverage, posted_at=recent(30))
    new = LiveEntryFactory(coverage=coverage, posted_at=recent(5))
    LiveEntryFactory(coverage=coverage, posted_at=recent(1), status=EntryStatus.DRAFT)
    assert list(coverage.entries_in_order()) == [new, old]
    coverage.is_open = False
    coverage.closed_order = ClosedOrder.OLDEST_FIRST
    assert list(coverage.entries_in_order()) == [old, new]
    coverage.closed_order = ClosedOrder.NEWEST_FIRST
    assert list(coverage.entries_in_order()) == [new, old]


def test_entries_after_one_are_those_published_after_it_even_if_written_before(home):
    coverage = LiveCoveragePageFactory()
    draft = LiveEntryFactory(coverage=coverage, status=EntryStatus.DRAFT)
    shown = LiveEntryFactory(coverage=coverage)
    assert list(coverage.entries.published_after(shown)) == []
    draft.status = EntryStatus.PUBLISHED
    draft.save()
    later = LiveEntryFactory(coverage=coverage)
    assert set(coverage.entries.published_after(shown)) == {draft, later}
    assert list(coverage.entries.published_after(later)) == []


def test_pinned_entries_are_the_key_events_newest_first(rf, home):
    coverage = LiveCoveragePageFactory()
    first = LiveEntryFactory(coverage=coverage, pinned=True, posted_at=recent(50))
    LiveEntryFactory(coverage=coverage, posted_at=recent(40))
    second = LiveEntryFactory(coverage=coverage, pinned=True, posted_at=recent(10))
    LiveEntryFactory(coverage=coverage, pinned=True, status=EntryStatus.DRAFT)
    context = coverage.get_context(rf.get(coverage.url))
    assert context["key_events"] == [second, first]
    assert len(context["entries"]) == 3


def test_deleting_a_whole_coverage_takes_its_entries_and_notes(home):
    entry = LiveEntryFactory()
    LiveEntryCorrection.objects.create(entry=entry, text="تصحيح.")
    entry.coverage.delete()
    assert not LiveEntry.objects.exists()
    assert not LiveEntryCorrection.objects.exists()
