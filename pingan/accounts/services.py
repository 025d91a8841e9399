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
