"""TOTP and recovery codes: enrolment, login, single use, required per group, revoking."""

import base64
import time

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from testing.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def make_user(username, group="Editors", **extra):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def login(client, username="editor"):
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def page(response):
    return BeautifulSoup(response.content, "lxml")


def enrol_totp(client) -> bytes:
    """Through the enrolment page, as a person with an authenticator app does; returns the key."""
    enrol = page(client.get("/admin/security/totp/"))
    assert enrol.select_one("#totp-qr svg") is not None
    key = base64.b32decode(enrol.select_one("#totp-secret").get_text().replace(" ", ""))
    response = client.post("/admin/security/totp/", {"token": f"{totp(key):06d}", "name": "هاتفي"})
    assert response.status_code == 302 and response["Location"] == "/admin/security/"
    return key


@pytest.mark.slow  # waits out django-otp's delays between tries
def test_totp_enrolment_and_the_next_login(client, editor):
    login(client)
    listing = page(client.get("/admin/security/"))
    assert listing.select_one("#no-devices") is not None

    enrol = page(client.get("/admin/security/totp/"))
    key = base64.b32decode(enrol.select_one("#totp-secret").get_text().replace(" ", ""))
    wrong = client.post("/admin/security/totp/", {"token": "000000" if totp(key) else "111111", "name": ""})
    assert "الرمز غير صحيح" in page(wrong).get_text()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()
    time.sleep(1.1)  # django-otp makes each wrong code wait longer before the next try
    client.post("/admin/security/totp/", {"token": f"{totp(key):06d}", "name": "هاتفي"})

    device = TOTPDevice.objects.get(user=editor, confirmed=True)
    assert device.name == "هاتفي"
    listing = page(client.get("/admin/security/"))
    assert "هاتفي" in listing.select_one("#devices").get_text()
    codes = [code.get_text() for code in listing.select("#new-recovery-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert page(client.get("/admin/security/")).select_one("#new-recovery-codes") is None, "shown once"
    assert ModelLogEntry.objects.filter(action="nashir.2fa_enrolled", object_id=str(editor.pk)).exists()

    client.post("/admin/logout/")
    login(client)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"] == "/admin/verify/?next=%2Fadmin%2Fpages%2F"
    assert client.get("/admin/security/")["Location"].startswith("/admin/verify/")

    refused = client.post(response["Location"], {"token": "123456"})
    assert "الرمز غير صحيح" in page(refused).get_text()
    assert client.get("/admin/pages/").status_code == 302
    time.sleep(1.1)

    # The enrolment used this 30-second step's code; the app shows the next one.
    response = client.post("/admin/verify/?next=%2Fadmin%2Fpages%2F", {"token": f"{totp(key, drift=1):06d}"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_recovery_code_works_once(client, editor):
    login(client)
    enrol_totp(client)
    codes = [c.get_text() for c in page(client.get("/admin/security/")).select("#new-recovery-codes code")]
    client.post("/admin/logout/")

    login(client)
    response = client.post("/admin/verify/", {"token": codes[0]})
    assert response.status_code == 302
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "بقي لديك 9" in page(dashboard).get_text()
    assert ModelLogEntry.objects.filter(action="nashir.recovery_code_used").count() == 1
    client.post("/admin/logout/")

    login(client)
    assert "الرمز غير صحيح" in page(client.post("/admin/verify/", {"token": codes[0]})).get_text()
    time.sleep(1.1)
    assert client.post("/admin/verify/", {"token": codes[1]}).status_code == 302
    assert StaticToken.objects.filter(device__user=editor).count() == 8


def test_new_recovery_codes_replace_the_old(client, editor):
    login(client)
    enrol_totp(client)
    old = set(StaticToken.objects.values_list("token", flat=True))
    client.post("/admin/security/recovery-codes/")
    new = {c.get_text() for c in page(client.get("/admin/security/")).select("#new-recovery-codes code")}
    assert len(new) == 10 and not (new & old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == new


def test_required_groups_must_enrol_before_using_the_admin(client, editor, settings):
    settings.NASHIR_REQUIRE_2FA_GROUPS = ["Editors"]
    login(client)
    for path in ("/admin/", "/admin/pages/", "/admin/staff-security/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/admin/security/", path
    security = page(client.get("/admin/security/"))
    assert "يجب أن تُعِدّ" in security.get_text()
    assert security.select_one("#enrolment-required") is not None

    enrol_totp(client)
    assert client.get("/admin/pages/").status_code == 200

    reporter = make_user("sami", group="Reporters")
    other = Client()
    login(other, "sami")
    assert other.get("/admin/").status_code == 200
    assert reporter.pk


def test_superusers_are_required_when_named(client, settings):
    settings.NASHIR_REQUIRE_2FA_GROUPS = ["superusers"]
    get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    login(client, "admin")
    assert client.get("/admin/")["Location"] == "/admin/security/"
    settings.NASHIR_REQUIRE_2FA_GROUPS = []
    assert client.get("/admin/").status_code == 200


def test_a_user_revokes_their_own_device_but_not_anothers(client, editor):
    login(client)
    enrol_totp(client)
    device = TOTPDevice.objects.get(user=editor)
    someone = make_user("sami")
    theirs = TOTPDevice.objects.create(user=someone, name="x", confirmed=True)

    client.post("/admin/security/revoke/", {"device": theirs.persistent_id})
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()

    client.post("/admin/security/revoke/", {"device": device.persistent_id})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = ModelLogEntry.objects.get(action="nashir.2fa_revoked")
    assert entry.user == editor and entry.data["device"] == "هاتفي"


def test_an_administrator_lists_and_revokes_a_users_devices(client, editor):
    TOTPDevice.objects.create(user=editor, name="هاتف سلمى", confirmed=True)
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    client.force_login(admin)

    row = page(client.get("/admin/staff-security/")).select_one('#staff-factors tr[data-username="editor"]')
    assert "هاتف سلمى" in row.get_text()
    client.post(row.form["action"], {"device": row.select_one("input[name=device]")["value"]})

    assert not TOTPDevice.objects.filter(user=editor).exists()
    entry = ModelLogEntry.objects.get(action="nashir.2fa_revoked")
    assert entry.user == admin and entry.object_id == str(editor.pk)


def test_a_non_administrator_cannot_revoke_anothers_device(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="x", confirmed=True)
    other = make_user("sami")
    client.force_login(other)
    client.post(f"/admin/staff-security/{editor.pk}/revoke/", {"device": device.persistent_id})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_throttled_codes_stop_guessing(client, editor):
    login(client)
    key = enrol_totp(client)
    client.post("/admin/logout/")
    login(client)
    for _ in range(3):
        client.post("/admin/verify/", {"token": "000001"})
    # django-otp refuses even the right code while the device is throttled.
    response = client.post("/admin/verify/", {"token": f"{totp(key, drift=1):06d}"})
    assert response.status_code == 200
    assert ModelLogEntry.objects.filter(action="nashir.2fa_failed").count() == 4
    assert StaticDevice.objects.filter(user=editor).exists()


def test_each_security_page_names_itself_in_the_admin_header(client, editor):
    login(client)
    for path, title in (("/admin/security/", "أمان الحساب"), ("/admin/security/totp/", "إضافة تطبيق مصادقة")):
        breadcrumbs = page(client.get(path)).select("header nav[aria-label] li")
        assert [item.get_text(" ", strip=True) for item in breadcrumbs][-1] == title, path
