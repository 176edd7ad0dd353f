"""An editor whose group must use a second factor sets up an authenticator app in the admin, then logs in with it.

Headless Debian Chromium driven by Playwright, against the live test server, in
an Arabic and an English browser.
"""

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from testing.helpers import PASSWORD
from tests_browser.steps import needs_chromium

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_chromium,
]


@pytest.fixture
def browser(browser_of_its_own):
    return browser_of_its_own


def log_in(page, url):
    page.goto(url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.parametrize("locale", ["ar", "en-US"])
def test_an_editor_sets_up_an_authenticator_app_and_logs_in_with_it(live_server, editor, settings, browser, locale):
    from playwright.sync_api import expect

    settings.NASHIR_REQUIRE_2FA_GROUPS = ["Editors"]
    page = browser.new_page(locale=locale)
    log_in(page, live_server.url)

    # The admin holds the editor on the security page until a second factor is set up.
    expect(page).to_have_url(live_server.url + "/admin/security/")
    expect(page.locator("#enrolment-required")).to_be_visible()
    page.goto(live_server.url + "/admin/pages/")
    expect(page).to_have_url(live_server.url + "/admin/security/")

    page.click("#add-totp")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    key = base64.b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
    page.fill("#id_token", f"{totp(key):06d}")
    page.fill("#id_name", "هاتف التحرير")
    page.click("#totp-form button[type=submit]")

    expect(page).to_have_url(live_server.url + "/admin/security/")
    expect(page.locator("#devices")).to_contain_text("هاتف التحرير")
    expect(page.locator("#new-recovery-codes code")).to_have_count(10)
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 1

    # The account page leads to the same place.
    page.goto(live_server.url + "/admin/account/")
    page.click("#tab-label-actions")
    page.click("a[href='/admin/security/']")
    expect(page).to_have_url(live_server.url + "/admin/security/")

    # A new browser: password, then the app's next code.
    other = browser.new_page(locale=locale)
    log_in(other, live_server.url)
    expect(other).to_have_url(live_server.url + "/admin/verify/?next=%2Fadmin%2F")
    # The admin speaks each editor's chosen language (Arabic until they pick another), whatever the browser's.
    assert other.locator("html").get_attribute("dir") == "rtl"
    other.fill("#id_token", f"{totp(key, drift=1):06d}")
    other.click("#token-form button[type=submit]")
    expect(other).to_have_url(live_server.url + "/admin/")
    expect(other.locator("#main")).to_be_visible()
