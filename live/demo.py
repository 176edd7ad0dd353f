"""The demo newsroom's live coverage (live/demo_coverage.json), loaded on news.signals.demo_newsroom_loaded.

The texts were written for Nashir (see news/demo/README.md for their licence);
the event is invented. Times are relative to the load, like the demo's stories:
loading again dates the coverage, its entries and its correction note afresh
and adds only what is missing.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page

from live.models import EntryStatus, LiveCoveragePage, LiveEntry, LiveEntryCorrection, LiveEntrySource
from live.signal_handlers import coverage_changed
from news.demo_newsroom import demo_external_id, demo_illustration
from news.models import Author, Desk, HomePage
from news.services import section_path_get_or_create

DEMO_COVERAGE = Path(__file__).resolve().parent / "demo_coverage.json"


def demo_live_load(sender, *, report, editor, now, **kwargs) -> None:
    data = json.loads(DEMO_COVERAGE.read_text(encoding="utf-8"))
    with transaction.atomic():
        coverage = _coverage(data, report, now)
        for item in data["entries"]:
            _entry(coverage, item, editor, now)
        # Entries dated afresh by an update send no signal: the page and its endpoint are stale once, here.
        transaction.on_commit(lambda: coverage_changed(coverage.pk))
    report.pages["Live coverage"] = coverage


def _coverage(data, report, now) -> LiveCoveragePage:
    home = HomePage.objects.ancestor_of(report.articles["seed"]).first()
    section = section_path_get_or_create(home=home, titles=data["section"])
    slug = data["slug"]
    coverage = LiveCoveragePage.objects.child_of(section).filter(slug=slug).first()
    image = data["image"]
    fields = {
        "title": data["title"],
        "summary": data["summary"],
        "desk": Desk.objects.filter(name=data["desk"]).first(),
        "lead_image": demo_illustration(
            title=image["caption"],
            alt=image["alt"],
            motif=image["motif"],
            palette=image["palette"],
            seed=slug,
            report=report,
        ),
        "lead_image_caption": image["caption"],
        "is_open": True,
    }
    if coverage is None:
        coverage = LiveCoveragePage(slug=slug, **fields)
        section.add_child(instance=coverage)
        coverage.save_revision().publish()
    elif any(getattr(coverage, name) != value for name, value in fields.items()) or not coverage.live:
        for name, value in fields.items():
            setattr(coverage, name, value)
        coverage.save_revision().publish()
    # Dated like the demo's stories: it opened hours before the load.
    Page.objects.filter(pk=coverage.pk).update(first_published_at=now - timedelta(minutes=data["minutes_ago"]))
    # Listed by its newest entry, as posting it would have (the entries are dated by updates, which move nothing).
    newest = now - timedelta(minutes=min(item["minutes_ago"] for item in data["entries"]))
    LiveCoveragePage.objects.filter(pk=coverage.pk).update(listed_at=newest)
    return coverage


def _entry(coverage, item, editor, now) -> None:
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in item["body"])
    posted_at = now - timedelta(minutes=item["minutes_ago"])
    entry = coverage.entries.filter(body=body).first()
    if entry is None:
        entry = LiveEntry(
            coverage=coverage,
            body=body,
            headline=item.get("headline", ""),
            author=Author.objects.get(external_id=demo_external_id(f"author:{item['author']}")),
            pinned=item.get("pinned", False),
            status=EntryStatus.PUBLISHED,
            posted_at=posted_at,
            published_at=posted_at,
            created_by=editor,
        )
        entry.sources = [LiveEntrySource(name=name) for name in item.get("sources", [])]
        entry.save()
    else:
        LiveEntry.objects.filter(pk=entry.pk).update(posted_at=posted_at, published_at=posted_at)
    if "correction" in item:
        note = item["correction"]
        correction = entry.corrections.filter(text=note["text"]).first()
        if correction is None:
            correction = LiveEntryCorrection.objects.create(entry=entry, text=note["text"])
        # A note is never changed by the newsroom; the demo only moves its date along with its entry's.
        corrected_at = posted_at + timedelta(minutes=note["minutes_after"])
        LiveEntryCorrection.objects.filter(pk=correction.pk).update(published_at=corrected_at)
