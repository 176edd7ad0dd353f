"""Shared set-up of the browser tests: one headless Chromium per module, a context per person.

Each test runs twice, in a browser whose language is Arabic and in one whose
language is English (`locale`); the reader, the reporter and the editor each
get their own context (their own cookies) in that language.
"""

import os
import threading

import pytest
from django.contrib.auth.models import Group
from wagtail.users.models import UserProfile

from tests_browser.steps import ARGS, CHROMIUM, LOCALES, PASSWORD


def one_request_at_a_time(static_handler):
    """The live server's handler, answering one request at a time.

    On SQLite the test database lives in memory and every request thread of
    the live server shares the test's one connection: two requests at once (a
    page and the admin's background preview, say) would mix their
    transactions. PostgreSQL gives each thread its own connection, so they
    are left to run side by side.
    """
    lock = threading.Lock()

    def build(application):
        handler = static_handler(application)

        def serve(environ, start_response):
            with lock:
                response = handler(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()

        return serve

    return build


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, stopped before the test database is dropped.

    Depending on `django_db_setup` orders the teardown: otherwise the server's
    last connection keeps PostgreSQL from dropping the test database.
    """
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(address, start=False)
    if server.thread.connections_override:
        server.thread.static_handler = one_request_at_a_time(server.thread.static_handler)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(live_server):
    """One Chromium for the module's tests; each test opens its own contexts."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an event loop in this thread; the ORM calls
        # of the tests are still plain synchronous calls.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        kept = {alias: connections[alias] for alias in connections}
        with sync_playwright() as playwright:
            # With a loop running, Django keeps connections per async context
            # (asgiref): the tests would open a second connection, never closed
            # (PostgreSQL then cannot drop the test database) and without the
            # test database's serialized contents. They keep the thread's own.
            for alias, connection in kept.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def browser_of_its_own(monkeypatch):
    """A Chromium for one test alone, for modules whose tests each start from the migrations' data."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=LOCALES)
def locale(request):
    """The language of the browser (its Accept-Language and navigator.language)."""
    return request.param


@pytest.fixture
def person(browser, locale, live_server):
    """A new browser window for someone, in the test's language: `person()` returns its page."""
    contexts = []

    def open_window():
        context = browser.new_context(locale=locale, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_window
    for context in contexts:
        context.close()


@pytest.fixture
def newsroom_user(django_user_model):
    """`newsroom_user(username, group, language=...)`: an account in one of the newsroom's groups (news migration 0003).

    The admin follows each member's own choice of language (their account
    settings), not the browser's; `language` is that choice.
    """

    def create(username, group, *, language=""):
        user = django_user_model.objects.create_user(username, f"{username}@newsroom.example", PASSWORD)
        user.groups.add(Group.objects.get(name=group))
        if language:
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = language
            profile.save()
        return user

    return create


@pytest.fixture
def staff_language(locale):
    """The admin language of staff at an English browser: English, chosen in their account; else the site's."""
    return "" if locale == "ar" else "en"


@pytest.fixture
def reader_forms(settings):
    """Readers' forms accept a submission at once (a person takes seconds; the guard wants three)."""
    settings.NASHIR_FORM_MIN_SECONDS = 0


@pytest.fixture
def reader(browser, live_server):
    """`reader(**options)`: a new reader's window in Arabic (unless `locale` says otherwise), its page.

    Each is a new browser context (no cache, no storage), so the response
    Playwright reports is the server's, not a copy the browser revalidated;
    `options` are Playwright's context options (viewport, color_scheme, …).
    """
    contexts = []

    def open_page(*, timeout=10_000, **options):
        context = browser.new_context(**{"locale": "ar", **options}, base_url=live_server.url)
        context.set_default_timeout(timeout)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
