import time

import pytest
from django.core import signing

from nashir.reader_input import TIMESTAMP_SALT


def shown_seconds_ago(seconds=60):
    """The signed stamp of a form shown `seconds` ago."""
    return signing.dumps(time.time() - seconds, salt=TIMESTAMP_SALT)


@pytest.fixture
def comment_data():
    def make(**overrides):
        data = {
            "name": "سامي",
            "email": "sami@example.org",
            "body": "شكرًا على التغطية الدقيقة.",
            "website": "",
            "rendered_at": shown_seconds_ago(),
        }
        data.update(overrides)
        return data

    return make
