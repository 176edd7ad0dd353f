"""An editor uploads an image of too many pixels in the admin and is told why, in the admin's language.

Headless Debian Chromium driven by Playwright, against the live test server.
"""

import pytest
from wagtail.images import get_image_model

from testing.helpers import PASSWORD, png, prefer_language
from tests_browser.steps import needs_chromium

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_chromium,
]

MESSAGES = {
    "ar": "هذا الملف يحتوي على عدد كبير جدًا من البكسل (121000000)",
    "en": "This file has too many pixels (121000000)",
}


@pytest.fixture
def browser(browser_of_its_own):
    return browser_of_its_own


# The database fixtures come before `browser` (see test_reader_journey.py).
@pytest.mark.parametrize("locale", ["ar", "en"])
def test_an_image_of_too_many_pixels_is_refused_at_upload(live_server, editor, settings, tmp_path, browser, locale):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    if locale == "en":
        # The admin follows the editor's own choice (account settings), not the browser's.
        prefer_language(editor, "en")
    huge = tmp_path / "panorama.png"
    huge.write_bytes(png(11000, 11000))
    fine = tmp_path / "photo.png"
    fine.write_bytes(png(1200, 800))

    admin = browser.new_page(locale=locale)
    admin.goto(live_server.url + "/admin/login/")
    admin.fill("#id_username", "editor")
    admin.fill("#id_password", PASSWORD)
    admin.click("button[type=submit]")
    admin.goto(live_server.url + "/admin/images/multiple/add/")
    admin.set_input_files("#fileupload", [str(huge), str(fine)])

    uploads = admin.locator("#upload-list")
    expect(uploads).to_contain_text(MESSAGES[locale])
    expect(uploads).to_contain_text("40000000")
    expect(admin.locator("#upload-list form")).to_have_count(1)  # the photo waits for its title and tags
    assert list(get_image_model().objects.values_list("width", "height")) == [(1200, 800)]
