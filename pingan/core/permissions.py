"""Role checks for pages and API routes. A role that may not open a page at all gets 403 (and an
audit row); an object outside the user's jurisdiction gets 404 from the selectors instead."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from pingan.core.audit import audit_record
from pingan.core.models import AuditAction, AuditResult


def deny(user, what: str) -> PermissionDenied:
    audit_record(user, AuditAction.DENIED, result=AuditResult.DENIED, object_repr=what[:200],
                 detail="角色无权访问")
    return PermissionDenied("您的角色无权访问此功能")


def role_allowed(user, allowed: Callable | frozenset | set | None) -> bool:
    if allowed is None:
        return bool(user.role)
    if callable(allowed):
        return bool(allowed(user))
    return user.role in allowed


def page(allowed: Callable | frozenset | set | None = None):
    """Decorator for page views: signed in, and the role is allowed (a set of roles or a predicate
    on the user; None = any role)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not role_allowed(user, allowed):
                raise deny(user, request.path)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# The API's counterpart of ``page``: a role that may not use an operation gets 403 and an audit
# DENIED row; an object outside the caller's jurisdiction still answers 404 from the selectors.
# The allowed roles are written into the operation's OpenAPI description.
def _roles_text(allowed) -> str:
    from pingan.accounts.roles import Role

    if allowed is None:
        return "所有角色"
    if callable(allowed):
        return "按角色权限判断"
    return "、".join(Role(r).label for r in Role.values if r in allowed)


def allow(allowed: Callable | frozenset | set | None = None):
    """Decorator for API operations (under ``@router.get`` etc.): the caller's role must be in
    ``allowed`` (a set of roles, a predicate on the user, or None = any role)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not role_allowed(request.auth, allowed):
                raise deny(request.auth, f"API {request.method} {request.path}")
            return view(request, *args, **kwargs)

        doc = (view.__doc__ or "").strip()
        wrapper.__doc__ = (doc + "\n\n" if doc else "") + f"允许的角色：{_roles_text(allowed)}。"
        wrapper.pingan_roles = allowed
        return wrapper

    return decorator
