import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from pingan.core.middleware import current_request_id
from pingan.core.models import AuditLog
from pingan.core.permissions import page


@page(lambda user: user.policy.read_audit)
@require_safe  # reading only: a POST is 405, nothing in the audit log is ever written from here
def audit_list(request):
    qs = AuditLog.objects.all()
    for param, lookup in (("login", "actor_login__icontains"), ("action", "action"), ("object", "object_repr__icontains"),
                          ("request_id", "request_id"), ("result", "result")):
        value = request.GET.get(param, "").strip()
        if value:
            qs = qs.filter(**{lookup: value})
    for param, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        try:
            day = dt.date.fromisoformat(request.GET.get(param, ""))
        except ValueError:
            continue  # an empty or malformed date is no filter
        qs = qs.filter(**{lookup: day})
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page_obj": page_obj, "actions": AuditLog._meta.get_field("action").choices})


@requires_csrf_token
def server_error(request):
    """handler500: the generic page, with only the request id (错误编号) the log line also carries.
    Rendered without the request's context processors: whatever failed (the database …) is not touched."""
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": current_request_id()}))
