"""A password the system administrator set (a reset in the admin, or a new account) must be changed
by its user at the next sign-in, before anything else — also with expiry switched off — and both
the reset and the change are audited."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from pingan.accounts.models import User
from pingan.accounts.passwords import password_change_required
from pingan.accounts.tests.helpers import location, sign_in
from pingan.core.models import AuditAction, AuditLog
from pingan.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password_change")
RESET = "Chongzhi-Mima-2024!"
MINE = "Ziji-de-Mima-2025"


def reset(client_as, user, password: str = RESET):
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    return client_as("sysadmin").post(url, {"password1": password, "password2": password, "usable_password": "true"})


def test_a_reset_by_the_administrator_is_audited_and_flags_the_user(client_as, persona):
    user = persona("station_chief")
    response = reset(client_as, user)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(RESET) and user.password_must_change and password_change_required(user)
    row = AuditLog.objects.get(action=AuditAction.UPDATE, object_type="accounts.User", object_id=str(user.pk),
                               detail__startswith="后台重置密码")
    assert row.actor_login == "sysadmin" and row.after == {"password": "（已重置）", "password_must_change": True}
    assert RESET not in str(row.after) and user.password not in str(row.after)


@override_settings(PINGAN_PASSWORD_MAX_AGE_DAYS=0)  # expiry off: a reset still forces the change
def test_after_a_reset_the_user_is_sent_to_change_it_until_they_do(client_as, persona):
    user = persona("station_chief")
    reset(client_as, user)
    client = Client()
    assert sign_in(client, "station_chief", RESET).status_code == 302
    for url in ("/", "/org/staff/", reverse("accounts:profile"), reverse("accounts:otp_enrol")):
        response = client.get(url)
        assert response.status_code == 302 and location(response) == CHANGE, url
    assert client.get("/api/me").status_code == 401
    page = client.get(CHANGE).content.decode()
    assert "密码由管理员设置" in page and "取消" not in page
    # the same reset password again is refused, the user stays on the page
    same = client.post(CHANGE, {"current_password": RESET, "new_password1": RESET, "new_password2": RESET})
    assert same.status_code == 200 and location(client.get("/")) == CHANGE
    done = client.post(CHANGE, {"current_password": RESET, "new_password1": MINE, "new_password2": MINE})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    user.refresh_from_db()
    assert not user.password_must_change and user.check_password(MINE)
    row = AuditLog.objects.filter(action=AuditAction.UPDATE, detail="本人修改密码", actor_login="station_chief").get()
    assert row.before["password_must_change"] is True and row.after["password_must_change"] is False
    # and the next sign-in is an ordinary one
    again = Client()
    sign_in(again, "station_chief", MINE)
    assert again.get("/").status_code == 200


def test_an_administrator_with_a_second_factor_passes_it_before_changing(client_as, persona):
    from pingan.accounts.tests.helpers import code
    from pingan.testing.personas import second_factor

    auditor = persona("auditor")
    device = second_factor(auditor)
    reset(client_as, auditor)
    client = Client()
    sign_in(client, "auditor", RESET)
    assert location(client.get("/")).startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"code": code(device)})
    assert location(client.get("/")) == CHANGE


def test_the_users_other_sessions_end_with_the_reset(client_as, persona):
    user = persona("station_chief")
    signed_in = Client()
    sign_in(signed_in, "station_chief", PASSWORD)
    assert signed_in.get("/").status_code == 200
    reset(client_as, user)
    assert location(signed_in.get("/")).startswith(reverse("accounts:login"))


def test_a_new_account_made_in_the_admin_must_change_its_first_password(client_as):
    client_as("sysadmin").post(reverse("admin:accounts_user_add"), {
        "username": "new_clerk", "password1": RESET, "password2": RESET, "full_name": "新同事",
        "usable_password": "true"})
    user = User.objects.get(username="new_clerk")
    assert user.password_must_change


def test_nobody_but_the_system_administrator_can_reset(client_as, persona):
    user = persona("station_chief")
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    client_as("secadmin").post(url, {"password1": RESET, "password2": RESET, "usable_password": "true"})
    user.refresh_from_db()
    assert not user.password_must_change and user.check_password(PASSWORD)


def test_an_account_without_a_usable_password_is_not_sent_to_change_one(persona):
    user = persona("station_chief")
    user.set_unusable_password()
    user.password_must_change = True
    user.save()
    assert not password_change_required(user)
