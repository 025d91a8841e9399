"""放管服一站式 pages: the stations (one-stop or not) with this year's work, a station's window page
(counts by kind and channel, outcomes, average time to completion), the request register (list,
filter, export), the window form (phone-friendly) and a request's page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.core.audit import audit_record
from pingan.core.exports import export_table
from pingan.core.forms import add_errors, errors_text
from pingan.core.models import AuditAction
from pingan.core.permissions import page
from pingan.onestop import access, selectors, services
from pingan.onestop import forms as f
from pingan.onestop.filters import RequestFilter, StationFilter
from pingan.onestop.models import ITEMS, ServiceKind
from pingan.onestop.tables import RequestTable, StationTable
from pingan.org.models import Staff


def _list(request, *, filterset_class, queryset, table_class, title: str, object_type: str, template: str,
          table_kwargs: dict | None = None, **context):
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    table = table_class(filterset.qs, **(table_kwargs or {}))
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title=title, object_type=object_type)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, template, {"filter": filterset, "table": table, "title": title, **context})


# ---- stations -------------------------------------------------------------------------------


@page(access.READERS)
def station_list(request):
    year = selectors.chosen_year(request)
    return _list(request, filterset_class=StationFilter, queryset=selectors.stations(request.user, year),
                 table_class=StationTable, table_kwargs={"year": year}, title="一站式派出所",
                 object_type="onestop.OneStopStation", template="onestop/station_list.html",
                 overview=selectors.station_overview(request.user, year), unit="个")


def _period(request) -> tuple[dt.date, dt.date]:
    """?from=&to=, by default the whole of the latest year with requests (to today in this year)."""
    today = timezone.localdate()
    year = selectors.default_year(request.user)
    default_first, default_last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    try:
        first = dt.date.fromisoformat(request.GET.get("from") or default_first.isoformat())
        last = dt.date.fromisoformat(request.GET.get("to") or default_last.isoformat())
    except ValueError:
        first, last = default_first, default_last
    return (first, last) if first <= last else (last, first)


@page(access.READERS)
def station_detail(request, pk: int):
    """The station's window page."""
    station = selectors.station_get(request.user, pk)
    first, last = _period(request)
    return render(request, "onestop/station_detail.html", {
        "station": station, "one_stop": selectors.one_stop_get(station), "first": first, "last": last,
        "s": selectors.window_summary(request.user, station, first, last),
        "can_register": request.user.role in access.CLERKS,
        "can_designate": request.user.role in access.DESIGNATORS,
    })


@page(access.DESIGNATORS)
def station_designate(request, pk: int):
    station = selectors.station_get(request.user, pk)
    record = selectors.one_stop_get(station)
    initial = ({"since": record.since, "services": record.services, "windows": record.windows, "note": record.note}
               if record else {"since": timezone.localdate()})
    form = f.DesignateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.one_stop_designate(actor=request.user, station=station, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"{station}已登记为一站式派出所")
            return redirect("onestop:station_detail", pk=station.pk)
    return render(request, "onestop/form.html", {
        "form": form, "title": f"{station}：{'修改一站式信息' if record else '登记为一站式派出所'}",
        "cancel_url": reverse("onestop:station_detail", args=[station.pk])})


# ---- requests -------------------------------------------------------------------------------


@page(access.READERS)
def request_list(request):
    return _list(request, filterset_class=RequestFilter, queryset=selectors.request_list(request.user),
                 table_class=RequestTable, title="窗口业务台账", object_type="onestop.ServiceRequest",
                 template="onestop/list.html", unit="件",
                 new_url=reverse("onestop:request_new") if request.user.role in access.CLERKS else "")


def _chosen_station(request, stations):
    raw = (request.POST.get("station") if request.method == "POST" else request.GET.get("station")) or ""
    if raw.isdigit():
        return stations.filter(pk=int(raw)).first()
    user = request.user
    if user.agency_id:
        return stations.filter(pk=user.agency_id).first()
    return None


@page(access.CLERKS)
def request_new(request):
    """The window form: large choices, done on the spot by default."""
    stations = selectors.stations(request.user)
    station = _chosen_station(request, stations)
    handlers = (Staff.objects.filter(agency=station, active=True).order_by("category", "name") if station
                else Staff.objects.none())
    data = request.POST if request.method == "POST" else None
    form = f.RequestForm(data, stations=stations, handlers=handlers,
                         initial={"station": station, "handler": request.user.staff_id})
    if data is not None and form.is_valid():
        try:
            row = services.request_register(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已登记{row.number}：{row.item}" + (f"（{row.outcome}）" if row.outcome else ""))
            return redirect(reverse("onestop:request_new") + f"?station={row.station_id}&last={row.pk}")
    last = None
    if request.GET.get("last", "").isdigit():
        last = selectors.request_list(request.user).filter(pk=int(request.GET["last"])).first()
    return render(request, "onestop/request_form.html", {
        "form": form, "station": station, "items": ITEMS, "kinds": ServiceKind.values, "last": last})


@page(access.READERS)
def request_detail(request, pk: int):
    row = selectors.request_get(request.user, pk)
    can_complete = request.user.role in access.CLERKS and row.is_pending
    return render(request, "onestop/request_detail.html", {
        "r": row, "complete_form": f.CompleteForm() if can_complete else None,
        "can_reveal": access.can_reveal(request.user)})


@require_POST
@page(access.CLERKS)
def request_complete(request, pk: int):
    row = selectors.request_get(request.user, pk)
    form = f.CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            row = services.request_complete(actor=request.user, request=row, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已{row.outcome}，用时{row.duration_text}")
    return redirect("onestop:request_detail", pk=row.pk)


@require_POST
@page(access.can_reveal)
def request_reveal(request, pk: int):
    """The applicant's full ID number and phone, on request; every reveal is audited."""
    row = selectors.request_get(request.user, pk)
    audit_record(request.user, AuditAction.VIEW_PII, row, detail="查看申请人完整身份证号码和联系电话")
    response = render(request, "onestop/_applicant.html", {"r": row, "full": True})
    response["Cache-Control"] = "no-store"
    return response
