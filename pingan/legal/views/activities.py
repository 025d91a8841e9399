"""Activities (宣传, 调解, 咨询, 走访) and the judicial office's monthly work 台账."""

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django_tables2 import RequestConfig

from pingan.areas.models import Area
from pingan.core.audit import audit_record
from pingan.core.exports import export_table
from pingan.core.models import AuditAction
from pingan.core.pagination import CappedPaginator
from pingan.core.permissions import page
from pingan.core.scope import get_visible_or_404
from pingan.legal import selectors, services
from pingan.legal.exports import ledger_response
from pingan.legal.filters import ActivityFilter
from pingan.legal.forms import ActivityForm
from pingan.legal.models import QUOTA_UNIT_KINDS, ActivityKind
from pingan.legal.tables import ActivityTable
from pingan.legal.views.common import MANAGERS, READERS


@page(READERS)
def activity_list(request):
    filterset = ActivityFilter(request.GET, queryset=selectors.activity_list(request.user))
    table = ActivityTable(filterset.qs)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="法律明白人法治活动", object_type="legal.Activity")
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": CappedPaginator}).configure(table)
    return render(request, "legal/activity_list.html", {"filter": filterset, "table": table,
                                                        "kinds": ActivityKind.choices})


@page(READERS)
def activity_create(request):
    user = request.user
    villages = (Area.objects.visible_to(user).filter(kind__in=QUOTA_UNIT_KINDS).select_related("parent").order_by("code"))
    persons = selectors.participants_for(user)
    if user.role not in MANAGERS:  # a legal-literate person records in the villages they serve
        villages = villages.filter(pk__in=persons.values("village_id"))
    form = ActivityForm(request.POST or None, request.FILES or None, villages=villages, persons=persons,
                        advisers=selectors.advisers_in_scope(user))
    if request.method == "POST" and form.is_valid():
        activity = form.apply(lambda d: services.activity_record(actor=user, **d))
        if activity is not None:
            messages.success(request, "活动已登记")
            return redirect("legal:activity_detail", pk=activity.pk)
    return render(request, "legal/activity_form.html", {"form": form})


@page(READERS)
def activity_detail(request, pk: int):
    activity = selectors.activity_get(request.user, pk)
    return render(request, "legal/activity_detail.html", {
        "activity": activity, "full": request.user.policy.full_personal_data})


@page(READERS)
def activity_attachment(request, pk: int):
    """Attachments are served only through the scope check, never from a public media URL."""
    activity = selectors.activity_get(request.user, pk)
    if not activity.attachment:
        raise Http404("没有附件")
    audit_record(request.user, AuditAction.EXPORT, activity, detail="下载活动附件")
    content_type = mimetypes.guess_type(activity.attachment.name)[0] or "application/octet-stream"
    response = FileResponse(activity.attachment.open("rb"), content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _month(request) -> tuple[int, int]:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = timezone.localdate()
    return today.year, today.month


@page(MANAGERS)
def ledger(request):
    """月度工作台账 of one judicial office: the user's own office by default."""
    offices = selectors.offices_visible(request.user)
    requested = request.GET.get("office")
    if requested:
        office = get_visible_or_404(offices, request.user, pk=requested)
    else:
        office = offices.filter(pk=request.user.agency_id).first() or offices.first()
    year, month = _month(request)
    if office is None:
        return render(request, "legal/ledger.html", {"ledger": None, "month": f"{year:04d}-{month:02d}"})
    data = selectors.ledger(request.user, office, year, month)
    if request.GET.get("export") == "xlsx":
        return ledger_response(request, data)
    return render(request, "legal/ledger.html", {"ledger": data, "offices": offices, "month": f"{year:04d}-{month:02d}",
                                                 "totals": data.totals(), "kinds": ActivityKind.choices,
                                                 "full": request.user.policy.full_personal_data})
