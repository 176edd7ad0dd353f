import pytest

from testing.helpers import shown_seconds_ago


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
