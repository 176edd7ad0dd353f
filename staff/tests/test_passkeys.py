"""Passkeys and security keys (django-otp-webauthn) as a second factor: enrol, list, revoke, verify, audit.

The WebAuthn ceremony itself needs a browser and an authenticator
(tests_browser/test_staff_passkeys.py); here the package's cryptographic
check is replaced where a test needs a ceremony to succeed, and everything
around it (naming, audit, recovery codes, the admin's gate) runs for real.
"""

import json
import secrets
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from wagtail.models import ModelLogEntry
from webauthn.helpers import bytes_to_base64url

from staff import services
from testing.helpers import PASSWORD

pytestmark = pytest.mark.django_db

PASSKEY_KIND = "مفتاح مرور أو مفتاح أمان"


def make_user(username, group="Editors", **extra):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_passkey(user, name="حاسوب المكتب"):
    device = WebAuthnCredential(
        user=user,
        name=name,
        credential_id=secrets.token_bytes(32),
        public_key=secrets.token_bytes(77),
        aaguid="00000000-0000-0000-0000-000000000000",
    )
    device.save()
    return device


def login(client, username="editor"):
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302, response.content.decode()[:500]


def verified_with(client, device):
    """The session as django-otp leaves it after `device` passed (otp_login)."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def page(response):
    return BeautifulSoup(response.content, "lxml")


def post_json(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def audit(user, action):
    return ModelLogEntry.objects.filter(action=action, object_id=str(user.pk))


def test_enrolment_names_the_passkey_and_runs_the_packages_script_from_this_site(client, editor):
    login(client)
    assert page(client.get("/admin/security/")).select_one("a#add-passkey")["href"] == "/admin/security/passkey/"

    first = page(client.get("/admin/security/passkey/"))
    assert first.select_one("#passkey-name-form input[name=name]") is not None
    assert first.select_one("#passkey-registration-available-template") is None, "named first"

    response = client.post("/admin/security/passkey/", {"name": "  مفتاح الأمان الأزرق "})
    assert response.status_code == 302 and response["Location"] == "/admin/security/passkey/"
    second = page(client.get("/admin/security/passkey/"))
    assert "مفتاح الأمان الأزرق" in second.select_one("#main").get_text()
    button = BeautifulSoup(second.select_one("#passkey-registration-available-template").decode_contents(), "lxml")
    assert button.select_one("button#passkey-register-button").get_text() == "أنشئ مفتاح المرور"
    config = json.loads(second.select_one("script#otp_webauthn_config").string)
    assert config["beginRegistrationUrl"] == "/admin/security/passkeys/registration/begin/"
    assert config["completeRegistrationUrl"] == "/admin/security/passkeys/registration/complete/"
    sources = [script["src"] for script in second.select("script[src]")]
    assert "/static/django_otp_webauthn/otp_webauthn_register.js" in sources
    assert "/admin/security/passkeys/jsi18n/" in sources
    assert "/static/staff/passkey_enrol.js" in sources
    assert all(source.startswith("/") and not source.startswith("//") for source in sources), "nothing from elsewhere"


def test_a_completed_registration_is_named_audited_and_brings_recovery_codes(client, editor):
    login(client)
    client.post("/admin/security/passkey/", {"name": "حاسوب البيت"})
    options = post_json(client, "/admin/security/passkeys/registration/begin/")
    assert options.status_code == 200
    assert options.json()["rp"]["id"] == "localhost"

    # What the package's helper returns once the browser's answer checks out: the passkey saved, unnamed.
    saved = lambda **kwargs: make_passkey(editor, name="")  # noqa: E731
    with mock.patch.object(WebAuthnHelper, "register_complete", side_effect=saved) as check:
        response = post_json(client, "/admin/security/passkeys/registration/complete/", {"id": "from-the-browser"})
    assert response.status_code == 200, response.content
    assert check.call_args.kwargs["data"] == {"id": "from-the-browser"}

    device = WebAuthnCredential.objects.get(user=editor)
    assert device.pk == response.json()["id"] and device.name == "حاسوب البيت"
    entry = audit(editor, "nashir.2fa_enrolled").get()
    assert entry.data["device"] == "حاسوب البيت" and entry.data["kind"] == PASSKEY_KIND
    assert entry.user_id == editor.pk
    assert StaticDevice.objects.filter(user=editor).exists()

    listing = page(client.get("/admin/security/"))
    row = next(tr for tr in listing.select("#devices tbody tr") if "حاسوب البيت" in tr.get_text())
    assert PASSKEY_KIND in row.get_text()
    assert len(listing.select("#new-recovery-codes code")) == 10
    assert "أُضيف مفتاح المرور «حاسوب البيت»" in listing.get_text()
    assert client.get("/admin/pages/").status_code == 200, "enrolling verified the session"


def test_registration_is_refused_to_a_session_that_has_not_passed_its_existing_factor(client, editor):
    make_passkey(editor)
    login(client)
    # The admin sends the request to the verify page before the package would refuse it.
    response = post_json(client, "/admin/security/passkeys/registration/begin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/verify/")


def test_the_verify_page_offers_the_passkey_and_only_its_authentication_is_open(client, editor):
    device = make_passkey(editor)
    login(client)
    verify = page(client.get("/admin/verify/?next=/admin/pages/"))
    template = verify.select_one("#passkey-verification-available-template")
    assert BeautifulSoup(template.decode_contents(), "lxml").select_one("button#passkey-verification-button")
    sources = [script["src"] for script in verify.select("script[src]")]
    assert "/static/django_otp_webauthn/otp_webauthn_auth.js" in sources

    options = post_json(client, "/admin/security/passkeys/authentication/begin/")
    assert options.status_code == 200
    assert options.json()["rpId"] == "localhost"
    assert [c["id"] for c in options.json()["allowCredentials"]] == [bytes_to_base64url(device.credential_id)]
    catalogue = client.get("/admin/security/passkeys/jsi18n/")
    # The package's own texts, in the project's Arabic (written \u-escaped into the script).
    assert catalogue.status_code == 200
    assert f'"Verifying...": {json.dumps("جارٍ التحقق…")}' in catalogue.content.decode()
    assert client.get("/admin/pages/")["Location"].startswith("/admin/verify/")


def test_a_passkey_that_checks_out_verifies_the_session(client, editor):
    device = make_passkey(editor)
    login(client)
    post_json(client, "/admin/security/passkeys/authentication/begin/")
    with mock.patch.object(WebAuthnHelper, "authenticate_complete", return_value=device):
        response = post_json(client, "/admin/security/passkeys/authentication/complete/?next=/admin/pages/", {})
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_refused_passkey_is_audited_in_arabic_and_verifies_nothing(client, editor):
    make_passkey(editor)
    login(client)
    post_json(client, "/admin/security/passkeys/authentication/begin/")
    unknown = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    answer = {
        "id": unknown,
        "rawId": unknown,
        "type": "public-key",
        "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA"},
    }
    response = post_json(client, "/admin/security/passkeys/authentication/complete/", answer)
    assert response.status_code == 404
    assert response.json()["detail"] == "لم يُعثر على مفتاح المرور الذي استعملته. ربما أُزيل؟"
    assert audit(editor, "nashir.2fa_failed").get().data["kind"] == PASSKEY_KIND
    assert client.get("/admin/pages/")["Location"].startswith("/admin/verify/")


def test_a_passkey_satisfies_the_required_groups(client, editor, settings):
    settings.NASHIR_REQUIRE_2FA_GROUPS = ["Editors"]
    login(client)
    assert client.get("/admin/")["Location"] == "/admin/security/"
    # Enrolment is open to the user the admin holds back.
    assert post_json(client, "/admin/security/passkeys/registration/begin/").status_code == 200
    device = make_passkey(editor)
    verified_with(client, device)
    assert services.user_enrolled(editor)
    assert client.get("/admin/").status_code == 200


def test_a_user_revokes_their_own_passkey(client, editor):
    device = make_passkey(editor)
    login(client)
    verified_with(client, device)
    response = client.post("/admin/security/revoke/", {"device": device.persistent_id})
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=device.pk).exists()
    entry = audit(editor, "nashir.2fa_revoked").get()
    assert entry.data["device"] == "حاسوب المكتب" and entry.data["kind"] == PASSKEY_KIND and entry.user_id == editor.pk


def test_an_administrator_lists_and_revokes_a_passkey(client, editor):
    device = make_passkey(editor, name="هاتف سلمى")
    admin = make_user("admin", group=None, is_superuser=True, is_staff=True)
    login(client, "admin")
    listing = page(client.get("/admin/staff-security/"))
    row = listing.select_one("#staff-factors tr[data-username=editor]")
    assert "هاتف سلمى" in row.get_text() and PASSKEY_KIND in row.get_text()
    response = client.post(f"/admin/staff-security/{editor.pk}/revoke/", {"device": device.persistent_id})
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=device.pk).exists()
    entry = audit(editor, "nashir.2fa_revoked").get()
    assert entry.user_id == admin.pk and entry.data["kind"] == PASSKEY_KIND


def test_a_passkey_left_unnamed_is_called_a_passkey(client, editor):
    login(client)
    client.post("/admin/security/passkey/", {"name": "   "})
    post_json(client, "/admin/security/passkeys/registration/begin/")
    saved = lambda **kwargs: make_passkey(editor, name="")  # noqa: E731
    with mock.patch.object(WebAuthnHelper, "register_complete", side_effect=saved):
        post_json(client, "/admin/security/passkeys/registration/complete/", {})
    assert WebAuthnCredential.objects.get(user=editor).name == "مفتاح مرور"
