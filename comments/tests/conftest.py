import time
from unittest import mock

import pytest
from django.core import signing

from readers.input import TIMESTAMP_SALT


def shown_seconds_ago(seconds=60):
    """The signed stamp of a form shown `seconds` ago, signed then too."""
    shown = time.time() - seconds
    with mock.patch("django.core.signing.time.time", return_value=shown):
        return signing.dumps(shown, salt=TIMESTAMP_SALT)


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
