"""An editor puts an open live coverage at the top of the home page from the coverage's own edit form."""

import functools

import pytest
from playwright.sync_api import expect

from live.factories import LiveCoveragePageFactory
from news.factories import ArticlePageFactory
from tests_browser.steps import admin_login, look_over, needs_chromium, public_page, text_of

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_chromium]


@pytest.fixture
def staff_window(reader):
    """A window in a browser whose language is English."""
    return functools.partial(reader, locale="en-US", timeout=15_000)


def test_an_editor_sets_a_coverage_to_lead_the_home_page_and_readers_see_it_there(staff_window, editor, home):
    ArticlePageFactory(title="خبر اليوم الرئيسي")
    coverage = LiveCoveragePageFactory(title="الفيضانات في الساحل")
    page = staff_window()
    admin_login(page, "editor")
    page.goto(f"/admin/pages/{coverage.pk}/edit/")
    page.get_by_label("تتصدّر الصفحة الرئيسية").check()
    look_over(page)
    # The arrow beside «Save draft», then «Publish».
    page.locator("footer [data-w-dropdown-target=toggle]").click()
    page.locator("footer button[name=action-publish]").click()
    expect(page.locator(".messages .success")).to_be_visible()

    reader = staff_window()
    front = public_page(reader, "/")
    assert text_of(front, ".lead .card__title") == "مباشر الفيضانات في الساحل"
