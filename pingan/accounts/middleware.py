"""What a signed-in session must satisfy before it reaches any page, the admin or the API.

In order, for each request of a signed-in session:
1. the session is within its idle and absolute limits (sessions.py), or it is ended;
2. the second factor: a user who needs it (role, or enrolled) and has not passed it this session
   is sent to the code page (or to enrolment, when the role requires it and no device exists);
3. an expired password (PINGAN_PASSWORD_MAX_AGE_DAYS), or one an administrator set (reset, new
   account), is changed before anything else.
Until then only those pages and sign-out answer; API calls carried by such a session count as not
signed in (401). API calls with a Bearer token are not sessions and pass untouched: tokens are
issued by administrators (``pingan token create``) and checked by pingan/api.py.

The admin's own sign-in and password pages send to Pingan's, so there is one sign-in (lockout,
second factor) and one password change (policy, re-authentication).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from pingan.accounts import sessions
from pingan.accounts.otp import OTP_KEY, confirmed_device, otp_required
from pingan.accounts.passwords import password_change_required

API_PREFIX = "/api/"


@cache
def _urls() -> dict[str, str]:
    return {name: reverse(name) for name in (
        "accounts:login", "accounts:logout", "accounts:otp_verify", "accounts:otp_enrol",
        "accounts:password_change", "admin:login", "admin:password_change")}


def needs_second_factor(request) -> bool:
    user = request.user
    if otp_required(user):
        return True
    flag = request.session.get(OTP_KEY)
    if flag is None:  # a session from before this flag: look once
        flag = request.session[OTP_KEY] = confirmed_device(user) is not None
    return bool(flag)


class LoginPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.check(request) or self.get_response(request)

    def check(self, request):
        path = request.path_info
        if path.startswith(settings.STATIC_URL):
            return None
        urls = _urls()
        if path == urls["admin:login"]:
            return redirect_to_login(request.GET.get("next") or reverse("admin:index"), urls["accounts:login"])
        if path == urls["admin:password_change"]:
            return redirect(urls["accounts:password_change"])

        user = request.user
        if not user.is_authenticated:
            if SESSION_KEY in request.session:
                request.session.flush()  # the user was disabled or removed: end what is left
            return None
        is_api = path.startswith(API_PREFIX)

        reason = sessions.expired(request.session)
        if reason:
            request.pingan_logout_reason = reason
            logout(request)
            if not is_api:
                messages.warning(request, f"{reason}，请重新登录。")
            return None  # go on as not signed in: pages send to the login page, the API answers 401
        sessions.touch(request.session)

        if needs_second_factor(request) and not user.is_verified():
            request.pingan_signin_incomplete = True  # no menu on the pages it may see
            if is_api:
                request.user = AnonymousUser()
                return None
            if path in (urls["accounts:otp_verify"], urls["accounts:otp_enrol"], urls["accounts:logout"]):
                return None
            return redirect_to_login(request.get_full_path() if request.method == "GET" else "/",
                                     urls["accounts:otp_verify"])

        if password_change_required(user):
            request.pingan_signin_incomplete = True
            if is_api:
                request.user = AnonymousUser()
                return None
            if path in (urls["accounts:password_change"], urls["accounts:logout"]):
                return None
            return redirect(urls["accounts:password_change"])
        return None
