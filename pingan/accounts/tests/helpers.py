"""Shared steps of the login tests: the real sign-in page, codes from the device's own TOTP."""

from __future__ import annotations

import re
import time

from django.test import Client

from pingan.accounts.models import OTPDevice
from pingan.accounts.otp import code_at
from pingan.testing.personas import PASSWORD

# The CSRF token is masked afresh in every page (the form field and base.html's htmx header).
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')


def sign_in(client: Client, login: str, password: str = PASSWORD, **extra):
    return client.post("/login/", {"username": login, "password": password}, **extra)


def page_without_csrf(response) -> bytes:
    return CSRF.sub(b"", response.content)


def code(device: OTPDevice, steps: int = 0) -> str:
    """The code the device shows now (``steps`` time steps later)."""
    device.refresh_from_db()
    return code_at(device, time.time() + steps * device.step)


def unthrottle(device: OTPDevice) -> None:
    """Forget failed attempts (django-otp waits 1, 2, 4 … s after each), for tests that go on."""
    OTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def location(response) -> str:
    return response.get("Location", "")
