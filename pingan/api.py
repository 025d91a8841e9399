"""The JSON API: one NinjaAPI, routers contributed by the apps, OpenAPI at /api/openapi.json.
Authenticated by session (with CSRF) or by ``Authorization: Bearer <token>``."""

from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from pingan.accounts.models import ApiToken, hash_token


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        try:
            record = ApiToken.objects.select_related("user").get(key_hash=hash_token(token), revoked=False)
        except ApiToken.DoesNotExist:
            return None
        if not record.user.is_active or not record.user.role:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        return record.user


api = NinjaAPI(
    title="平安乡村 API",
    version="1",
    description="平安乡村的JSON接口。所有数据按调用者的辖区和条线裁剪；超出范围的记录返回404。",
    auth=[BearerToken(), django_auth],
    docs_url=None,
    urls_namespace="api",
)

api.add_router("/areas/", "pingan.areas.api.router")
api.add_router("/org/", "pingan.org.api.router")
