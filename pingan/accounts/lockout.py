"""Account lockout (django-axes), wired so that a lock reveals nothing an attacker could use.

OWASP's authentication guidance (and ASVS V2.2/V6.3): the answer to a failed sign-in is the same
whether the login name is unknown, the password wrong, or the account locked or disabled. So:

* a locked account is refused by ``LockoutBackend`` before the password is checked, and the login
  form answers exactly as for a wrong password (same status, same message, which says that
  repeated failures lock an account — true for everyone, so it tells nothing about this one);
* the refused check still costs one password hash, so the answer takes as long as a real check;
* ``lockout_response`` (AXES_LOCKOUT_CALLABLE) keeps the view's own answer instead of axes' 429.

The lock itself is audited (pingan/accounts/signals.py) and lifted by the security administrator
(admin "登录锁定" or ``pingan users unlock LOGIN``) or by time (PINGAN_LOGIN_LOCK_MINUTES).
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.hashers import make_password
from django.http import HttpResponse
from django.shortcuts import render

from pingan.core.middleware import client_ip  # noqa: F401  (AXES_CLIENT_IP_CALLABLE: the one address parser)


class LockoutBackend(AxesStandaloneBackend):
    """First in AUTHENTICATION_BACKENDS: refuses a locked login before ModelBackend checks it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            make_password(password or "")  # as slow as checking a password: the lock is not timed out
            if request is not None:
                request.pingan_locked_attempt = True  # read by the LOGIN_FAILED audit row
            raise


def lockout_response(request, original_response=None, credentials=None):
    """The view's own answer (the form with its generic error), never a "locked" page."""
    if isinstance(original_response, HttpResponse):
        return original_response
    # axes' async path passes no response: the login page with the same generic error.
    failed = AuthenticationForm(request, data={"username": "", "password": ""})  # bound, invalid, no check
    return render(request, "accounts/login.html", {
        "form": failed, "failure_limit": settings.AXES_FAILURE_LIMIT, "lock_minutes": settings.PINGAN_LOGIN_LOCK_MINUTES})
