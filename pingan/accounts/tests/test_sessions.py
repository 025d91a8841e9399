"""Sessions: a new key at sign-in, idle and absolute limits, and disabling a user ends their
sessions at once — on the database backend and on cached_db."""

import io
import time
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from pingan.accounts import sessions
from pingan.accounts.models import User
from pingan.accounts.tests.helpers import code, location, sign_in
from pingan.core.models import AuditAction, AuditLog
from pingan.testing.personas import second_factor

pytestmark = pytest.mark.django_db

CACHED_DB = "django.contrib.sessions.backends.cached_db"


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def shift(client, **seconds_ago) -> None:
    """Move the session's sign-in / last-seen times into the past."""
    session = client.session
    now = int(time.time())
    for name, ago in seconds_ago.items():
        session[{"auth": sessions.AUTH_AT, "seen": sessions.SEEN_AT}[name]] = now - ago
    session.save()


# ---------------------------------------------------------------- a new key at sign-in


def test_signing_in_gives_a_new_session_key_and_drops_the_old_one(persona):
    persona("station_chief")
    client = Client()
    planted = client.session  # e.g. a key an attacker made the victim's browser carry
    planted["x"] = 1
    planted.save()
    before = session_key(client)
    assert sign_in(client, "station_chief").status_code == 302
    after = session_key(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get("/").status_code == 200


def test_passing_the_second_factor_gives_another_new_key(persona):
    device = second_factor(persona("auditor"))
    client = Client()
    sign_in(client, "auditor")
    half = session_key(client)
    client.post(reverse("accounts:otp_verify"), {"code": code(device)})
    assert session_key(client) != half
    assert not Session.objects.filter(session_key=half).exists()
    assert client.get("/audit/").status_code == 200


# ---------------------------------------------------------------- idle and absolute limits


def test_a_session_idle_for_30_minutes_is_ended_and_audited(client_as):
    client = client_as("station_chief")
    key = session_key(client)
    shift(client, seen=30 * 60 + 1)
    response = client.get("/")
    assert response.status_code == 302 and location(response).startswith(reverse("accounts:login"))
    assert not Session.objects.filter(session_key=key).exists()
    row = AuditLog.objects.get(action=AuditAction.LOGOUT)
    assert row.actor_login == "station_chief" and row.detail == "会话空闲超过30分钟"
    assert client.get("/").status_code == 302  # stays signed out


def test_activity_keeps_a_session_alive_and_is_written_at_most_once_a_minute(client_as):
    client = client_as("station_chief")
    shift(client, seen=29 * 60)
    assert client.get("/").status_code == 200
    assert time.time() - client.session[sessions.SEEN_AT] < 5
    shift(client, seen=20)
    client.get("/")
    assert time.time() - client.session[sessions.SEEN_AT] >= 20  # not rewritten within the minute


def test_a_session_ends_after_its_absolute_lifetime_however_busy(client_as):
    client = client_as("station_chief")
    shift(client, auth=12 * 3600 + 1, seen=10)
    assert client.get("/").status_code == 302
    assert AuditLog.objects.get(action=AuditAction.LOGOUT).detail.startswith("会话超过最长时限")


@override_settings(PINGAN_SESSION_IDLE_SECONDS=120, SESSION_COOKIE_AGE=600)
def test_both_limits_are_settings(client_as):
    client = client_as("station_chief")
    shift(client, seen=121)
    assert client.get("/").status_code == 302
    client = client_as("grid_worker")
    shift(client, auth=601, seen=1)
    assert client.get("/").status_code == 302


def test_an_expired_session_on_the_api_answers_401(client_as):
    client = client_as("station_chief")
    assert client.get("/api/me").status_code == 200
    shift(client, seen=3600)
    assert client.get("/api/me").status_code == 401


def test_a_session_without_sign_in_times_is_not_trusted(persona):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    user = persona("station_chief")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                  HASH_SESSION_KEY: user.get_session_auth_hash()})
    store.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    assert client.get("/").status_code == 302


# ---------------------------------------------------------------- disabling ends every session now


def two_sessions(client_as_fn, persona, login="grid_worker"):
    a, b = Client(), Client()
    user = persona(login)
    a.force_login(user)
    b.force_login(user)
    return user, a, b


def assert_dead(*clients):
    for client in clients:
        assert not Session.objects.filter(session_key=session_key(client)).exists()
        response = client.get("/")
        assert response.status_code == 302 and location(response).startswith(reverse("accounts:login"))


def forced_logout_row():
    return AuditLog.objects.get(action=AuditAction.LOGOUT, detail__startswith="账号已停用，强制下线")


def test_disabling_in_the_admin_ends_all_sessions_at_once(client_as, persona):
    user, a, b = two_sessions(client_as, persona)
    other = client_as("station_chief")
    secadmin = client_as("secadmin")
    response = secadmin.post(reverse("admin:accounts_user_change", args=[user.pk]), {
        "role": user.role, "jurisdiction": user.jurisdiction_id, "agency": user.agency_id or "", "is_active": ""})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert_dead(a, b)
    assert other.get("/").status_code == 200  # only that user's sessions
    assert secadmin.get("/admin/").status_code == 200
    assert forced_logout_row().detail == "账号已停用，强制下线（结束2个会话）"


def test_disabling_with_the_users_command_ends_all_sessions(client_as, persona):
    user, a, b = two_sessions(client_as, persona)
    out = io.StringIO()
    call_command("users", "disable", "grid_worker", stdout=out)
    assert "已停用账号 grid_worker" in out.getvalue()
    assert_dead(a, b)
    assert forced_logout_row().object_id == str(user.pk)
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, detail="停用账号", actor_login="command-line").exists()
    call_command("users", "enable", "grid_worker", stdout=io.StringIO())
    assert User.objects.get(pk=user.pk).is_active


def test_disabling_by_any_save_ends_all_sessions(client_as, persona):
    user, a, b = two_sessions(client_as, persona)
    user.is_active = False
    user.save()
    assert_dead(a, b)


@override_settings(SESSION_ENGINE=CACHED_DB)
def test_disabling_ends_sessions_on_cached_db_too(client_as, persona):
    from django.core.cache import cache

    user, a, b = two_sessions(client_as, persona)
    assert a.get("/").status_code == 200  # read through the cache
    store_class = import_module(CACHED_DB).SessionStore
    assert cache.get(store_class.cache_key_prefix + session_key(a)) is not None
    user.is_active = False
    user.save(update_fields=["is_active"])
    for client in (a, b):
        assert cache.get(store_class.cache_key_prefix + session_key(client)) is None
    assert_dead(a, b)


def test_a_user_disabled_behind_the_signals_back_is_refused_and_the_session_flushed(client_as, persona):
    client = client_as("grid_worker")
    key = session_key(client)
    User.objects.filter(username="grid_worker").update(is_active=False)  # no signal
    response = client.get("/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(persona):
    from pingan.testing.personas import PASSWORD

    user, a, b = two_sessions(None, persona, "station_chief")
    new = "Anderes-Passwort-7"
    response = a.post(reverse("accounts:password_change"),
                      {"current_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert a.get("/").status_code == 200
    assert b.get("/").status_code == 302

