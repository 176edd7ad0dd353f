"""The breaking-news bar on pages served whole from the page cache: it comes and goes without a render."""

import pytest

from breaking.models import BreakingBanner
from breaking.services import banner_lower
from tests_browser.steps import needs_chromium

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_chromium]


def test_a_stored_page_shows_the_bar_once_raised_and_not_once_lowered(reader, seed_article, editor):
    window = reader()
    first = window.goto(seed_article.url)
    assert first.headers["x-cache"] == "MISS"
    window.wait_for_load_state("networkidle")
    assert window.locator("#breaking-bar").count() == 0

    banner = BreakingBanner.objects.create(text="عاجل: انقطاع الكهرباء عن دمشق", link_page=seed_article)
    window = reader()
    stored = window.goto(seed_article.url)
    assert stored.headers["x-cache"] == "HIT"  # the very copy stored before the bar was raised
    bar = window.get_by_role("region", name="عاجل")
    bar.wait_for()
    assert bar.get_attribute("data-banner-id") == str(banner.pk)
    link = bar.get_by_role("link", name="عاجل: انقطاع الكهرباء عن دمشق")
    assert link.get_attribute("href") == seed_article.url
    assert bar.get_by_role("button", name="إخفاء الشريط").is_visible()

    banner_lower(banner=banner, user=editor)
    window = reader()
    again = window.goto(seed_article.url)
    assert again.headers["x-cache"] == "HIT"
    window.wait_for_load_state("networkidle")
    assert window.locator("#breaking-bar").count() == 0


def test_a_hidden_bar_stays_hidden_in_the_tab_and_a_new_one_shows(reader, seed_article):
    window = reader()
    BreakingBanner.objects.create(text="عاجل: الخبر الأول")
    window.goto("/")
    bar = window.get_by_role("region", name="عاجل")
    bar.wait_for()
    bar.get_by_role("button", name="إخفاء الشريط").click()
    assert window.locator("#breaking-bar").count() == 0
    window.goto(seed_article.url)
    window.wait_for_load_state("networkidle")
    assert window.locator("#breaking-bar").count() == 0

    BreakingBanner.objects.create(text="عاجل: الخبر الثاني")
    window.goto(seed_article.url)
    window.get_by_role("region", name="عاجل").wait_for()
    assert "الخبر الثاني" in window.locator("#breaking-bar").inner_text()


def test_a_page_left_open_drops_a_lowered_bar_within_a_minute_and_an_expired_one_on_time(reader, seed_article, editor):
    from datetime import timedelta

    from django.utils import timezone

    window = reader()
    window.clock.install()
    banner = BreakingBanner.objects.create(text="عاجل: الخبر يتطور")
    window.goto(seed_article.url)
    window.get_by_role("region", name="عاجل").wait_for()
    banner_lower(banner=banner, user=editor)
    window.clock.run_for(30_000)
    assert window.locator("#breaking-bar").count() == 1  # not asked again yet
    window.clock.run_for(31_000)
    window.locator("#breaking-bar").wait_for(state="detached")

    BreakingBanner.objects.create(text="عاجل: لخمس دقائق", expires_at=timezone.now() + timedelta(minutes=5))
    window = reader()
    window.clock.install()
    window.goto(seed_article.url)
    window.get_by_role("region", name="عاجل").wait_for()
    window.clock.pause_at(timezone.now() + timedelta(minutes=5, seconds=1))
    window.clock.resume()
    window.locator("#breaking-bar").wait_for(state="detached")
