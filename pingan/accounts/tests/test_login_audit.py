"""Signing in, signing out and failed sign-ins each write one audit row (pingan/accounts/signals.py)."""

import pytest
from django.test import Client

from pingan.core.models import AuditAction, AuditLog, AuditResult
from pingan.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db



def rows(action):
    return list(AuditLog.objects.filter(action=action))


def test_a_sign_in_is_audited_with_who_role_and_request_id(persona):
    persona("station_chief")
    response = Client().post("/login/", {"username": "station_chief", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    (row,) = rows(AuditAction.LOGIN)
    assert (row.actor_login, row.actor_role, row.result) == ("station_chief", "station_chief", AuditResult.OK)
    assert row.object_type == "accounts.User"
    assert row.request_id == response["X-Request-ID"]


def test_a_failed_sign_in_is_audited_without_the_password(persona):
    persona("station_chief")
    response = Client().post("/login/", {"username": "station_chief", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    (row,) = rows(AuditAction.LOGIN_FAILED)
    assert (row.actor, row.actor_login, row.result) == (None, "station_chief", AuditResult.FAILED)
    assert "wrong-password" not in str(row.before) + str(row.after) + row.detail
    assert not rows(AuditAction.LOGIN)


def test_a_sign_in_by_an_unknown_login_is_audited_too():
    Client().post("/login/", {"username": "nobody", "password": "x"})
    (row,) = rows(AuditAction.LOGIN_FAILED)
    assert row.actor_login == "nobody"


def test_a_disabled_account_cannot_sign_in_and_the_attempt_is_audited(persona):
    user = persona("station_chief")
    user.is_active = False
    user.save()
    response = Client().post("/login/", {"username": "station_chief", "password": PASSWORD})
    assert response.status_code == 200
    assert rows(AuditAction.LOGIN_FAILED) and not rows(AuditAction.LOGIN)


def test_a_sign_out_is_audited(client_as):
    client = client_as("grid_worker")
    response = client.post("/logout/")
    assert response.status_code == 302
    (row,) = rows(AuditAction.LOGOUT)
    assert row.actor_login == "grid_worker"
    assert client.get("/").status_code == 302  # signed out: back to the login page


def test_sign_out_by_get_is_refused(client_as):
    assert client_as("grid_worker").get("/logout/").status_code == 405
    assert not rows(AuditAction.LOGOUT)


def test_audit_times_are_utc(persona):
    persona("station_chief")
    Client().post("/login/", {"username": "station_chief", "password": PASSWORD})
    (row,) = rows(AuditAction.LOGIN)
    assert row.at.utcoffset().total_seconds() == 0
