"""What tests of more than one app use: parsing a page, the sample data, a reader's form stamp, a test image.

Fixtures stay in conftest.py files (the root one for those every app uses);
plain functions live here, so that no test imports from a conftest.py or from
another app's tests.
"""

import os
import struct
import time
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import signing
from wagtail.contrib.frontend_cache.backends import BaseBackend

from readers.input import TIMESTAMP_SALT

# The password of the accounts tests make (the root conftest.py's `editor`, the browser tests' newsroom),
# for tests that log in through the form: a passphrase the site's password rules accept.
PASSWORD = "قهوة الصباح على شرفة حلب"


def parse(response):
    """The page of a successful response, parsed."""
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "lxml")


def member_of(group_name: str, username: str):
    """A new user in the newsroom group `group_name` (Editors, Reporters…: news migration 0003)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username=username, password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def prefer_language(user, language: str) -> None:
    """The admin language `user` chose in their account settings ("" for the site's, Arabic)."""
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})


def shared_file(*parts: str) -> Path:
    """A file of the sample data beside the clone (../shared), or a skip where there is none.

    A clone from a public code host has nothing beside it and `make test` must
    pass there; CI has ../shared, and there a missing file fails instead.
    """
    path = Path(settings.NASHIR_DATA_DIR).parent.joinpath(*parts)
    if not path.exists() and not os.environ.get("CI"):
        pytest.skip(f"needs {path}: the sample data beside the clone (CI has it)")
    return path


class _SignerAt(signing.TimestampSigner):
    """Django's signer of `signing.dumps`, with its clock set to `moment` instead of now."""

    def __init__(self, moment: float, **kwargs):
        super().__init__(**kwargs)
        self.moment = moment

    def timestamp(self):
        return signing.b62_encode(int(self.moment))


def shown_seconds_ago(seconds=60):
    """The signed stamp of a reader's form shown `seconds` ago, signed then too."""
    shown = time.time() - seconds
    return _SignerAt(shown, salt=TIMESTAMP_SALT).sign_object(shown)


def png(width, height):
    """A black PNG of `width`×`height`, one bit a pixel, compressed row by row: a few KB whatever its size."""
    row = b"\x00" + bytes((width + 7) // 8)  # filter byte, then the pixels
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def paragraphs(*texts):
    """A StreamField body of one paragraph block per text."""
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


def indexed_article(title, *texts, standfirst="ملخص الخبر.", **kwargs):
    """A live article of `texts` (a paragraph each), in the search index at once."""
    from news.factories import ArticlePageFactory
    from search.services import articles_sync

    created = ArticlePageFactory(title=title, standfirst=standfirst, body=paragraphs(*texts), **kwargs)
    articles_sync([created.pk])
    return created


class RecordingBackend(BaseBackend):
    """A stand-in CDN (WAGTAILFRONTENDCACHE backend "testing.helpers.RecordingBackend"): records what it must purge."""

    purged: list[str] = []

    def purge(self, url):
        self.purged.append(url)

    def purge_batch(self, urls):
        self.purged.extend(urls)
