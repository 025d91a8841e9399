"""The project's URLconf for the legal API tests, plus — while pingan/api.py does not yet mount
``pingan.legal.api.router`` at /api/legal/ — a copy of the project API (same authentication and
error answers) that does. Once the router is mounted, the tests run against the real /api/legal/."""

from django.urls import path
from ninja.security import django_auth

import pingan.api as project_api
from pingan.urls import urlpatterns as project_urls


def mounted() -> bool:
    return any(prefix.strip("/") == "legal" for prefix, _ in project_api.api._routers)


if mounted():
    PREFIX = "/api/legal"
    urlpatterns = list(project_urls)
else:
    PREFIX = "/legal-api-test/legal"
    test_api = project_api.PinganAPI(title="平安乡村 API（法律明白人测试）", version="legal-test",
                                     auth=[project_api.BearerToken(), django_auth], docs_url=None,
                                     urls_namespace="legal_api_test")
    for exc, handler in project_api.api._exception_handlers.items():
        test_api.add_exception_handler(exc, handler)
    test_api.add_router("/legal/", "pingan.legal.api.router")
    urlpatterns = [path("legal-api-test/", test_api.urls), *project_urls]
