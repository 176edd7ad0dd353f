"""The browser the tests drive, and what people do in it, step by step, the way they do it."""

import os
import shutil

import pytest
from bs4 import BeautifulSoup

from testing.helpers import PASSWORD  # every account of these tests logs in with it

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCALES = ["ar", "en-US"]

needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
    reason="needs Debian's chromium (CI installs it)",
)


def admin_login(page, username):
    """Sign in to the admin from its login form; the dashboard follows."""
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def look_over(page):
    """The writer reads the story over before submitting it, as people do.

    Wagtail 8.0 autosaves half a second after a change; a pending autosave
    is let finish first, as it does for a writer who reads the story over.
    A click that does not wait is held by editor_forms' autosave guard
    (test_editor_articles: publishing while the first autosave is on its way).
    """
    settled = page.locator("#w-autosave-indicator:not([data-w-autosave-state-value=saving])")
    # Twice: on a slow database the save may start just after the first look.
    for _ in range(2):
        page.wait_for_timeout(800)
        # A locator, not wait_for_function: the admin's policy allows no eval.
        settled.wait_for(state="attached")


def public_page(page, path):
    """The page as the reader's browser shows it, parsed."""
    page.goto(path)
    return BeautifulSoup(page.content(), "lxml")


def text_of(soup, selector):
    element = soup.select_one(selector)
    assert element is not None, f"nothing matches {selector}"
    return " ".join(element.get_text(" ").split())
