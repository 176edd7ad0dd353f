"""The admin works under its enforced Content-Security-Policy: an editor uploads a photo and edits an article.

Every policy violation the browser reports (console and `securitypolicyviolation`
events) fails the test, and so does any script error.
"""

import io

import pytest
from PIL import ExifTags, Image

from testing.helpers import PASSWORD, prefer_language
from tests_browser.steps import needs_chromium

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_chromium,
]

# Runs in every document before its own scripts; an init script is not subject to the page's policy.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def browser(browser_of_its_own):
    return browser_of_its_own


def gps_photo(path):
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SourcePhone 7"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (35.0, 55.0, 48.0)}
    Image.new("RGB", (800, 450), "teal").save(path, format="JPEG", exif=exif)
    return path


@pytest.mark.parametrize("language", ["ar", "en"])
def test_an_editor_uploads_a_photo_and_edits_an_article_with_no_policy_violation(
    live_server, seed_article, editor, tmp_path, language, browser
):
    from playwright.sync_api import expect

    prefer_language(editor, language)
    photo = gps_photo(tmp_path / "from-the-field.jpg")

    context = browser.new_context(locale=language)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    violations = list(page.evaluate("window.__violations"))

    # The image form: upload with its own file widget.
    page.goto(live_server.url + "/admin/images/add/")
    page.set_input_files("#id_file", str(photo))
    page.fill("#id_title", "صورة من الميدان")
    page.locator("#id_file").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_url("**/admin/images/")
    violations += page.evaluate("window.__violations")

    # The article: the title, the body in Draftail, the photo from the image chooser,
    # a publishing date from the date picker, the preview panel.
    page.goto(f"{live_server.url}/admin/pages/{seed_article.pk}/edit/")
    page.fill("#id_title", "عنوان بعد التحرير")
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" فقرة أضافها المحرر.")

    page.locator("#id_featured_image-chooser [data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    modal.locator("a[data-chooser-modal-choice]", has_text="صورة من الميدان").first.click()
    expect(page.locator("#id_featured_image-chooser [data-chooser-title]")).to_have_text("صورة من الميدان")

    page.locator("[data-side-panel-toggle='status']").click()
    page.locator("[data-a11y-dialog-show='schedule-publishing-dialog']").first.click()
    page.locator("#id_go_live_at").click()
    expect(page.locator(".xdsoft_datetimepicker").first).to_be_visible()
    page.keyboard.press("Escape")

    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_contain_text("عنوان بعد التحرير")
    violations += page.evaluate("window.__violations")
    for frame in page.frames:
        violations += frame.evaluate("window.__violations || []")

    page.locator("button.action-save").first.click()
    page.wait_for_load_state()
    violations += page.evaluate("window.__violations")

    seed_article.refresh_from_db()
    draft = seed_article.get_latest_revision_as_object()
    assert draft.title == "عنوان بعد التحرير"
    assert draft.featured_image.title == "صورة من الميدان"
    assert "فقرة أضافها المحرر" in str(draft.body.raw_data)
    with draft.featured_image.open_file() as handle:
        assert Image.open(io.BytesIO(handle.read())).getexif() == {}

    policy_messages = [line for line in console if "Content Security Policy" in line or "pageerror" in line]
    assert violations == [] and policy_messages == [], violations + policy_messages
