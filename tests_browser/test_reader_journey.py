"""A reader comments and sends a correction; an editor approves both in the admin; the reader sees them.

Headless Debian Chromium driven by Playwright, against the live test server.
"""

import os
import re
import shutil

import pytest
from django.contrib.auth.models import Group

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="needs Debian's chromium (CI installs it)",
    ),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls in
    # the test body are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "editor@example.org", "correct-horse-battery")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


# The database fixtures come before `browser`: once Playwright's event loop is
# running, an ORM call would open a second connection that is never closed.
def test_reader_comment_and_correction_reach_the_page_after_editor_approval(
    live_server, seed_article, editor, settings, browser
):
    from playwright.sync_api import expect

    settings.NASHIR_FORM_MIN_SECONDS = 0
    article_url = live_server.url + seed_article.url

    reader = browser.new_page(locale="ar")
    reader.goto(article_url)
    reader.fill("#id_body", "تغطية ممتازة، شكرًا.")
    reader.fill("#id_name", "ليلى")
    reader.fill("#id_email", "layla@example.org")
    reader.click("#comment-form button[type=submit]")
    expect(reader.locator(".notice")).to_contain_text("بانتظار المراجعة")

    reader.click("text=أرسل تصحيحًا")
    reader.fill("#id_what_is_wrong", "البيان صدر يوم الاثنين لا الأحد.")
    reader.fill("#id_correct_information", "صدر بيان الائتلاف يوم الاثنين 18 مايو/أيار 2020.")
    reader.click("form.reader-form button[type=submit]")
    expect(reader.locator(".notice")).to_contain_text("وصل طلبك إلى المحررين")

    admin = browser.new_page(locale="ar")
    admin.goto(live_server.url + "/admin/login/")
    admin.fill("#id_username", "editor")
    admin.fill("#id_password", "correct-horse-battery")
    admin.click("button[type=submit]")
    expect(admin.locator("#pending-comments-heading")).to_be_visible()
    admin.click("#pending-comments-heading >> xpath=ancestor::section//a")
    admin.click("text=تغطية ممتازة")
    admin.select_option("#id_status", "approved")
    admin.click("button.action-save")
    expect(admin.locator(".messages")).to_be_visible()

    admin.goto(live_server.url + "/admin/snippets/corrections/readersubmission/")
    admin.click("text=البيان صدر يوم الاثنين")
    admin.click("text=قبول ونشر")
    admin.fill("#id_text", "صحّحنا يوم صدور بيان الائتلاف: الاثنين 18 مايو/أيار 2020.")
    admin.click("text=نشر الملاحظة")
    expect(admin.locator(".messages")).to_contain_text("نُشرت الملاحظة")

    reader.goto(article_url)
    expect(reader.locator(".comment-list .comment")).to_contain_text("تغطية ممتازة، شكرًا.")
    notes = reader.locator(".correction-notes")
    expect(notes).to_contain_text("صحّحنا يوم صدور بيان الائتلاف")
    expect(notes.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\dT"))
    assert "layla@example.org" not in reader.content()
