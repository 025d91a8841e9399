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
