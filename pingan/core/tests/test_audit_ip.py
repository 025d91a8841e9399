"""The address in every audit row comes from the one trusted-proxy parser the lockout uses
(pingan.core.middleware.client_ip): a client's own X-Forwarded-For is not believed, the declared
proxy's entry is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.utils.module_loading import import_string

from pingan.core import middleware
from pingan.core.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db

WRONG = "Wrong-password-1!"


def failed_login(login: str, **extra) -> AuditLog:
    Client().post("/login/", {"username": login, "password": WRONG}, **extra)
    return AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, actor_login=login).latest("pk")


def signed_in_row(client_as, **extra) -> AuditLog:
    """An audited action of a signed-in user (signing out writes a LOGOUT row)."""
    client = client_as("station_chief")
    before = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.post("/logout/", **extra)
    return AuditLog.objects.filter(pk__gt=before, action=AuditAction.LOGOUT).get()


def test_without_a_declared_proxy_a_forwarded_header_is_the_clients_word_and_ignored(persona):
    persona("station_chief")
    row = failed_login("station_chief", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert row.ip == "192.0.2.10"
    assert AccessAttempt.objects.get(username="station_chief").ip_address == "192.0.2.10"


@override_settings(PINGAN_PROXY_COUNT=1)
def test_behind_the_proxy_the_audit_row_and_the_lock_take_the_proxys_entry_not_the_spoofed_one(persona):
    persona("station_chief")
    row = failed_login("station_chief", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert row.ip == "203.0.113.9"  # 6.6.6.6 is what the client put in the header itself
    assert AccessAttempt.objects.get(username="station_chief").ip_address == "203.0.113.9"


@override_settings(PINGAN_PROXY_COUNT=1)
def test_a_signed_in_users_audit_rows_carry_the_same_address(client_as):
    row = signed_in_row(client_as, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert row.ip == "198.51.100.7"
    garbage = signed_in_row(client_as, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")
    assert garbage.ip == "10.0.0.2"


@override_settings(PINGAN_PROXY_COUNT=2)
def test_audit_and_lockout_agree_for_any_header():
    for header in ("", "6.6.6.6", "6.6.6.6, 203.0.113.9, 10.0.0.2", "x, y", " , ,", "2001:db8::1, 10.0.0.2"):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR=header)
        assert get_client_ip_address(request) == middleware.client_ip(request), header


def test_one_function_is_the_only_source():
    from pingan.accounts import lockout

    assert import_string(settings.AXES_CLIENT_IP_CALLABLE) is middleware.client_ip
    assert lockout.client_ip is middleware.client_ip
    # No second X-Forwarded-For parser anywhere in the application code.
    root = Path(middleware.__file__).resolve().parents[1]
    reads = re.compile(r"HTTP_X_FORWARDED_FOR|headers(\.get\(|\[)\s*[\"']x-forwarded-for", re.IGNORECASE)
    readers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                     if "tests" not in p.parts and p.name != "conftest.py" and reads.search(p.read_text()))
    assert readers == ["core/middleware.py"]
