import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import render

from pingan.core.models import AuditLog
from pingan.core.permissions import page


@page(lambda user: user.policy.read_audit)
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
