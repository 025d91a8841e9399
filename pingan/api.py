"""The JSON API: one NinjaAPI, routers contributed by the apps, OpenAPI at /api/openapi.json.
Authenticated by session (with CSRF) or by ``Authorization: Bearer <token>``.

Errors always answer JSON ``{"detail": "..."}`` in Chinese: 401 not signed in or bad token,
403 role may not use the operation (audited by ``pingan.accounts.api.allow``) or CSRF failed,
404 record missing or outside the caller's jurisdiction (also an unknown /api/ path: ``not_found``),
400 a write the services refused, 422 parameters that do not validate, or a read whose parameters
a service or a FilterSet refused (with ``errors``: one entry per field).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from pingan.accounts.models import ApiToken, hash_token
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction, AuditResult
from pingan.core.scope import NotVisible


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` (issued with ``pingan token create LOGIN``). A token that is
    presented but unknown, revoked, or whose user is disabled answers 401 (and is audited) — it never
    falls back to the session."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        record = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if record is None or record.revoked or not record.user.is_active or not record.user.role:
            audit_record(None, AuditAction.LOGIN_FAILED, result=AuditResult.FAILED, login=(token or "")[:8],
                         object_type="accounts.ApiToken", object_repr=(token or "")[:8] + "…",
                         detail="API令牌无效、已吊销或用户已停用")
            raise AuthenticationError()
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        return record.user


class PinganAPI(NinjaAPI):
    """Adds the error answers every operation can give to its OpenAPI description."""

    ERROR_SCHEMA = {
        "title": "ApiError", "type": "object", "required": ["detail"],
        "properties": {
            "detail": {"type": "string", "title": "说明"},
            "errors": {"type": "array", "title": "逐项错误(422、400)", "items": {
                "type": "object", "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"}, "type": {"type": "string"}}}},
        },
    }
    ERRORS = {
        "401": "未登录，或API令牌无效、已吊销",
        "403": "角色无权使用此接口（记入审计日志），或会话请求缺少CSRF令牌",
        "404": "记录不存在或超出您的辖区范围",
        "422": "请求参数校验失败",
    }

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = self.ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}}
        for ops in schema.get("paths", {}).values():
            for method, op in ops.items():
                responses = op.setdefault("responses", {})
                codes = dict(self.ERRORS)
                if method in ("post", "put", "patch", "delete"):
                    codes["400"] = "业务规则不允许（说明见detail）"
                for code, text in codes.items():
                    responses.setdefault(code, {"description": text, **ref})
        return schema


api = PinganAPI(
    title="平安乡村 API",
    version="1",
    description=(
        "平安乡村的JSON接口。所有数据按调用者的辖区和条线裁剪；超出范围的记录返回404，角色无权使用的接口返回403。"
        "认证：请求头 `Authorization: Bearer <令牌>`（`pingan token create 登录名` 签发），"
        "或已登录的浏览器会话（修改类请求须带 `X-CSRFToken` 请求头）。个人信息（身份证号、手机号）一律脱敏。"
    ),
    auth=[BearerToken(), django_auth],
    docs_url=None,
    urls_namespace="api",
)


def _error(request, status: int, detail: str, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    # NotVisible carries a message that does not reveal whether the record exists.
    return _error(request, 404, str(exc) if isinstance(exc, NotVisible) and str(exc) else "记录不存在或超出您的辖区范围")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, str(exc) or "您的角色无权访问此功能")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = _error(request, 401, "未登录，或API令牌无效、已吊销")
    response["WWW-Authenticate"] = 'Bearer realm="pingan"'
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = str(exc)
    if exc.status_code == 403 and "CSRF" in message:
        message = "CSRF校验失败：以登录会话调用修改类接口时，须在X-CSRFToken请求头中携带CSRF令牌"
    elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = "请求体不是有效的JSON"
    elif exc.status_code == 429:
        message = "请求过于频繁，请稍后再试"
    return _error(request, exc.status_code, message)


_MESSAGES = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为true或false",
    "bool_type": "应为true或false",
    "string_type": "应为文本",
    "date_parsing": "日期格式应为YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为YYYY-MM-DD",
    "date_type": "日期格式应为YYYY-MM-DD",
    "json_invalid": "请求体不是有效的JSON",
    "model_attributes_type": "请求体应为JSON对象",
    "dict_type": "请求体应为JSON对象",
    "model_type": "请求体应为JSON对象",
    "list_type": "应为数组",
    "extra_forbidden": "不允许的字段",
}


def _chinese(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "filter_invalid":  # pingan.core.filters.filtered_or_400: the FilterSet's own Chinese message
        return error.get("msg") or "格式不正确"
    if kind == "greater_than_equal":
        return f"不能小于{ctx.get('ge')}"
    if kind == "greater_than":
        return f"应大于{ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"不能大于{ctx.get('le')}"
    if kind == "less_than":
        return f"应小于{ctx.get('lt')}"
    if kind == "string_too_short":
        return f"至少{ctx.get('min_length')}个字符"
    if kind == "string_too_long":
        return f"最多{ctx.get('max_length')}个字符"
    if kind in ("enum", "literal_error"):
        return f"取值应为：{ctx.get('expected')}"
    return "格式不正确"


def _field(loc: list) -> str:
    """("body", "name") → "name：", ("query", "limit") → "limit：", ("body",) → ""."""
    name = ".".join(str(part) for part in loc[1:])
    return f"{name}：" if name else ""


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    errors = []
    for error in exc.errors:
        loc = [part for part in error.get("loc", ()) if part not in ("payload", "filters")]
        errors.append({"loc": loc, "msg": _chinese(error), "type": error.get("type", "")})
    summary = "；".join(f"{_field(e['loc'])}{e['msg']}" for e in errors)
    return _error(request, 422, f"请求参数有误：{summary}", errors=errors)


def not_found(request, exception=None):
    """handler404 (pingan/urls.py). Under /api/ an unknown path, or a path parameter that does not fit
    the route's converter (/api/disputes/-1/close), answers JSON like every other API error; pages
    keep Django's 404 page (templates/404.html)."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": "接口不存在，或路径中的编号格式不正确"}, status=404,
                            json_dumps_params={"ensure_ascii": False})
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


@api.exception_handler(DjangoValidationError)
def _refused(request, exc):
    # A read has no body and changes nothing: what a service refuses there is its parameters (422,
    # as the OpenAPI document lists for every operation); for a write it is the request (400).
    read = request.method in ("GET", "HEAD")
    status, where = (422, "query") if read else (400, "body")
    if hasattr(exc, "error_dict"):
        errors = [{"loc": [where, field], "msg": "；".join(msgs), "type": "invalid"}
                  for field, msgs in exc.message_dict.items()]
        return _error(request, status, "；".join(e["msg"] for e in errors), errors=errors)
    return _error(request, status, "；".join(exc.messages))


api.add_router("/", "pingan.accounts.api.router")
api.add_router("/areas/", "pingan.areas.api.router")
api.add_router("/org/", "pingan.org.api.router")
api.add_router("/reports/", "pingan.reports.api.router")
api.add_router("/incidents/", "pingan.incidents.api.router")
api.add_router("/disputes/", "pingan.disputes.api.router")
api.add_router("/legal/", "pingan.legal.api.router")
api.add_router("/procuratorate/", "pingan.procuratorate.api.router")
api.add_router("/cases/", "pingan.cases.api.router")
api.add_router("/antifraud/", "pingan.antifraud.api.router")
api.add_router("/ecology/", "pingan.ecology.api.router")
api.add_router("/onestop/", "pingan.onestop.api.router")
api.add_router("/jobs/", "pingan.jobs.api.router")
