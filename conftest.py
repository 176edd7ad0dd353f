import os
import sqlite3

import pytest

# Every test of these folders drives a browser or starts servers: all of them are slow.
SLOW_FOLDERS = ("tests_browser", "tests_deploy")


def pytest_collection_modifyitems(config, items):
    slow_folders = [config.rootpath / folder for folder in SLOW_FOLDERS]
    # CI runs the suite on SQLite, then again on PostgreSQL with this set: a test the database
    # cannot change has run already.
    ran_already = os.environ.get("NASHIR_DATABASE_AGNOSTIC_RAN") == "1"
    for item in items:
        if any(folder in item.path.parents for folder in slow_folders):
            item.add_marker(pytest.mark.slow)
        if ran_already and item.get_closest_marker("database_agnostic"):
            item.add_marker(pytest.mark.skip(reason="database agnostic: ran in the SQLite pass"))


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with empty caches (site root paths, pages; rate limits and used form stamps)."""
    from django.core.cache import caches

    from readership.counters import _seen_locally

    _seen_locally.clear()  # what a process keeps while the shared cache is down
    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].clear()


@pytest.fixture
def whole_pages_off(settings):
    """Every request renders its page: what a test sees comes from the parts kept between renders."""
    settings.NASHIR_PAGE_CACHE = False


@pytest.fixture
def home(db):
    from news.factories import home_page

    return home_page()


@pytest.fixture
def editor(home, django_user_model):
    """The newsroom's editor: user "editor" of the Editors group (news migration 0003).

    The password is `testing.helpers.PASSWORD`, for tests that log in through
    the form. The name is set: the admin's account settings refuse to save without one.
    """
    from django.contrib.auth.models import Group

    from testing.helpers import PASSWORD

    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", PASSWORD, first_name="سلمى", last_name="الحلبي"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def seed_article(home):
    from news.management.commands.load_demo import SEED_ARTICLE
    from news.services import article_create_or_update, article_data_from_seed

    article, _ = article_create_or_update(home=home, data=article_data_from_seed(SEED_ARTICLE))
    return article


@pytest.fixture
def file_database(tmp_path, transactional_db):
    """The test database copied to a file, the default connection pointed at it for the test.

    The test database is in memory, which another process cannot open and where
    SQLite locks otherwise; tests of locking and of other processes use this,
    with `django_db(transaction=True)`.
    """
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("a database file: SQLite only")
    connection.ensure_connection()
    path = tmp_path / "db.sqlite3"
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")  # as the site's database has been since its first connection
    copy.close()
    in_memory, saved = connection.connection, dict(connection.settings_dict)
    connection.connection = None  # Django never closes an in-memory database: set it aside instead
    connection.settings_dict["NAME"] = str(path)
    connection.settings_dict["OPTIONS"] = dict(saved["OPTIONS"])
    yield path
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)
    connection.connection = in_memory


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on 127.0.0.1 for the test run (testing/s3.py)."""
    from testing.s3 import S3Server

    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def s3_media(settings, s3_server):
    """Uploads in a new bucket of the test store, as NASHIR_MEDIA_STORAGE=s3 puts them; the bucket goes after the test.

    Changing STORAGES makes Django (and operations.media, for renditions)
    build the storages again; the settings fixture puts the disk back.
    """
    bucket = s3_server.bucket_create()
    settings.NASHIR_MEDIA_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, **s3_server.storages(bucket)}
    yield bucket
    s3_server.bucket_delete(bucket)
