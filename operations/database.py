"""A database too busy to take a write: told apart from other errors, so the client is asked to try again."""

from django.db import OperationalError

# How long a client is asked to wait before sending again (Retry-After).
DATABASE_BUSY_RETRY_SECONDS = 10


def database_busy(error: BaseException) -> bool:
    """Whether `error` is SQLite giving up on a write after its busy timeout: worth sending again shortly."""
    return isinstance(error, OperationalError) and "locked" in str(error).lower()
