"""Session limits and ending a user's sessions.

* Sign-in writes two times into the session: when it signed in and when it was last seen.
  ``LoginPolicyMiddleware`` ends a session idle longer than PINGAN_SESSION_IDLE_SECONDS or older
  than PINGAN_SESSION_SECONDS (SESSION_COOKIE_AGE). "Last seen" is written at most once a minute,
  so a busy user does not cost a session write per request.
* ``end_sessions(user)`` deletes every stored session of a user (the database backend and
  cached_db, whose sessions are all in the database too: each is deleted through its SessionStore,
  so the cached copy goes as well). Disabling a user calls it (signals.py); a user disabled by a
  bulk update, which sends no signal, is still refused on the next request because Django's
  ModelBackend does not load inactive users, and the middleware then flushes that session.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

AUTH_AT = "pingan_auth_at"
SEEN_AT = "pingan_seen_at"
TOUCH_EVERY = 60  # seconds


def start(session, now: float | None = None) -> None:
    now = int(now if now is not None else time.time())
    session[AUTH_AT] = now
    session[SEEN_AT] = now


def expired(session, now: float | None = None) -> str:
    """Why this signed-in session has ended ("" if it has not)."""
    now = now if now is not None else time.time()
    auth_at, seen_at = session.get(AUTH_AT), session.get(SEEN_AT)
    if not isinstance(auth_at, int) or not isinstance(seen_at, int):
        return "会话缺少登录时间，须重新登录"
    if now - auth_at > settings.SESSION_COOKIE_AGE:
        return f"会话超过最长时限（{settings.SESSION_COOKIE_AGE // 60}分钟）"
    if now - seen_at > settings.PINGAN_SESSION_IDLE_SECONDS:
        return f"会话空闲超过{settings.PINGAN_SESSION_IDLE_SECONDS // 60}分钟"
    return ""


def touch(session, now: float | None = None) -> None:
    now = int(now if now is not None else time.time())
    if now - session.get(SEEN_AT, 0) >= TOUCH_EVERY:
        session[SEEN_AT] = now


def _store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def end_sessions(user) -> int:
    """Delete every stored session of ``user``; returns how many."""
    store_class = _store_class()
    if not hasattr(store_class, "get_model_class"):
        return 0  # sessions only in a cache or a cookie: ModelBackend still refuses inactive users
    model = store_class.get_model_class()
    target = str(user.pk)
    decoder = store_class()
    ended = 0
    rows = model.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data")
    for key, data in rows.iterator():
        if str(decoder.decode(data).get(SESSION_KEY, "")) == target:
            store_class(session_key=key).delete()
            ended += 1
    return ended
