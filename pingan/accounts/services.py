"""Account writes: users and API tokens, audited."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from pingan.accounts.models import ApiToken, User, hash_token
from pingan.accounts.roles import POLICIES, Role
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction


class AccountError(ValueError):
    pass


@transaction.atomic
def token_create(*, actor, user: User, name: str = "") -> str:
    """Issue an API token for ``user``; returns the token (shown once, only its hash is kept)."""
    if not user.is_active or not user.role:
        raise AccountError(f"用户 {user.username} 未启用或没有角色，不能签发令牌")
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=hash_token(raw))
    audit_record(actor, AuditAction.TOKEN, token, object_repr=f"{user.username} 的API令牌 {token.prefix}…",
                 login="command-line")
    return raw


@transaction.atomic
def user_create(*, actor, username: str, password: str, role: str, full_name: str = "", jurisdiction=None,
                agency=None, staff=None) -> User:
    if role not in Role.values:
        raise AccountError(f"未知角色 {role}")
    if User.objects.filter(username=username).exists():
        raise AccountError(f"登录名 {username} 已存在")
    if agency is not None and jurisdiction is not None and not (
            jurisdiction.path.startswith(agency.area.path) or agency.area.path.startswith(jurisdiction.path)):
        raise AccountError(f"辖区“{jurisdiction}”与单位“{agency}”的辖区不相交")
    user = User(username=username, role=role, full_name=full_name, jurisdiction=jurisdiction, agency=agency,
                staff=staff, is_staff=POLICIES[role].admin_site)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("密码不符合要求：" + "；".join(exc.messages)) from exc
    user.set_password(password)
    user.save()
    audit_record(actor, AuditAction.CREATE, user, after={k: v for k, v in snapshot(user).items() if k != "password"})
    return user


# ---------------------------------------------------------------- credentials and sessions


def password_change(request, user: User, new_password: str) -> None:
    """The signed-in user's own change (re-authenticated by the form). This session goes on with a
    new key; the user's other sessions end at their next request (Django's session hash)."""
    from django.contrib.auth import update_session_auth_hash

    was_reset = user.password_must_change
    user.set_password(new_password)
    user.password_must_change = False
    user.save(update_fields=["password", "password_changed_at", "password_must_change"])
    update_session_auth_hash(request, user)
    after = {"password": "（已修改）"} | ({"password_must_change": False} if was_reset else {})
    audit_record(user, AuditAction.UPDATE, user, before={"password_must_change": True} if was_reset else None,
                 after=after, detail="本人修改密码")


@transaction.atomic
def password_must_change(*, actor, user: User, detail: str) -> None:
    """An administrator has just set ``user``'s password (reset, or a new account): the user must
    change it at the next sign-in before anything else (pingan/accounts/middleware.py). Audited."""
    if not user.has_usable_password():
        return
    User.objects.filter(pk=user.pk).update(password_must_change=True)
    user.password_must_change = True
    audit_record(actor, AuditAction.UPDATE, user, after={"password": "（已重置）", "password_must_change": True},
                 detail=detail)


@transaction.atomic
def otp_confirm(request, device) -> None:
    """A pending device proved itself with a code: it becomes the user's device and this session
    counts as verified. Any other device of the user goes (one device per user)."""
    from pingan.accounts.models import OTPDevice
    from pingan.accounts.otp import mark_verified

    user = request.user
    replaced = list(OTPDevice.objects.filter(user=user).exclude(pk=device.pk))
    for old in replaced:
        old.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    mark_verified(request, device)
    audit_record(user, AuditAction.CREATE, device, object_repr=f"{user.get_username()} 的动态口令设备",
                 after={"name": device.name, "confirmed": True}, detail="绑定动态口令（TOTP）")


@transaction.atomic
def otp_remove(*, actor, device, detail: str = "停用动态口令", login: str = "") -> None:
    """Remove a user's device (the user after re-authentication, or the security administrator
    resetting a lost phone). A role that requires a second factor must enrol again at once."""
    owner = device.user
    audit_record(actor, AuditAction.DELETE, device, login=login, object_type="accounts.OTPDevice",
                 object_repr=f"{owner.get_username()} 的动态口令设备",
                 before={"name": device.name, "confirmed": device.confirmed}, detail=detail)
    device.delete()


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool, login: str = "") -> None:
    """Enable or disable an account; disabling ends its sessions at once (signals.py)."""
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(actor, AuditAction.UPDATE, user, before={"is_active": not active}, after={"is_active": active},
                 login=login, detail="启用账号" if active else "停用账号")


def user_unlock(*, actor, username: str, login: str = "") -> int:
    """Lift the sign-in lock of ``username`` (its counted failures); returns the rows cleared."""
    from axes.handlers.proxy import AxesProxyHandler

    cleared = AxesProxyHandler.reset_attempts(username=username)
    audit_record(actor, AuditAction.UPDATE, login=login, object_type="accounts.User", object_repr=username,
                 after={"failures": 0}, detail=f"解除登录锁定（清除{cleared}条失败记录）")
    return cleared
