import ipaddress
import uuid
from contextvars import ContextVar

from django.conf import settings

_request_id: ContextVar[str] = ContextVar("pingan_request_id", default="")
_request_ip: ContextVar[str] = ContextVar("pingan_request_ip", default="")


def current_request_id() -> str:
    return _request_id.get()


def current_ip() -> str:
    return _request_ip.get()


def client_ip(request) -> str:
    """The client's address — the only place Pingan reads X-Forwarded-For. Used for every audit
    row (``RequestIdMiddleware`` → ``current_ip``) and for the login lockout (django-axes'
    AXES_CLIENT_IP_CALLABLE, via ``pingan.accounts.lockout.client_ip``, the same function).

    REMOTE_ADDR, or, behind PINGAN_PROXY_COUNT reverse proxies that each append to X-Forwarded-For,
    the entry the outermost proxy wrote (entries further left are whatever the client sent and are
    ignored). With no proxy declared the header is the client's own words and is not believed."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "PINGAN_PROXY_COUNT", 0)
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


class RequestIdMiddleware:
    """Gives every request an id, echoed in X-Request-ID and written into its audit rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        request.request_id = rid
        token = _request_id.set(rid)
        ip_token = _request_ip.set(client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
            _request_ip.reset(ip_token)
        response["X-Request-ID"] = rid
        return response


class RequestIdLogFilter:
    """Logging filter: puts the current request's id on every record (``%(request_id)s``; "-" outside
    a request), so the log line of a 500 carries the id the error page shows the user."""

    def filter(self, record) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get() or "-"
        return True


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user (session or API token):
    such pages and API answers may carry personal data, which no browser or proxy cache may keep.

    Placed near the top of MIDDLEWARE, so it sees the response last, after the view (and the API's
    token authentication) has set ``request.user``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            response["Cache-Control"] = "no-store"
            response.setdefault("Pragma", "no-cache")  # HTTP/1.0 caches
        return response
