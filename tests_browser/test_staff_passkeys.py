"""An editor whose group must use a second factor adds a passkey, logs in with it, and loses it when it is revoked.

Headless Debian Chromium driven by Playwright, with Chromium's virtual
authenticator (DevTools' WebAuthn domain) standing in for a laptop's
fingerprint reader. WebAuthn works only in a secure context on a host name
the relying party ID covers: http://localhost is one, 127.0.0.1 is not, so
the test server is reached as localhost whatever address it listens on.
"""

from urllib.parse import urlsplit

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from testing.helpers import PASSWORD
from tests_browser.steps import needs_chromium

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_chromium,
]


@pytest.fixture
def browser(browser_of_its_own):
    return browser_of_its_own


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", PASSWORD)


@pytest.fixture
def site(live_server, settings):
    """The test server's origin on localhost, and the passkey settings that go with it."""
    origin = f"http://localhost:{urlsplit(live_server.url).port}"
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [origin]
    settings.NASHIR_REQUIRE_2FA_GROUPS = ["Editors"]
    return origin


PASSKEY_PAGES = ("/admin/security/", "/admin/verify/", "/admin/staff-security/")


def open_window(browser, site):
    """A new browser window that records what the admin's policy refused on the pages passkeys use."""
    page = browser.new_page(locale="ar", base_url=site)
    page.set_default_timeout(10_000)
    page.refused = []

    def on_console(message):
        if "Content Security Policy" in message.text and urlsplit(page.url).path.startswith(PASSKEY_PAGES):
            page.refused.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return page


def with_authenticator(page):
    """A platform authenticator (like a laptop's fingerprint reader) in this window; returns its DevTools session."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]
    return cdp


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def log_out(page):
    """From the sidebar's account menu, as a person does."""
    page.goto("/admin/")
    page.click(".sidebar-footer__account")
    page.click("form[action='/admin/logout/'] button")
    page.wait_for_url("**/admin/login/**")


def test_an_editor_adds_a_passkey_logs_in_with_it_and_a_revoked_one_opens_nothing(browser, site, editor, administrator):
    from playwright.sync_api import expect

    page = open_window(browser, site)
    cdp = with_authenticator(page)
    log_in(page, "editor")
    expect(page).to_have_url(site + "/admin/security/")

    # Enrol: name it, then the browser creates the key (the authenticator confirms by itself).
    page.click("#add-passkey")
    page.fill("#id_name", "حاسوب التحرير")
    page.click("#passkey-name-form button[type=submit]")
    expect(page.locator("#main")).to_contain_text("«حاسوب التحرير»")
    page.click("#passkey-register-button")
    expect(page).to_have_url(site + "/admin/security/")
    row = page.locator("#devices tbody tr", has_text="حاسوب التحرير")
    expect(row).to_contain_text("مفتاح مرور أو مفتاح أمان")
    expect(page.locator("#new-recovery-codes code")).to_have_count(10)
    device = WebAuthnCredential.objects.get(user=editor)
    assert device.name == "حاسوب التحرير"
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": cdp.authenticator})["credentials"]
    assert len(stored) == 1 and stored[0]["rpId"] == "localhost"
    page.goto("/admin/pages/")
    expect(page).to_have_url(site + "/admin/pages/")

    # Out and in again: password, then the passkey instead of a code.
    log_out(page)
    log_in(page, "editor")
    expect(page).to_have_url(site + "/admin/verify/?next=%2Fadmin%2F")
    assert page.locator("html").get_attribute("dir") == "rtl"
    button = page.locator("#passkey-verification-button")
    expect(button).to_have_text("استعمل مفتاح المرور")
    button.click()
    expect(page).to_have_url(site + "/admin/")
    expect(page.locator("#main")).to_be_visible()
    device.refresh_from_db()
    assert device.last_used_at is not None

    # Out again; while the editor is at the verify step, the administrator revokes the passkey.
    log_out(page)
    log_in(page, "editor")
    expect(page).to_have_url(site + "/admin/verify/?next=%2Fadmin%2F")
    chief = open_window(browser, site)
    log_in(chief, "chief")
    chief.goto("/admin/staff-security/")
    revoke = chief.locator("#staff-factors tr[data-username=editor] form", has_text="حاسوب التحرير")
    revoke.locator("button").click()
    expect(chief.locator("#staff-factors tr[data-username=editor]")).not_to_contain_text("حاسوب التحرير")
    assert not WebAuthnCredential.objects.filter(user=editor).exists()

    # The key is still in the laptop, and the site no longer takes it.
    page.locator("#passkey-verification-button").click()
    status = page.locator("#passkey-verification-status-message")
    expect(status).to_have_text("لم يُعثر على مفتاح المرور الذي استعملته. ربما أُزيل؟")
    expect(page).to_have_url(site + "/admin/verify/?next=%2Fadmin%2F")
    page.goto("/admin/pages/")
    expect(page).to_have_url(site + "/admin/verify/?next=%2Fadmin%2Fpages%2F")
    expect(page.locator("#passkey-verification-button")).to_have_count(0)

    assert page.refused == [] and chief.refused == [], "the admin's policy lets the passkey scripts run"
