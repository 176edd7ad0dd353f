"""A reader past the site's limits, in an Arabic and an English browser: told why, nothing typed is lost.

Headless Debian Chromium driven by Playwright, against the live test server.
"""

import pytest

from tests_browser.steps import needs_chromium

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_chromium]

EXPIRED = "انتهت صلاحية النموذج. أعد إرساله من فضلك؛ احتفظنا بما كتبته."
DATE_RANGE = "اختر تاريخًا بين 1800-01-01 و2999-12-31."


@pytest.fixture
def browser(browser_of_its_own):
    return browser_of_its_own


# The database fixtures come before `browser` (see test_reader_journey).
@pytest.mark.parametrize("locale", ["ar", "en"])
def test_a_comment_written_past_the_forms_lifetime_is_kept_and_sent_again(
    live_server, seed_article, settings, locale, browser
):
    from playwright.sync_api import expect

    settings.NASHIR_FORM_MIN_SECONDS = 0
    settings.NASHIR_FORM_MAX_SECONDS = 4
    reader = browser.new_page(locale=locale)
    reader.goto(live_server.url + seed_article.url)
    reader.fill("#id_body", "تعليق كُتب على مهل.")
    reader.fill("#id_name", "ليلى")
    reader.fill("#id_email", "layla@example.org")
    reader.wait_for_timeout(5500)  # the reader took longer than the form lives
    reader.click("#comment-form button[type=submit]")

    errors = reader.locator("#comment-form .form-errors")
    expect(errors).to_be_visible()
    if locale == "ar":
        expect(errors).to_have_text(EXPIRED)
    expect(reader.locator("#id_body")).to_have_value("تعليق كُتب على مهل.")
    expect(reader.locator("#id_name")).to_have_value("ليلى")

    reader.click("#comment-form button[type=submit]")
    expect(reader.locator(".notice")).to_be_visible()
    assert "posted=" in reader.url


@pytest.mark.parametrize("locale", ["ar", "en"])
def test_a_search_date_out_of_range_is_refused_by_the_picker_and_the_server(live_server, seed_article, locale, browser):
    from playwright.sync_api import expect

    reader = browser.new_page(locale=locale)
    reader.goto(live_server.url + "/search/?q=قيصر")
    reader.click(".search-form__filters summary")
    reader.fill("#id_published_from", "0001-01-01")
    reader.click(".search-form button[type=submit]")
    # The browser does not send a date before the picker's minimum.
    assert reader.eval_on_selector("#id_published_from", "field => field.validity.rangeUnderflow")
    assert "published_from" not in reader.url

    # A link that carries one anyway gets the form again, with the reason next to the field.
    response = reader.goto(live_server.url + "/search/?q=قيصر&published_from=0001-01-01")
    assert response.status == 400
    error = reader.locator(".field__errors")
    expect(error).to_be_visible()
    if locale == "ar":
        expect(error).to_have_text(DATE_RANGE)
    expect(reader.locator("#id_q")).to_have_value("قيصر")
