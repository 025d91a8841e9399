"""Accounts in the JSON API (``GET /api/me``)."""

from ninja import Router, Schema

from pingan.core.permissions import allow

router = Router(tags=["账号"])


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
