"""Lockout (django-axes): 5 failures lock a login name for 30 minutes, and nothing in the answer tells
an attacker whether the name exists, the password was wrong or the account is locked."""

import datetime as dt
import io
import json

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from pingan.accounts.lockout import client_ip
from pingan.accounts.tests.helpers import location, page_without_csrf, sign_in
from pingan.core.models import AuditAction, AuditLog, AuditResult
from pingan.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "Wrong-password-1!"
GENERIC = "登录失败：用户名或密码错误，或账号已被暂时锁定"


def fail(login: str, times: int, **extra) -> list:
    return [sign_in(Client(), login, WRONG, **extra) for _ in range(times)]


def failed_rows(login: str):
    return AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, actor_login=login).order_by("pk")


def test_five_failures_lock_and_the_sixth_attempt_with_the_right_password_is_refused(persona):
    persona("station_chief")
    answers = fail("station_chief", 5)
    assert all(a.status_code == 200 and GENERIC in a.content.decode() for a in answers)
    client = Client()
    response = sign_in(client, "station_chief", PASSWORD)
    assert response.status_code == 200 and GENERIC in response.content.decode()
    assert client.get("/").status_code == 302  # not signed in
    assert not AuditLog.objects.filter(action=AuditAction.LOGIN).exists()


def test_four_failures_do_not_lock_and_a_sign_in_clears_the_count(persona):
    persona("station_chief")
    fail("station_chief", 4)
    assert sign_in(Client(), "station_chief").status_code == 302
    fail("station_chief", 4)  # 4 more: counted from the sign-in, so still not locked
    assert sign_in(Client(), "station_chief").status_code == 302


def test_the_lock_ends_after_30_minutes(persona):
    persona("station_chief")
    fail("station_chief", 5)
    assert sign_in(Client(), "station_chief").status_code == 200
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - dt.timedelta(minutes=29))
    assert sign_in(Client(), "station_chief").status_code == 200  # 29 minutes: still locked
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - dt.timedelta(minutes=2))
    assert sign_in(Client(), "station_chief").status_code == 302


def test_the_lock_holds_from_every_address_and_browser(persona):
    persona("station_chief")
    fail("station_chief", 5, REMOTE_ADDR="10.1.1.1")
    response = sign_in(Client(), "station_chief", REMOTE_ADDR="10.2.2.2", HTTP_USER_AGENT="another browser")
    assert response.status_code == 200 and GENERIC in response.content.decode()


def test_locking_by_name_and_address_leaves_other_addresses_free(persona):
    persona("station_chief")
    with override_settings(AXES_LOCKOUT_PARAMETERS=[["username", "ip_address"]]):
        fail("station_chief", 5, REMOTE_ADDR="10.1.1.1")
        assert sign_in(Client(), "station_chief", REMOTE_ADDR="10.1.1.1").status_code == 200
        assert sign_in(Client(), "station_chief", REMOTE_ADDR="10.2.2.2").status_code == 302


def test_ones_own_sign_in_does_not_clear_the_failures_against_another_account(persona):
    persona("station_chief")
    persona("grid_worker")
    with override_settings(AXES_LOCKOUT_PARAMETERS=["username", "ip_address"]):
        fail("station_chief", 4)
        assert sign_in(Client(), "grid_worker").status_code == 302  # same address, own account
        fail("station_chief", 1)
        assert sign_in(Client(), "station_chief").status_code == 200  # locked all the same


# ---------------------------------------------------------------- one answer for every failure


def test_unknown_user_wrong_password_disabled_and_locked_answer_byte_for_byte_alike(persona):
    persona("station_chief")
    disabled = persona("grid_worker")
    disabled.is_active = False
    disabled.save()
    persona("village_officer")
    fail("village_officer", 5)

    answers = {
        "unknown user": sign_in(Client(), "nobody-here", WRONG),
        "wrong password": sign_in(Client(), "station_chief", WRONG),
        "disabled, right password": sign_in(Client(), "grid_worker", PASSWORD),
        "locked, right password": sign_in(Client(), "village_officer", PASSWORD),
        "locked, wrong password": sign_in(Client(), "village_officer", WRONG),
    }
    reference = answers["wrong password"]
    for name, answer in answers.items():
        assert answer.status_code == reference.status_code == 200, name
        assert page_without_csrf(answer) == page_without_csrf(reference), name
        varying = ("X-Request-ID", "Set-Cookie", "Expires")  # per request / per second
        assert {k: v for k, v in answer.items() if k not in varying} == {
            k: v for k, v in reference.items() if k not in varying}, name
        assert answer.has_header("Expires") == reference.has_header("Expires"), name
        assert sorted(answer.cookies) == sorted(reference.cookies), name


