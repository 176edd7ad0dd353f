"""An editor posts to a live coverage from the admin, with its own widgets, and a reader's open page offers it.

The editor's browser speaks English (the admin follows the editor's own
choice of language, Arabic here, not the browser's); the reader's page was
opened before the post and is never reloaded: its script's 15-second poll is
brought forward with Playwright's clock, not by changing the script. An entry
already on the reader's screen that gets a correction note or a pin is
replaced there at the next poll.
"""

import functools
import re

import pytest
from playwright.sync_api import expect

from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from live.models import EntryStatus, LiveEntry, LiveEntryCorrection
from tests_browser.steps import admin_login, needs_chromium

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_chromium]

FIRST_HEADLINE = "فتح الطريق إلى المخيمات المعزولة"
FIRST_TEXT = "وصلت الجرافات إلى المخيمات على التلال وبدأ توزيع الخبز."
SECOND_TEXT = "عادت الكهرباء إلى مستشفى البلدة بعد انقطاع دام ست ساعات."
PHONE_TEXT = "تراجعت سرعة الرياح مع حلول المساء."


@pytest.fixture
def coverage(home):
    coverage = LiveCoveragePageFactory(title="عاصفة ثلجية في الشمال")
    LiveEntryFactory(coverage=coverage, headline="بدء تساقط الثلوج")
    return coverage


@pytest.fixture
def staff_window(reader):
    """`staff_window(**options)`: a new window in a browser whose language is English."""
    return functools.partial(reader, locale="en-US", timeout=15_000)


class Taps:
    """The editor's taps on the screen, counted."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        locator.click()
        self.count += 1


def type_entry(page, tap, text):
    """Tap into the body's rich-text editor (Draftail) and type, as a person does."""
    body = page.locator("[data-field-wrapper]", has=page.locator("input[name=body]"))
    tap(body.locator("[contenteditable=true]").first)
    page.keyboard.type(text)
    # Draftail writes the form's field a moment after the typing stops.
    expect(page.locator("input[name=body]")).to_have_value(re.compile(text[-12:]))


def entries_of(coverage):
    """The address of the coverage's entries in the admin, where saving an entry leads."""
    return re.compile(rf"/admin/snippets/live/liveentry/\?coverage={coverage.pk}$")


def save_button(page):
    return page.locator("footer button[type=submit]").first


def test_an_editor_posts_and_a_readers_open_page_offers_the_entry(live_server, coverage, editor, reader, staff_window):
    follower = reader()
    follower.clock.install()
    follower.goto(coverage.url)
    new_entries = follower.locator(".live-updates__button")

    page = staff_window(viewport={"width": 1280, "height": 900})
    admin_login(page, "editor")
    page.goto(f"/admin/pages/{coverage.pk}/edit/")
    # The page's actions menu in the header holds «أضف تحديثًا».
    page.locator("header [data-w-dropdown-target=toggle]").first.click()
    page.get_by_role("link", name="أضف تحديثًا").click()
    page.locator("body.ready input[name=headline]").wait_for()
    assert page.locator("input[name=coverage]").input_value() == str(coverage.pk)
    page.fill("input[name=headline]", FIRST_HEADLINE)
    type_entry(page, lambda locator: locator.click(), FIRST_TEXT)
    status = page.locator("select[name=status]")
    expect(status).to_have_value(EntryStatus.PUBLISHED)  # offered to an editor: no choice to make
    status.select_option(EntryStatus.PUBLISHED)
    save_button(page).click()
    page.wait_for_url(entries_of(coverage))

    posted = LiveEntry.objects.get(headline=FIRST_HEADLINE)
    assert posted.status == EntryStatus.PUBLISHED and posted.coverage_id == coverage.pk
    assert posted.created_by == editor

    # The reader's page, never reloaded, offers it at the next poll and inserts it on a click.
    follower.clock.fast_forward("00:16")
    expect(new_entries).to_be_visible()
    assert new_entries.inner_text() == "تحديثات جديدة (1)"
    assert follower.locator(f"#entry-{posted.pk}").count() == 0
    new_entries.click()
    shown = follower.locator(".live-entries__list [data-entry]").first
    expect(shown).to_have_attribute("id", f"entry-{posted.pk}")
    assert shown.locator(".live-entry__headline").inner_text() == FIRST_HEADLINE
    assert FIRST_TEXT in shown.locator(".live-entry__body").inner_text()
    expect(new_entries).to_be_hidden()

    # After the first, an entry is three taps: add, the text, save.
    tap = Taps()
    tap(page.locator("header").get_by_role("link", name=re.compile("إضافة|Add")).first)
    page.locator("body.ready input[name=headline]").wait_for()
    type_entry(page, tap, SECOND_TEXT)
    tap(save_button(page))
    page.wait_for_url(entries_of(coverage))
    assert tap.count == 3
    second = LiveEntry.objects.get(body__contains=SECOND_TEXT)
    assert (second.coverage_id, second.status) == (coverage.pk, EntryStatus.PUBLISHED)

    follower.clock.fast_forward("00:16")
    expect(new_entries).to_have_text("تحديثات جديدة (1)")
    new_entries.click()
    expect(follower.locator(".live-entries__list [data-entry]").first).to_have_attribute("id", f"entry-{second.pk}")


def test_the_posting_form_fits_a_phone(live_server, coverage, editor, staff_window):
    page = staff_window(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    admin_login(page, "editor")
    page.goto(f"/admin/snippets/live/liveentry/add/?coverage={coverage.pk}")
    page.locator("body.ready input[name=headline]").wait_for()
    type_entry(page, lambda locator: locator.tap(), PHONE_TEXT)

    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"the form scrolls sideways: {widths}"
    save = save_button(page)
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844
    save.tap()
    page.wait_for_url(entries_of(coverage))
    assert LiveEntry.objects.get(body__contains=PHONE_TEXT).status == EntryStatus.PUBLISHED


def test_a_correction_and_a_pin_reach_an_entry_already_on_a_readers_screen(live_server, coverage, reader):
    entry = LiveEntryFactory(coverage=coverage, headline="انهيار خمس خيام")
    follower = reader()
    follower.clock.install()
    follower.goto(coverage.url)
    shown = follower.locator(f"#entry-{entry.pk}")
    expect(shown).to_be_visible()
    assert follower.locator(".live-key-events").count() == 0

    LiveEntryCorrection.objects.create(entry=entry, text="الصحيح: انهارت أربع خيام لا خمس.")
    entry.pinned = True
    entry.save()
    follower.clock.fast_forward("00:16")

    # Replaced in place at the next poll, without a reload or a click.
    expect(shown.locator(".live-entry__correction")).to_contain_text("الصحيح: انهارت أربع خيام لا خمس.")
    expect(shown).to_have_class(re.compile("live-entry--pinned"))
    expect(follower.locator(".live-key-events li a")).to_have_attribute("href", f"#entry-{entry.pk}")
    assert follower.locator(".live-updates__button").is_hidden()
