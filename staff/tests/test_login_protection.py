"""Login protection: lockout and cool-off, lifting a lockout, reset throttling, idle expiry, audit, new devices."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from staff.middleware import LAST_SEEN_KEY
from testing.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="198.51.100.7"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_USER_AGENT="Firefox/140"
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_after_50_wrong_ones_is_refused_while_locked(client, editor):
    for attempt in range(50):
        response = login(client, "editor", f"guess-{attempt}")
        assert response.status_code in (200, 429)
    response = login(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert not logged_in(client)
    page = BeautifulSoup(response.content, "lxml")
    assert "أُوقف الدخول" in page.select_one("[role=alert]").get_text()
    assert "30 دقيقة" in page.select_one("[role=alert]").get_text()


def test_an_account_locks_after_the_limit_from_any_address(client, editor, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "editor", "wrong", ip=f"203.0.113.{attempt}").status_code == 200
    assert login(client, "editor", "wrong", ip="203.0.113.99").status_code == 429
    # Per account: the owner's own address is refused too.
    assert login(Client(), "editor", PASSWORD, ip="192.0.2.1").status_code == 429


def test_an_address_locks_after_the_limit_whatever_the_account(client, editor, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"someone-{attempt}", "wrong", ip="203.0.113.5")
    assert login(Client(), "editor", PASSWORD, ip="203.0.113.5").status_code == 429
    # Another address still reaches the account.
    other = Client()
    assert login(other, "editor", PASSWORD, ip="192.0.2.1").status_code == 302
    assert logged_in(other)


def test_a_lockout_cools_off_by_itself(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "editor", "wrong")
    assert login(client, "editor", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

    assert login(client, "editor", PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_administrator_lifts_a_lockout_from_the_admin(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "editor", "wrong")
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "unused-password-here")
    client.force_login(admin)

    page = BeautifulSoup(client.get("/admin/staff-security/").content, "lxml")
    row = page.select_one("#lockouts tbody tr")
    assert "editor" in row.get_text()
    response = client.post(row.form["action"], follow=True)

    assert "رُفع القفل" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert login(Client(), "editor", PASSWORD).status_code == 302
    entry = ModelLogEntry.objects.get(action="nashir.lockout_lifted")
    assert entry.user == admin and entry.object_id == str(editor.pk)


def test_only_superusers_see_or_lift_lockouts(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "editor", "wrong")
    attempt = AccessAttempt.objects.get()
    other = get_user_model().objects.create_user("sami", "sami@example.org", PASSWORD)
    other.groups.add(*editor.groups.all())
    client.force_login(other)

    assert client.get("/admin/staff-security/").status_code in (302, 403)
    client.post(f"/admin/staff-security/lockouts/{attempt.pk}/lift/")
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_password_reset_is_throttled_per_email_and_per_address(client, editor, settings):
    settings.NASHIR_RESET_RATE_PER_EMAIL = "3/3600"
    settings.NASHIR_RESET_RATE_PER_IP = "5/3600"
    statuses = [
        client.post("/admin/password_reset/", {"email": "editor@example.org"}, REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3

    statuses = [
        client.post("/admin/password_reset/", {"email": f"x{n}@example.org"}, REMOTE_ADDR="203.0.113.9").status_code
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    response = client.post("/admin/password_reset/", {"email": "y@example.org"}, REMOTE_ADDR="203.0.113.9")
    assert "طلبات كثيرة" in BeautifulSoup(response.content, "lxml").get_text()


@pytest.mark.parametrize("password", ["ناشرناشر", "ضصثقفغعهخح", "Summer2024", "رمضان2024", "qwertyuiop", "ناشر2024"])
def test_guessable_passwords_are_refused(password, editor):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=editor)
    assert any("\u0600" <= ch <= "\u06ff" for message in refused.value.messages for ch in message)


@pytest.mark.parametrize("password", [PASSWORD, "correct horse battery staple", "نخيل تدمر يحرس القمر 7"])
def test_a_passphrase_is_accepted(password, editor):
    validate_password(password, user=editor)


def test_an_idle_admin_session_ends(client, editor, settings):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.NASHIR_ADMIN_IDLE_MINUTES * 60 - 5
    session.save()

    response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=%2Fadmin%2Fpages%2F"
    assert not logged_in(client)
    page = client.get(response["Location"])
    assert "انتهت جلستك" in page.content.decode()
    assert ModelLogEntry.objects.filter(action="nashir.session_expired").exists()


def test_an_active_admin_session_goes_on(client, editor, settings):
    client.force_login(editor)
    client.get("/admin/")
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.NASHIR_ADMIN_IDLE_MINUTES * 60 + 60
    session.save()
    assert client.get("/admin/pages/").status_code == 200
    assert client.session[LAST_SEEN_KEY] > time.time() - 5


def test_logins_failures_and_lockouts_reach_the_audit_log(client, editor, settings):
    assert login(client, "editor", PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        login(Client(), "editor", "wrong", ip="203.0.113.50")

    actions = list(
        ModelLogEntry.objects.filter(object_id=str(editor.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert actions == (
        ["nashir.login"] + ["nashir.login_failed"] * (settings.AXES_FAILURE_LIMIT - 1) + ["nashir.locked_out"]
    )
    login_entry = ModelLogEntry.objects.get(action="nashir.login")
    assert login_entry.data["ip_address"] == "198.51.100.7"
    assert login_entry.user == editor
    assert log_registry.get_action_label("nashir.locked_out") == "قفل بعد محاولات فاشلة"


def test_a_login_from_a_new_device_is_emailed(client, editor):
    assert login(client, "editor", PASSWORD).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@example.org"]
    assert "جهاز جديد" in message.subject
    assert "198.51.100.7" in message.body and "Firefox/140" in message.body

    client.post("/admin/logout/")
    assert login(client, "editor", PASSWORD).status_code == 302
    assert len(mail.outbox) == 1, "the same browser is a known device"

    assert login(Client(), "editor", PASSWORD, ip="203.0.113.77").status_code == 302
    assert len(mail.outbox) == 2
    assert "203.0.113.77" in mail.outbox[1].body
