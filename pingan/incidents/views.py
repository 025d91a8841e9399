"""Incident pages: list (filter, export), detail with trail and repeats, registration (phone-friendly),
placement, the audited reveal of the caller's phone, and the 110 import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.areas.models import Area
from pingan.cases.roles import WRITERS as CASE_WRITERS
from pingan.core.audit import audit_record
from pingan.core.exports import export_table
from pingan.core.forms import add_errors
from pingan.core.models import AuditAction
from pingan.core.pagination import CappedPaginator
from pingan.core.permissions import page
from pingan.disputes.access import REGISTRARS as DISPUTE_REGISTRARS
from pingan.incidents import selectors, services
from pingan.incidents.filters import IncidentFilter
from pingan.incidents.forms import ImportForm, IncidentForm, PlaceForm, TransitionForm
from pingan.incidents.importer import COLUMNS, import_incidents
from pingan.incidents.models import Incident, IncidentCategory, IncidentSource
from pingan.incidents.roles import DECIDERS, IMPORTERS, READERS, WRITERS
from pingan.incidents.tables import IncidentTable
from pingan.jobs.imports import import_as_job


@page(READERS)
def incident_list(request):
    filterset = IncidentFilter(request.GET, queryset=selectors.incident_rows(request.user))
    table = IncidentTable(filterset.qs, full_personal_data=request.user.policy.full_personal_data)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="警情", object_type="incidents.Incident")
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": CappedPaginator}).configure(table)
    return render(request, "incidents/list.html", {"filter": filterset, "table": table,
                                                   "categories": selectors.categories_top(),
                                                   "can_import": request.user.role in IMPORTERS})


@page(READERS)
def incident_detail(request, pk: int):
    incident = selectors.incident_get(request.user, pk)
    cluster = selectors.cluster_get(request.user, incident.cluster_id) if incident.cluster_id else None
    banner = incident.banner
    return render(request, "incidents/detail.html", {
        "incident": incident, "events": selectors.incident_events(incident), "cluster": cluster,
        "transition_form": TransitionForm(incident=incident) if request.user.role in WRITERS else None,
        "place_form": PlaceForm(user=request.user, banner=banner)
        if incident.needs_placement and request.user.role in DECIDERS else None,
        "can_reveal": request.user.policy.full_personal_data and bool(incident.caller_phone),
        "can_open_case": request.user.role in CASE_WRITERS, "can_open_dispute": request.user.role in DISPUTE_REGISTRARS,
    })


@require_POST
@page(lambda user: user.policy.full_personal_data and user.role in READERS)
def incident_reveal(request, pk: int):
    """The caller's full phone, for roles entitled to it; every reveal is audited."""
    incident = selectors.incident_get(request.user, pk)
    audit_record(request.user, AuditAction.VIEW_PII, incident, detail="查看完整报警电话")
    response = render(request, "incidents/_phone.html", {"incident": incident})
    response["Cache-Control"] = "no-store"
    return response


def _auto_number(user, banner) -> str:
    """SG + the second + the user; a second registration by the same user within the same second gets a
    suffix instead of “警情编号…已存在” for a number nobody typed."""
    base = number = f"SG{timezone.localtime():%Y%m%d%H%M%S}{user.pk:04d}"
    n = 1
    while Incident.objects.filter(banner=banner, number=number).exists():
        n += 1
        number = f"{base}-{n}"
    return number


@page(WRITERS)
def incident_create(request):
    banner = selectors.banner_for(request.user)
    form = IncidentForm(request.POST or None, user=request.user, banner=banner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area = Area.objects.visible_to(request.user).filter(pk=data["area"]).first() if data["area"] else None
        number = data["number"] or _auto_number(request.user, banner)
        try:
            result = services.incident_register(
                actor=request.user, banner=banner, number=number, received_at=data["received_at"],
                category=IncidentCategory.objects.get(pk=data["category"]), caller_name=data["caller_name"],
                caller_phone=data["caller_phone"], address=data["address"], content=data["content"],
                source=IncidentSource.FORM, area=area)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            text = f"已登记警情{result.incident.number}"
            if result.repeats:
                text += f"；发现与{len(result.repeats)}起先前警情重复，已归入重复警情组"
            messages.success(request, text)
            return redirect("incidents:detail", pk=result.incident.pk)
    return render(request, "incidents/form.html", {"form": form, "banner": banner})


@require_POST
@page(WRITERS)
def incident_transition(request, pk: int):
    incident = selectors.incident_get(request.user, pk)
    form = TransitionForm(request.POST, incident=incident)
    if form.is_valid():
        try:
            services.incident_transition(actor=request.user, incident=incident, status=form.cleaned_data["status"],
                                         note=form.cleaned_data["note"])
            messages.success(request, "处置状态已更新")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "请选择处置步骤")
    return redirect("incidents:detail", pk=pk)


@require_POST
@page(DECIDERS)
def incident_place(request, pk: int):
    incident = selectors.incident_get(request.user, pk)
    form = PlaceForm(request.POST, user=request.user, banner=incident.banner)
    if form.is_valid():
        area = Area.objects.visible_to(request.user).filter(pk=form.cleaned_data["area"]).first()
        try:
            if area is None:
                raise ValidationError("所选村(嘎查、社区)不在您的辖区")
            services.incident_place(actor=request.user, incident=incident, area=area)
            messages.success(request, f"已定位到{area.short_name}")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "请选择村(嘎查、社区)")
    return redirect("incidents:detail", pk=pk)


@page(IMPORTERS)
def incident_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        banner = selectors.banner_for(request.user)
        content = upload.read()
        if (job := import_as_job(request, banner=banner, name=upload.name, content=content)) is not None:
            return job  # a large file: a background job with a progress bar (pingan.jobs)
        report = import_incidents(actor=request.user, banner=banner, name=upload.name, content=content)
    return render(request, "incidents/import.html", {"form": form, "report": report, "columns": COLUMNS})
