"""The second factor (TOTP): required for 系统管理员, 安全管理员 and 审计管理员, optional for the others.
Until a session has passed it, no page, admin page or session API call answers."""

import base64
import hmac
import struct
import time

import pytest
from django.test import Client
from django.urls import reverse

from pingan.accounts.models import ApiToken, OTPDevice, hash_token
from pingan.accounts.otp import code_at, secret
from pingan.accounts.roles import Role
from pingan.accounts.tests.helpers import code, location, sign_in, unthrottle
from pingan.core.models import AuditAction, AuditLog
from pingan.testing.personas import PASSWORD, PERSONAS, second_factor

pytestmark = pytest.mark.django_db

REQUIRED = ["sysadmin", "secadmin", "auditor"]
OPTIONAL = sorted(set(PERSONAS) - set(REQUIRED))
VERIFY = reverse("accounts:otp_verify")
ENROL = reverse("accounts:otp_enrol")
# Pages of every kind an attacker holding only the password might try to open directly.
ELSEWHERE = ["/", "/org/staff/", "/org/coverage/", "/audit/", "/reports/", "/admin/", "/admin/accounts/user/",
             "/admin/accounts/otpdevice/", reverse("accounts:profile"),
             reverse("accounts:password_change"), reverse("accounts:otp_remove")]


def test_the_required_roles_are_the_three_administrators():
    from django.conf import settings

    assert set(settings.PINGAN_OTP_REQUIRED_ROLES) == {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}
    assert {Role(r).label for r in settings.PINGAN_OTP_REQUIRED_ROLES} == {"系统管理员", "安全管理员", "审计管理员"}


# ---------------------------------------------------------------- enrolment forced after the password


@pytest.mark.parametrize("login", REQUIRED)
def test_a_required_role_without_a_device_must_enrol_before_anything_else(persona, login):
    persona(login)
    client = Client()
    assert sign_in(client, login).status_code == 302
    for url in ELSEWHERE:
        response = client.get(url)
        assert response.status_code == 302 and location(response).startswith(VERIFY), url
    assert location(client.get(VERIFY)).startswith(ENROL)
    page = client.get(ENROL)
    assert page.status_code == 200
    text = page.content.decode()
    device = OTPDevice.objects.get(user__username=login, confirmed=False)
    assert "<svg" in text and secret(device)[:4] in text and "必须使用动态口令" in text
    assert "当前密码" not in text  # the password was typed a moment ago
    assert 'class="nav-link' not in text  # no menu of pages that would not open

    response = client.post(ENROL, {"code": code(device), "next": "/"})
    assert response.status_code == 302 and location(response) == "/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_type="accounts.OTPDevice")
    assert row.actor_login == login and row.detail == "绑定动态口令（TOTP）"
    assert device.key not in str(row.after)


def test_a_wrong_code_does_not_complete_the_enrolment(persona):
    persona("auditor")
    client = Client()
    sign_in(client, "auditor")
    client.get(ENROL)
    device = OTPDevice.objects.get(user__username="auditor")
    response = client.post(ENROL, {"code": "000000" if code(device) != "000000" else "111111"})
    assert response.status_code == 200 and "动态口令不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/audit/").status_code == 302
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, detail="绑定动态口令时验证码错误").exists()


def test_the_qr_code_and_key_stay_the_same_on_reload(persona):
    persona("secadmin")
    client = Client()
    sign_in(client, "secadmin")
    first, second = client.get(ENROL).content, client.get(ENROL).content
    assert OTPDevice.objects.filter(user__username="secadmin").count() == 1
    assert first.count(b"<svg") == second.count(b"<svg") == 1


# ---------------------------------------------------------------- the code step


@pytest.mark.parametrize("login", REQUIRED)
def test_with_a_device_the_password_leads_to_the_code_step_and_nowhere_else(persona, login):
    device = second_factor(persona(login))
    client = Client()
    assert sign_in(client, login).status_code == 302
    for url in ELSEWHERE + ["/api/me"]:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url  # a half signed-in session is not signed in
        else:
            assert response.status_code == 302 and location(response).startswith(VERIFY), url
    # A write elsewhere is refused the same way, and writes nothing.
    before = AuditLog.objects.count()
    response = client.post(reverse("accounts:otp_remove"), {"current_password": PASSWORD})
    assert response.status_code == 302 and location(response).startswith(VERIFY)
    assert OTPDevice.objects.filter(pk=device.pk).exists() and AuditLog.objects.count() == before

    page = client.get(VERIFY)
    assert page.status_code == 200 and "动态口令验证" in page.content.decode()
    response = client.post(VERIFY, {"code": code(device), "next": "/admin/"})
    assert response.status_code == 302 and location(response) == "/admin/"
    assert client.get("/").status_code == 200
    assert client.get("/api/me").status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.LOGIN, detail="动态口令验证通过", actor_login=login).exists()


