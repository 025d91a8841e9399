"""Password policy (8+ characters, 3 of 4 classes, no common passwords, 90-day expiry that a setting
turns off) and changing one's password (current password, and current code when enrolled)."""

import datetime as dt
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from pingan.accounts.models import User
from pingan.accounts.passwords import CharacterClassesValidator, character_classes, password_expired
from pingan.accounts.services import AccountError, user_create
from pingan.accounts.tests.helpers import code, location, sign_in
from pingan.core.models import AuditAction, AuditLog
from pingan.testing.personas import PASSWORD, second_factor

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password_change")
NEW = "Xin-Mima-2025"


def messages_of(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


# ---------------------------------------------------------------- the rules


@pytest.mark.parametrize("password", ["Pingan-test-2024!", "Wulate7zhong", "hailiutu1!", "BAYAN#2024", "乌拉特中旗Ab12"])
def test_passwords_with_eight_characters_and_three_classes_pass(password):
    assert messages_of(password) == []


@pytest.mark.parametrize("password, expected", [
    ("Ab1!", "密码太短：至少需要8个字符"),
    ("abcdefgh12", "至少3类"),
    ("ABCDEFGH", "至少3类"),
    ("12345678", "只包含数字"),
    ("Password1", "太常见"),
    ("Station_chief1", "太相似"),
])
def test_weak_passwords_are_refused_with_a_chinese_reason(password, expected):
    found = messages_of(password, User(username="station_chief"))
    assert found and any(expected in m for m in found), found


def test_every_policy_message_is_chinese():
    user = User(username="station_chief", full_name="海流图派出所所长")
    for password in ("a", "abcdefgh", "password", "12345678", "station_chief"):
        for message in messages_of(password, user):
            assert re.search(r"[\u4e00-\u9fff]", message), message
            assert not re.search(r"[A-Za-z]{4,}", message), message


def test_the_class_rule_counts_the_four_classes_and_is_configurable():
    assert character_classes("aA1!") == {"大写字母", "小写字母", "数字", "特殊符号"}
    assert character_classes("平安乡村abc") == {"特殊符号", "小写字母"}
    CharacterClassesValidator(min_classes=4).validate("aA1!xxxx")
    with pytest.raises(ValidationError, match="至少4类.*可加入：特殊符号"):
        CharacterClassesValidator(min_classes=4).validate("aA1xxxxx")


def test_the_policy_comes_from_the_settings():
    from django.conf import settings

    assert settings.PINGAN_PASSWORD_MIN_LENGTH == 8 and settings.PINGAN_PASSWORD_MIN_CLASSES == 3
    assert settings.PINGAN_PASSWORD_MAX_AGE_DAYS == 90
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert {"MinimumLengthValidator", "CharacterClassesValidator", "CommonPasswordValidator"} <= set(names)


def test_creating_a_user_applies_the_policy():
    with pytest.raises(AccountError, match="密码不符合要求：.*至少3类"):
        user_create(actor=None, username="weak", password="abcdefgh", role="grid_worker")
    assert not User.objects.filter(username="weak").exists()


# ---------------------------------------------------------------- expiry


def age(user, days: int) -> None:
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=days))


def test_setting_a_password_starts_its_90_days_and_a_rehash_does_not(persona):
    user = persona("station_chief")
    assert timezone.now() - user.password_changed_at < dt.timedelta(minutes=1)
    age(user, 80)
    user.refresh_from_db()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                             "django.contrib.auth.hashers.MD5PasswordHasher"]):
        assert user.check_password(PASSWORD)  # re-hashed with the preferred hasher: not a change
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_")
    assert timezone.now() - user.password_changed_at > dt.timedelta(days=79)


@pytest.mark.parametrize("days, expired", [(89, False), (91, True)])
def test_a_password_expires_after_90_days(persona, days, expired):
    user = persona("station_chief")
    age(user, days)
    user.refresh_from_db()
    assert password_expired(user) is expired


def test_an_expired_password_must_be_changed_before_anything_else(persona):
    user = persona("station_chief")
    age(user, 91)
    client = Client()
    assert sign_in(client, "station_chief").status_code == 302
    for url in ("/", "/org/staff/", "/reports/", reverse("accounts:profile"), reverse("accounts:otp_enrol")):
        response = client.get(url)
        assert response.status_code == 302 and location(response) == CHANGE, url
    assert client.get("/api/me").status_code == 401
    page = client.get(CHANGE)
    assert page.status_code == 200 and "密码已超过有效期" in page.content.decode()
    response = client.post(CHANGE, {"current_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_an_expired_administrator_passes_the_second_factor_first(persona):
    user = persona("sysadmin")
    device = second_factor(user)
    age(user, 200)
    client = Client()
    sign_in(client, "sysadmin")
    assert location(client.get(CHANGE)).startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"code": code(device)})
    assert location(client.get("/")) == CHANGE


@override_settings(PINGAN_PASSWORD_MAX_AGE_DAYS=0)
def test_expiry_can_be_switched_off(persona):
    user = persona("station_chief")
    age(user, 3650)
    user.refresh_from_db()
    assert not password_expired(user)
    client = Client()
    sign_in(client, "station_chief")
    assert client.get("/").status_code == 200


# ---------------------------------------------------------------- changing it


def test_changing_the_password_needs_the_current_one(client_as, persona):
    client = client_as("station_chief")
    for data in ({"new_password1": NEW, "new_password2": NEW},
                 {"current_password": "Wrong-Password-9", "new_password1": NEW, "new_password2": NEW}):
        response = client.post(CHANGE, data)
        assert response.status_code == 200
        assert "当前密码" in response.content.decode()
    user = User.objects.get(username="station_chief")
    assert user.check_password(PASSWORD) and not user.check_password(NEW)


def test_a_weak_or_mismatched_new_password_is_refused_before_the_current_one_is_checked(client_as):
    client = client_as("station_chief")
    for new1, new2, reason in (("abcdefgh", "abcdefgh", "至少3类"), (NEW, NEW + "x", "不一致"),
                               (PASSWORD, PASSWORD, "不能与当前密码相同")):
        response = client.post(CHANGE, {"current_password": PASSWORD, "new_password1": new1, "new_password2": new2})
        assert response.status_code == 200 and reason in response.content.decode(), reason
    assert not AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED).exists()
    assert User.objects.get(username="station_chief").check_password(PASSWORD)


def test_with_a_second_factor_the_current_code_is_needed_too(persona, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = persona("auditor")
    device = second_factor(user)
    client = Client()
    client.force_login(user)
    form = client.get(CHANGE).content.decode()
    assert "当前动态口令" in form
    base = {"current_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    assert client.post(CHANGE, base).status_code == 200  # no code
    wrong = "000000" if code(device, 1) != "000000" else "111111"
    assert "动态口令不正确" in client.post(CHANGE, {**base, "current_code": wrong}).content.decode()
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, detail__contains="修改密码前").exists()
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    response = client.post(CHANGE, {**base, "current_code": code(device, 1)})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password(NEW)


def test_a_change_is_audited_without_the_password(client_as):
    client = client_as("grid_worker")
    client.post(CHANGE, {"current_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    row = AuditLog.objects.get(action=AuditAction.UPDATE, detail="本人修改密码")
    assert row.actor_login == "grid_worker"
    assert NEW not in str(row.after) and PASSWORD not in str(row.before)
    assert Client().post("/login/", {"username": "grid_worker", "password": NEW}).status_code == 302


def test_the_admin_password_page_sends_to_pingans(client_as):
    response = client_as("sysadmin").get(reverse("admin:password_change"))
    assert response.status_code == 302 and location(response) == CHANGE
