"""The readers app collects what other apps keep about a reader through the `register_reader_data` hook."""

from datetime import datetime

import pytest
from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.models import ModelLogEntry

from readers.services import (
    ErasureCount,
    email_digest,
    reader_data_erase,
    reader_data_expire,
    reader_data_export,
    reader_data_manageable_by,
)

pytestmark = pytest.mark.django_db


class NotesSource:
    """A source standing for another app's records: `wagtailadmin.access_admin` is its contact permission."""

    name = "notes"
    label = "ملاحظات"
    permission = "wagtailadmin.access_admin"
    erasure_rule = "تُحذف الملاحظات."

    def __init__(self):
        self.records = {"sami@example.org": [{"text": "ملاحظة"}]}
        self.expired_before = None

    def export(self, email):
        return self.records.get(email.lower(), [])

    def erase(self, email):
        return ErasureCount(deleted=len(self.records.pop(email.lower(), [])))

    def expire(self, before, dry_run=False):
        self.expired_before = before
        return 3


@pytest.fixture
def notes():
    source = NotesSource()
    with hooks.register_temporarily("register_reader_data", lambda: source):
        yield source


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("rana", password="x")


def grant(user, *names):
    for name in names:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def test_only_who_may_see_every_sources_contact_details_manages_reader_data(notes, user, django_user_model):
    grant(user, "comments.view_reader_contact", "corrections.view_reader_contact")
    assert not reader_data_manageable_by(django_user_model.objects.get(pk=user.pk))
    grant(user, "wagtailadmin.access_admin")
    assert reader_data_manageable_by(django_user_model.objects.get(pk=user.pk))


def test_every_source_is_exported_erased_and_expired(notes, user, settings):
    settings.NASHIR_READER_DATA_DAYS = 10
    assert reader_data_export(email="Sami@Example.org", user=user)["records"]["notes"] == [{"text": "ملاحظة"}]
    assert reader_data_erase(email="Sami@Example.org", user=user)["notes"] == ErasureCount(deleted=1)
    assert reader_data_export(email="sami@example.org", user=user)["records"]["notes"] == []

    assert reader_data_expire(now=datetime(2026, 5, 20, 12, 0).astimezone())["notes"] == 3
    assert notes.expired_before == datetime(2026, 5, 10, 12, 0).astimezone()


def test_the_audit_log_names_the_editor_and_a_digest_never_the_address(notes, user):
    reader_data_erase(email="Sami@Example.org", user=user)
    entry = ModelLogEntry.objects.get(action="nashir.reader_data.erased")
    assert (entry.user_id, entry.object_id) == (user.pk, str(user.pk))
    assert entry.data["email_digest"] == email_digest("sami@example.org")
    assert entry.data["deleted"] == 1
    assert "sami" not in str(entry.data).lower() and "sami" not in entry.label.lower()