def test_the_code_step_keeps_the_page_asked_for(persona):
    second_factor(persona("auditor"))
    client = Client()
    sign_in(client, "auditor")
    response = client.get("/audit/?action=login")
    assert location(response) == f"{VERIFY}?next=/audit/%3Faction%3Dlogin"


def test_a_wrong_code_is_refused_audited_and_throttled(persona):
    device = second_factor(persona("sysadmin"))
    client = Client()
    sign_in(client, "sysadmin")
    wrong = "123456" if code(device) != "123456" else "654321"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200 and "动态口令不正确" in response.content.decode()
    assert client.get("/").status_code == 302
    row = AuditLog.objects.get(action=AuditAction.LOGIN_FAILED, object_type="accounts.OTPDevice")
    assert row.actor_login == "sysadmin" and row.detail == "动态口令错误（登录第二步）"
    # Right away even the right code waits: django-otp doubles the delay after each failure.
    response = client.post(VERIFY, {"code": code(device)})
    assert "输错次数过多" in response.content.decode()
    unthrottle(device)
    assert client.post(VERIFY, {"code": code(device)}).status_code == 302


def test_a_code_cannot_be_used_twice(persona):
    device = second_factor(persona("secadmin"))
    first = Client()
    sign_in(first, "secadmin")
    used = code(device)
    assert first.post(VERIFY, {"code": used}).status_code == 302
    second = Client()  # someone who saw the code, with the password
    sign_in(second, "secadmin")
    response = second.post(VERIFY, {"code": used})
    assert response.status_code == 200 and "已使用过" in response.content.decode()
    assert second.get("/").status_code == 302
    unthrottle(device)
    assert second.post(VERIFY, {"code": code(device, steps=1)}).status_code == 302  # the next code works


def test_bad_codes_are_answered_not_crashed(persona):
    device = second_factor(persona("auditor"))
    client = Client()
    sign_in(client, "auditor")
    for bad in ["", "abcdef", "1" * 12, "１２３４５６", "12 34"]:
        unthrottle(device)
        response = client.post(VERIFY, {"code": bad})
        assert response.status_code == 200, bad
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("login", REQUIRED)
def test_without_the_second_factor_the_matrix_roles_are_redirected(persona, login):
    """The fixtures mark the session verified (conftest.py); without that, these roles get nowhere."""
    user = persona(login)
    second_factor(user)
    client = Client()
    client.force_login(user, second_factor=False)
    for url in ELSEWHERE:
        response = client.get(url)
        assert response.status_code == 302 and location(response).startswith(VERIFY), url
    verified = Client()
    verified.force_login(user)
    assert verified.get("/").status_code == 200


@pytest.mark.parametrize("login", ["station_chief", "grid_worker", "prosecutor"])
def test_other_roles_without_a_device_sign_in_with_the_password_alone(persona, login):
    persona(login)
    client = Client()
    sign_in(client, login)
    assert client.get("/").status_code == 200


def test_the_second_factor_does_not_touch_api_tokens(persona):
    user = persona("sysadmin")  # no device at all
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name="t", prefix=raw[:8], key_hash=hash_token(raw))
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/me")
    assert response.status_code == 200 and response.json()["login"] == "sysadmin"


def test_a_half_signed_in_session_with_a_bearer_token_uses_the_token(persona):
    second_factor(persona("sysadmin"))
    chief = persona("station_chief")
    raw = ApiToken.generate()
    ApiToken.objects.create(user=chief, name="t", prefix=raw[:8], key_hash=hash_token(raw))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    sign_in(client, "sysadmin")
    assert client.get("/api/me").json()["login"] == "station_chief"


# ---------------------------------------------------------------- optional enrolment, removal, reset


def test_another_role_may_enrol_from_their_account_with_their_password(client_as, persona):
    client = client_as("station_chief")
    page = client.get(ENROL)
    assert page.status_code == 200 and "当前密码" in page.content.decode()
    device = OTPDevice.objects.get(user__username="station_chief", confirmed=False)
    assert "当前密码" in client.post(ENROL, {"code": code(device)}).content.decode()  # password missing
    response = client.post(ENROL, {"current_password": "Wrong-Password-1", "code": code(device)})
    assert "当前密码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    response = client.post(ENROL, {"current_password": PASSWORD, "code": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200  # this session passed with the enrolment code

    later = Client()
    sign_in(later, "station_chief")
    assert location(later.get("/")).startswith(VERIFY)  # from now on the code is asked
    assert later.post(VERIFY, {"code": code(device, steps=1)}).status_code == 302
    assert later.get("/").status_code == 200


def test_enrolling_twice_is_not_possible(client_as, persona):
    client = client_as("sysadmin")  # verified with a device
    page = client.get(ENROL)
    assert page.status_code == 200 and "您已绑定动态口令" in page.content.decode()
    assert OTPDevice.objects.filter(user__username="sysadmin").count() == 1


