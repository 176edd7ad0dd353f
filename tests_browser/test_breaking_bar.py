"""The breaking-news bar on pages served whole from the page cache: it comes and goes without a render."""

import pytest

from breaking.models import BreakingBanner
from breaking.services import banner_lower
from tests_browser.steps import needs_chromium

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_chromium]


@pytest.fixture
def readers(browser, live_server):
    """`readers()`: a new reader's window. Each has an empty browser cache, so the response
    Playwright reports is the server's (a revalidated copy would report the first visit's headers)."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="ar", base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def reader(readers):
    return readers()


def test_a_stored_page_shows_the_bar_once_raised_and_not_once_lowered(readers, seed_article, editor):
    reader = readers()
    first = reader.goto(seed_article.url)
    assert first.headers["x-cache"] == "MISS"
    reader.wait_for_load_state("networkidle")
    assert reader.locator("#breaking-bar").count() == 0

    banner = BreakingBanner.objects.create(text="عاجل: انقطاع الكهرباء عن دمشق", link_page=seed_article)
    reader = readers()
    stored = reader.goto(seed_article.url)
    assert stored.headers["x-cache"] == "HIT"  # the very copy stored before the bar was raised
    bar = reader.get_by_role("region", name="عاجل")
    bar.wait_for()
    assert bar.get_attribute("data-banner-id") == str(banner.pk)
    link = bar.get_by_role("link", name="عاجل: انقطاع الكهرباء عن دمشق")
    assert link.get_attribute("href") == seed_article.url
    assert bar.get_by_role("button", name="إخفاء الشريط").is_visible()

    banner_lower(banner=banner, user=editor)
    reader = readers()
    again = reader.goto(seed_article.url)
    assert again.headers["x-cache"] == "HIT"
    reader.wait_for_load_state("networkidle")
    assert reader.locator("#breaking-bar").count() == 0


def test_a_hidden_bar_stays_hidden_in_the_tab_and_a_new_one_shows(reader, seed_article):
    BreakingBanner.objects.create(text="عاجل: الخبر الأول")
    reader.goto("/")
    bar = reader.get_by_role("region", name="عاجل")
    bar.wait_for()
    bar.get_by_role("button", name="إخفاء الشريط").click()
    assert reader.locator("#breaking-bar").count() == 0
    reader.goto(seed_article.url)
    reader.wait_for_load_state("networkidle")
    assert reader.locator("#breaking-bar").count() == 0

    BreakingBanner.objects.create(text="عاجل: الخبر الثاني")
    reader.goto(seed_article.url)
    reader.get_by_role("region", name="عاجل").wait_for()
    assert "الخبر الثاني" in reader.locator("#breaking-bar").inner_text()


def test_a_page_left_open_drops_a_lowered_bar_within_a_minute_and_an_expired_one_on_time(readers, seed_article, editor):
    from datetime import timedelta

    from django.utils import timezone

    reader = readers()
    reader.clock.install()
    banner = BreakingBanner.objects.create(text="عاجل: الخبر يتطور")
    reader.goto(seed_article.url)
    reader.get_by_role("region", name="عاجل").wait_for()
    banner_lower(banner=banner, user=editor)
    reader.clock.run_for(30_000)
    assert reader.locator("#breaking-bar").count() == 1  # not asked again yet
    reader.clock.run_for(31_000)
    reader.locator("#breaking-bar").wait_for(state="detached")

    BreakingBanner.objects.create(text="عاجل: لخمس دقائق", expires_at=timezone.now() + timedelta(minutes=5))
    reader = readers()
    reader.clock.install()
    reader.goto(seed_article.url)
    reader.get_by_role("region", name="عاجل").wait_for()
    reader.clock.pause_at(timezone.now() + timedelta(minutes=5, seconds=1))
    reader.clock.resume()
    reader.locator("#breaking-bar").wait_for(state="detached")