def test_the_lock_is_not_announced_with_429_or_a_lock_page_even_to_scripts(persona):
    persona("station_chief")
    fail("station_chief", 5)
    response = sign_in(Client(), "station_chief", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert GENERIC in response.content.decode()


# ---------------------------------------------------------------- audit


def test_each_failure_and_the_lock_are_audited(persona):
    persona("station_chief")
    fail("station_chief", 5)
    sign_in(Client(), "station_chief", PASSWORD)  # while locked
    rows = list(failed_rows("station_chief"))
    wrong = [r for r in rows if r.detail == "用户名或密码错误"]
    locks = [r for r in rows if r.detail.startswith("账号锁定：")]
    during = [r for r in rows if r.detail.startswith("账号锁定期间")]
    assert len(wrong) == 5 and len(locks) == 1 and len(during) == 1
    assert locks[0].result == AuditResult.DENIED and "连续5次登录失败，锁定30分钟" in locks[0].detail
    assert all(PASSWORD not in json.dumps([r.before, r.after, r.detail]) for r in rows)


def test_failures_of_an_unknown_name_are_audited_and_lock_it_the_same_way():
    fail("ghost", 6)
    rows = failed_rows("ghost")
    assert rows.filter(detail="用户名或密码错误").count() == 5
    assert rows.filter(detail__startswith="账号锁定：").count() == 1


# ---------------------------------------------------------------- addresses behind a proxy


def test_the_address_is_the_connections_unless_proxies_are_declared():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "192.0.2.10"  # no proxy declared: the header is the client's own words


@override_settings(PINGAN_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_appended_is_used_and_spoofed_ones_ignored():
    spoofed = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(spoofed) == "203.0.113.9"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"  # no header
    garbage = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(garbage) == "10.0.0.2"


@override_settings(PINGAN_PROXY_COUNT=2)
def test_behind_two_proxies_the_outer_proxys_entry_is_used():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.0.0.2")
    assert client_ip(request) == "203.0.113.9"


@override_settings(PINGAN_PROXY_COUNT=1)
def test_failures_behind_the_proxy_are_recorded_with_the_clients_address(persona):
    persona("station_chief")
    fail("station_chief", 1, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


# ---------------------------------------------------------------- lifting a lock


def test_the_security_administrator_lifts_a_lock_in_the_admin_and_it_is_audited(persona, client_as):
    persona("station_chief")
    fail("station_chief", 5)
    attempt = AccessAttempt.objects.get()
    client = client_as("secadmin")
    assert "station_chief" in client.get(reverse("admin:accounts_loginlock_changelist")).content.decode()
    response = client.post(reverse("admin:accounts_loginlock_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert sign_in(Client(), "station_chief").status_code == 302
    row = AuditLog.objects.get(action=AuditAction.DELETE, detail="解除登录锁定")
    assert row.actor_login == "secadmin" and row.before["username"] == "station_chief"


@pytest.mark.parametrize("login", ["sysadmin", "auditor", "station_chief"])
def test_only_the_security_administrator_sees_the_locks(client_as, login):
    assert client_as(login).get(reverse("admin:accounts_loginlock_changelist")).status_code in (302, 403)


def test_users_unlock_lifts_a_lock_and_is_audited(persona):
    persona("station_chief")
    fail("station_chief", 5)
    out = io.StringIO()
    call_command("users", "unlock", "station_chief", stdout=out)
    assert "已解除 station_chief 的登录锁定" in out.getvalue()
    assert sign_in(Client(), "station_chief").status_code == 302
    assert AuditLog.objects.filter(actor_login="command-line", detail__startswith="解除登录锁定").exists()


# ---------------------------------------------------------------- other doors


def test_the_admin_login_page_sends_to_pingans_sign_in():
    response = Client().get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302 and location(response).startswith(reverse("accounts:login"))
    posted = Client().post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert posted.status_code == 302 and not AccessAttempt.objects.exists()


def test_a_wrong_current_password_when_changing_it_counts_towards_the_lock(client_as, persona):
    client = client_as("station_chief")
    for _ in range(5):
        client.post(reverse("accounts:password_change"), {
            "current_password": WRONG, "new_password1": "Neues-Passwort-9", "new_password2": "Neues-Passwort-9"})
    assert sign_in(Client(), "station_chief").status_code == 200  # locked


def test_bad_bearer_tokens_still_answer_401_are_audited_and_lock_nobody(persona):
    persona("station_chief")
    for _ in range(6):
        response = Client(HTTP_AUTHORIZATION="Bearer pa_not-a-real-token").get("/api/me")
        assert response.status_code == 401
        assert response.json()["detail"] == "未登录，或API令牌无效、已吊销"
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, object_type="accounts.ApiToken").count() == 6
    assert not AccessAttempt.objects.exists()
    assert sign_in(Client(), "station_chief").status_code == 302


def test_without_the_views_answer_the_lockout_answer_is_still_the_generic_login_page(rf):
    from pingan.accounts.lockout import lockout_response

    request = rf.post("/login/", {"username": "x", "password": "y"})
    response = lockout_response(request, None, {"username": "x"})
    assert response.status_code == 200 and GENERIC in response.content.decode()