def test_removing_the_device_needs_the_password_and_the_current_code(client_as, persona, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = persona("grid_worker")
    device = second_factor(user)
    client = Client()
    client.force_login(user)
    client.post(VERIFY, {"code": code(device)})
    url = reverse("accounts:otp_remove")
    for data in ({}, {"current_password": PASSWORD}, {"current_code": code(device, 1)},
                 {"current_password": "Wrong-Password-1", "current_code": code(device, 1)}):
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert OTPDevice.objects.filter(pk=device.pk).exists(), data
    response = client.post(url, {"current_password": PASSWORD, "current_code": code(device, 1)})
    assert response.status_code == 302 and location(response) == reverse("accounts:profile")
    assert not OTPDevice.objects.filter(user=user).exists()
    row = AuditLog.objects.get(action=AuditAction.DELETE, object_type="accounts.OTPDevice")
    assert row.actor_login == "grid_worker" and row.detail == "本人停用动态口令"
    assert client.get("/").status_code == 200
    fresh = Client()
    sign_in(fresh, "grid_worker")
    assert fresh.get("/").status_code == 200  # password alone again


def test_a_required_role_replacing_its_device_must_enrol_again_at_once(persona):
    user = persona("auditor")
    device = second_factor(user)
    client = Client()
    sign_in(client, "auditor")
    client.post(VERIFY, {"code": code(device)})
    response = client.post(reverse("accounts:otp_remove"),
                           {"current_password": PASSWORD, "current_code": code(device, 1)})
    assert location(response) == ENROL
    assert location(client.get("/audit/")).startswith(VERIFY)
    assert location(client.get(VERIFY)).startswith(ENROL)
    client.get(ENROL)
    new = OTPDevice.objects.get(user=user, confirmed=False)
    assert new.key != device.key
    assert client.post(ENROL, {"code": code(new)}).status_code == 302
    assert client.get("/audit/").status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.DELETE, detail="本人更换动态口令设备").exists()


def test_the_security_administrator_resets_a_lost_device_and_it_is_audited(client_as, persona):
    device = second_factor(persona("auditor"))
    client = client_as("secadmin")
    listing = client.get(reverse("admin:accounts_otpdevice_changelist"))
    assert listing.status_code == 200 and "auditor" in listing.content.decode()
    assert device.key not in client.get(reverse("admin:accounts_otpdevice_change", args=[device.pk])).content.decode()
    response = client.post(reverse("admin:accounts_otpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not OTPDevice.objects.filter(pk=device.pk).exists()
    row = AuditLog.objects.get(action=AuditAction.DELETE, object_type="accounts.OTPDevice")
    assert (row.actor_login, row.detail) == ("secadmin", "安全管理员重置动态口令")


@pytest.mark.parametrize("login", ["sysadmin", "auditor", "station_chief"])
def test_nobody_else_can_see_or_reset_devices(client_as, persona, login):
    device = second_factor(persona("grid_worker"))
    client = client_as(login)
    assert client.get(reverse("admin:accounts_otpdevice_changelist")).status_code in (302, 403)
    client.post(reverse("admin:accounts_otpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert OTPDevice.objects.filter(pk=device.pk).exists()
    assert client.get("/admin/otp_totp/totpdevice/").status_code in (302, 403, 404)  # django-otp's own admin is gone


# ---------------------------------------------------------------- the demo


def test_the_demo_binds_a_fixed_key_whose_codes_work_and_prints_it(persona):
    from pingan.demo import accounts as demo

    admin = persona("sysadmin")
    admin.username = "admin"
    admin.save()
    demo._enrol(admin)
    device = OTPDevice.objects.get(user=admin)
    assert device.key == demo.demo_otp_key("admin") and device.confirmed
    rows = [r for r in demo.login_rows() if r.get("otp_secret")]
    assert rows and rows[0]["otp_secret"] == secret(device)
    assert rows[0]["otp_uri"].startswith("otpauth://totp/") and f"secret={secret(device)}" in rows[0]["otp_uri"]
    client = Client()
    sign_in(client, "admin")
    # What an authenticator app makes of the printed key (RFC 6238, written out independently).
    assert client.post(VERIFY, {"code": rfc6238(rows[0]["otp_secret"])}).status_code == 302


def rfc6238(base32_secret: str, when: float | None = None) -> str:
    key = base64.b32decode(base32_secret + "=" * (-len(base32_secret) % 8))
    counter = int(time.time() if when is None else when) // 30
    digest = hmac.new(key, struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_our_codes_are_rfc_6238_codes(persona):
    device = second_factor(persona("auditor"))
    assert code_at(device, 1_700_000_000) == rfc6238(secret(device), 1_700_000_000)


def test_the_required_roles_setting_is_checked(settings):
    from pingan.accounts.checks import otp_required_roles

    assert otp_required_roles(None) == []
    settings.PINGAN_OTP_REQUIRED_ROLES = ["sysadmin", "secadmin", "no_such_role"]
    assert {p.id for p in otp_required_roles(None)} == {"accounts.E001", "accounts.W001"}
