import pytest


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """The live server, stopped before the test database is dropped.

    Depending on `django_db_setup` orders the teardown: otherwise the server's
    last connection keeps PostgreSQL from dropping the test database.
    """
    return live_server
