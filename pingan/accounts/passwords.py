"""Password policy: length and common-password checks are Django's validators (their messages are
in Chinese under LANGUAGE_CODE zh-hans); the character-class rule and expiry are here.
Every number comes from the settings (PINGAN_PASSWORD_*), see pingan/settings.py."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone

CLASSES = ("大写字母", "小写字母", "数字", "特殊符号")


def character_classes(password: str) -> set[str]:
    """Which of the four classes the password uses. A character that is neither an upper- or
    lower-case letter nor a digit (punctuation, space, a Chinese character) counts as a symbol."""
    found = set()
    for ch in password:
        if ch.isupper():
            found.add("大写字母")
        elif ch.islower():
            found.add("小写字母")
        elif ch.isdigit():
            found.add("数字")
        else:
            found.add("特殊符号")
    return found


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Chinese (Django's own has no zh-hans text since 5.x)."""

    def get_error_message(self):
        return f"密码太短：至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"至少{self.min_length}个字符。"


class CharacterClassesValidator:
    """At least ``min_classes`` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = character_classes(password)
        if len(used) < self.min_classes:
            missing = "、".join(c for c in CLASSES if c not in used)
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊符号四类中的至少{self.min_classes}类，"
                f"现在只有{len(used)}类（可加入：{missing}）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"至少包含大写字母、小写字母、数字、特殊符号中的{self.min_classes}类。"


def max_age() -> dt.timedelta | None:
    days = settings.PINGAN_PASSWORD_MAX_AGE_DAYS
    return dt.timedelta(days=days) if days else None


def password_expires_at(user) -> dt.datetime | None:
    age = max_age()
    if age is None or not user.has_usable_password() or user.password_changed_at is None:
        return None
    return user.password_changed_at + age


def password_expired(user, now: dt.datetime | None = None) -> bool:
    expires = password_expires_at(user)
    return expires is not None and expires <= (now or timezone.now())


def password_set_by_administrator(user) -> bool:
    """An administrator reset the password (or made the account with it): only the user may know it."""
    return bool(getattr(user, "password_must_change", False) and user.has_usable_password())


def password_change_required(user, now: dt.datetime | None = None) -> bool:
    """The password must be changed before anything else: set by an administrator, or expired. The
    first holds even with expiry switched off (PINGAN_PASSWORD_MAX_AGE_DAYS=0)."""
    return password_set_by_administrator(user) or password_expired(user, now)
