"""A reader's open live coverage offers the entries posted since it loaded, and inserts them on a click."""

import pytest

from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from tests_browser.steps import needs_chromium

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_chromium]


def test_a_readers_open_page_shows_new_entries_after_a_click(browser, live_server, home):
    coverage = LiveCoveragePageFactory(title="الاشتباكات في ريف حلب")
    first = LiveEntryFactory(coverage=coverage, headline="بدء الاشتباكات")
    context = browser.new_context(locale="ar", base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.clock.install()
        page.goto(coverage.url)
        button = page.locator(".live-updates__button")
        page.clock.fast_forward("00:16")
        page.wait_for_timeout(500)
        assert button.is_hidden()  # nothing new yet

        posted = LiveEntryFactory(coverage=coverage, headline="وصول فرق الإسعاف")
        page.clock.fast_forward("00:16")
        button.wait_for(state="visible")
        assert "تحديثات جديدة" in button.inner_text()
        assert page.locator(f"#entry-{posted.pk}").count() == 0

        button.click()
        entries = page.locator(".live-entries__list [data-entry]")
        assert entries.evaluate_all("(nodes) => nodes.map((node) => node.dataset.entry)") == [
            str(posted.pk),
            str(first.pk),
        ]
        assert page.locator(f"#entry-{posted.pk} .live-entry__headline").inner_text() == "وصول فرق الإسعاف"
        assert button.is_hidden()
    finally:
        context.close()
