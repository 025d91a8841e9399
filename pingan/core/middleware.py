import uuid
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("pingan_request_id", default="")
_request_ip: ContextVar[str] = ContextVar("pingan_request_ip", default="")


def current_request_id() -> str:
    return _request_id.get()


def current_ip() -> str:
    return _request_ip.get()


class RequestIdMiddleware:
    """Gives every request an id, echoed in X-Request-ID and written into its audit rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        request.request_id = rid
        token = _request_id.set(rid)
        ip_token = _request_ip.set(request.META.get("REMOTE_ADDR", ""))
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
