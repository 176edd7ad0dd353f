"""Uploaded files served by the application (SERVE_MEDIA, no nginx): renditions for readers, the rest for staff."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from nashir.views import media

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for folder, name in (
        ("original_images", "photo.jpg"),
        ("documents", "leak.pdf"),
        ("images", "photo.width-800.jpg"),
    ):
        (settings.MEDIA_ROOT / folder).mkdir(parents=True)
        (settings.MEDIA_ROOT / folder / name).write_bytes(b"file " + name.encode())
    (settings.MEDIA_ROOT / "uploaded_files").mkdir()
    (settings.MEDIA_ROOT / "uploaded_files" / "waiting.jpg").write_bytes(b"waiting")
    (tmp_path / "secret.txt").write_text("outside media")
    (settings.MEDIA_ROOT / "images" / "secret.jpg").symlink_to(tmp_path / "secret.txt")
    return settings.MEDIA_ROOT


def fetch(path, user):
    request = RequestFactory().get(f"/media/{path}")
    request.user = user
    try:
        response = media(request, path)
    except Http404:
        return 404, b""
    return response.status_code, b"".join(response.streaming_content)


PRIVATE = [
    "original_images/photo.jpg",
    "documents/leak.pdf",
    "uploaded_files/waiting.jpg",
    "images/../original_images/photo.jpg",
    "/original_images/photo.jpg",
    "images/../../media/documents/leak.pdf",
    "images\\..\\original_images\\photo.jpg",
]


@pytest.mark.parametrize("path", PRIVATE)
def test_originals_and_documents_are_refused_to_readers(media_root, path):
    assert fetch(path, AnonymousUser()) == (404, b"")


def test_readers_get_renditions(media_root):
    assert fetch("images/photo.width-800.jpg", AnonymousUser()) == (200, b"file photo.width-800.jpg")


def test_editors_reach_originals_and_documents(media_root, admin_user, django_user_model):
    assert fetch("original_images/photo.jpg", admin_user) == (200, b"file photo.jpg")
    assert fetch("documents/leak.pdf", admin_user) == (200, b"file leak.pdf")
    reader_account = django_user_model.objects.create_user("reader", password="x")
    assert fetch("original_images/photo.jpg", reader_account)[0] == 404


def test_a_link_under_media_leads_nowhere(media_root, admin_user):
    assert fetch("images/secret.jpg", admin_user)[0] == 404
