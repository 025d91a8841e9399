"""Accounts in the JSON API (``GET /api/me``), and the two conventions every router uses: the role
check ``allow`` and the paginator ``Pages``.

``allow(roles)`` is the API's counterpart of ``pingan.core.permissions.page``: a role that may not
use an operation at all gets 403 and an audit DENIED row; an object outside the caller's
jurisdiction still answers 404 from the selectors. The allowed roles are also written into the
operation's OpenAPI description, so the document says who may call what.
"""

from collections.abc import Callable
from functools import wraps

from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination

from pingan.accounts.roles import Role
from pingan.core.permissions import deny, role_allowed

router = Router(tags=["账号"])


def _roles_text(allowed) -> str:
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


class Pages(LimitOffsetPagination):
    """``?limit=&offset=`` with bounds, so a huge value is a 422 in Chinese, not a database error:
    use ``@paginate(Pages)`` under ``@allow``."""

    MAX_LIMIT = 500

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="每页条数（1–500）")
        offset: int = Field(0, ge=0, le=1_000_000_000, description="跳过的条数")

    def __init__(self, **kwargs):
        super().__init__(max_limit=self.MAX_LIMIT, **kwargs)


class MeOut(Schema):
    login: str
    name: str
    role: str
    role_name: str
    jurisdiction_code: str
    jurisdiction: str
    agency: str


@router.get("/me", response=MeOut, summary="当前用户")
@allow()
def me(request):
    """调用者本人：登录名、角色、数据范围起点（12位区划代码）和所在单位。"""
    user = request.auth
    return {
        "login": user.username,
        "name": user.full_name,
        "role": user.role,
        "role_name": user.get_role_display(),
        "jurisdiction_code": user.jurisdiction_code,
        "jurisdiction": user.jurisdiction.short_name if user.jurisdiction_id else "",
        "agency": user.agency.name if user.agency_id else "",
    }
