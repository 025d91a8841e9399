"""林草湖警长 pages: the zones with their chains, the patrol log (a phone form for the field), the
joint-enforcement actions and the ecological cases. Thin: parse, read through a selector, call one
service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.core.audit import audit_record
from pingan.core.exports import export_table
from pingan.core.forms import add_errors, errors_text
from pingan.core.models import AuditAction
from pingan.core.permissions import page
from pingan.ecology import access, selectors, services
from pingan.ecology import forms as f
from pingan.ecology.filters import ActionFilter, EcoCaseFilter, PatrolFilter, ZoneFilter
from pingan.ecology.tables import ActionTable, EcoCaseTable, PatrolTable, ZoneTable


def _list(request, *, filterset_class, queryset, table_class, title: str, object_type: str, template: str,
          table_kwargs: dict | None = None, **context):
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    table = table_class(filterset.qs, **(table_kwargs or {}))
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title=title, object_type=object_type)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, template, {"filter": filterset, "table": table, "title": title, **context})


# ---- zones ----------------------------------------------------------------------------------


@page(access.READERS)
def zone_list(request):
    year = selectors.chosen_year(request)
    return _list(request, filterset_class=ZoneFilter, queryset=selectors.zone_list(request.user, year),
                 table_class=ZoneTable, table_kwargs={"year": year}, title="林草湖警长责任区",
                 object_type="ecology.Zone", template="ecology/zone_list.html",
                 overview=selectors.overview(request.user, year), unit="个",
                 new_url=reverse("ecology:zone_new") if request.user.role in access.MANAGERS else "",
                 new_label="设立责任区")


@page(access.MANAGERS)
def zone_new(request):
    form = f.ZoneForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            zone = services.zone_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已设立责任区：{zone.name}，请配置责任链")
            return redirect("ecology:zone_detail", pk=zone.pk)
    return render(request, "ecology/form.html", {"form": form, "title": "设立林草湖责任区",
                                                 "cancel_url": reverse("ecology:zone_list")})


@page(access.MANAGERS)
def zone_edit(request, pk: int):
    zone = selectors.zone_get(request.user, pk)
    initial = {"name": zone.name, "kind": zone.kind, "places": list(zone.places.all()), "size": zone.size,
               "size_unit": zone.size_unit, "established_on": zone.established_on, "ended_on": zone.ended_on,
               "geometry": zone.geometry, "description": zone.description}
    form = f.ZoneForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.zone_update(actor=request.user, zone=zone, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "责任区已修改")
            return redirect("ecology:zone_detail", pk=zone.pk)
    return render(request, "ecology/form.html", {"form": form, "title": f"修改责任区：{zone.name}",
                                                 "cancel_url": reverse("ecology:zone_detail", args=[zone.pk])})


@page(access.READERS)
def zone_detail(request, pk: int):
    zone = selectors.zone_get(request.user, pk)
    manager = request.user.role in access.MANAGERS
    return render(request, "ecology/zone_detail.html", {
        "zone": zone, **selectors.zone_detail(request.user, zone), "can_manage": manager,
        "can_patrol": request.user.role in access.PATROL_WRITERS, "can_reveal": access.can_reveal(request.user),
        "keeper_form": f.KeeperForm(zone=zone) if manager and zone.ended_on is None else None,
        "end_form": f.KeeperEndForm() if manager else None,
        "case_form": f.CaseLinkForm(user=request.user, zone=zone) if manager else None,
    })


@require_POST
@page(access.MANAGERS)
def case_link(request, pk: int):
    zone = selectors.zone_get(request.user, pk)
    form = f.CaseLinkForm(request.POST, user=request.user, zone=zone)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            link = services.eco_case_link(actor=request.user, zone=zone, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已关联生态案件{link.case.number}")
    return redirect("ecology:zone_detail", pk=zone.pk)


@require_POST
@page(access.MANAGERS)
def keeper_add(request, pk: int):
    zone = selectors.zone_get(request.user, pk)
    form = f.KeeperForm(request.POST, zone=zone)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            keeper = services.keeper_add(actor=request.user, zone=zone, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已将{keeper.name}列为{keeper.get_level_display()}")
    return redirect("ecology:zone_detail", pk=zone.pk)


@require_POST
@page(access.MANAGERS)
def keeper_end(request, pk: int):
    keeper = selectors.keeper_get(request.user, pk)
    form = f.KeeperEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            services.keeper_end(actor=request.user, keeper=keeper, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"{keeper.name}已调出责任链")
    return redirect("ecology:zone_detail", pk=keeper.zone_id)


@require_POST
@page(access.can_reveal)
def keepers_reveal(request, pk: int):
    """Full phone numbers of the chain, on request; every reveal is audited."""
    zone = selectors.zone_get(request.user, pk)
    audit_record(request.user, AuditAction.VIEW_PII, zone, detail="查看责任链人员完整联系电话")
    response = render(request, "ecology/_chain.html", {"zone": zone, "chain": selectors.chain(zone), "full": True})
    response["Cache-Control"] = "no-store"
    return response


# ---- patrols --------------------------------------------------------------------------------


@page(access.READERS)
def patrol_list(request):
    return _list(request, filterset_class=PatrolFilter, queryset=selectors.patrol_list(request.user),
                 table_class=PatrolTable, title="巡护记录", object_type="ecology.Patrol",
                 template="ecology/list.html", unit="次", new_label="记录巡护",
                 new_url=reverse("ecology:patrol_new") if request.user.role in access.PATROL_WRITERS else "")


def _chosen_zone(request):
    raw = (request.POST.get("zone") if request.method == "POST" else request.GET.get("zone")) or ""
    return selectors.zones_for(request.user).filter(pk=int(raw)).first() if raw.isdigit() else None


@page(access.PATROL_WRITERS)
def patrol_new(request):
    """The phone form. Choosing the zone reloads the chain to tick (htmx, ``?zone=``)."""
    zone = _chosen_zone(request)
    data = request.POST if request.method == "POST" else None
    form = f.PatrolForm(data, user=request.user, zone=zone, initial={"zone": zone})
    if data is not None and form.is_valid():
        d = dict(form.cleaned_data)
        d["people"] = list(d["people"])
        d["others_count"] = d["others_count"] or 0
        try:
            patrol = services.patrol_log(actor=request.user, **d)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已记录巡护：{patrol.zone.name}")
            return redirect("ecology:patrol_detail", pk=patrol.pk)
    return render(request, "ecology/patrol_form.html", {"form": form, "zone": zone})


@page(access.READERS)
def patrol_detail(request, pk: int):
    patrol = selectors.patrol_get(request.user, pk)
    return render(request, "ecology/patrol_detail.html", {
        "patrol": patrol, "people": patrol.people.select_related("staff"),
        "cases": _links(request, patrol=patrol), "can_log": request.user.role in access.PATROL_WRITERS})


def _links(request, **lookup):
    """The cases linked to a patrol or an action that the reader may see."""
    return list(selectors.eco_case_list(request.user).filter(**lookup).order_by("case__accepted_on"))


# ---- joint enforcement ----------------------------------------------------------------------


@page(access.READERS)
def action_list(request):
    return _list(request, filterset_class=ActionFilter, queryset=selectors.action_list(request.user),
                 table_class=ActionTable, title="生态环保联合执法", object_type="ecology.JointAction",
                 template="ecology/list.html", unit="次", new_label="记录联合执法",
                 new_url=reverse("ecology:action_new") if request.user.role in access.MANAGERS else "")


@page(access.MANAGERS)
def action_new(request):
    zone = _chosen_zone(request)
    data = request.POST if request.method == "POST" else None
    form = f.ActionForm(data, user=request.user, zone=zone, initial={"zone": zone})
    if data is not None and form.is_valid():
        d = dict(form.cleaned_data)
        d["agencies"] = list(d["agencies"])
        d["participants"] = d["participants"] or 0
        try:
            action = services.joint_action_record(actor=request.user, **d)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已记录联合执法：{action.title}")
            return redirect("ecology:action_detail", pk=action.pk)
    return render(request, "ecology/action_form.html", {"form": form, "zone": zone})


@page(access.READERS)
def action_detail(request, pk: int):
    action = selectors.action_get(request.user, pk)
    return render(request, "ecology/action_detail.html", {
        "action": action, "agencies": action.agencies.all(), "cases": _links(request, joint_action=action),
        "can_manage": request.user.role in access.MANAGERS})


# ---- ecological cases -----------------------------------------------------------------------


@page(access.READERS)
def case_list(request):
    return _list(request, filterset_class=EcoCaseFilter, queryset=selectors.eco_case_list(request.user),
                 table_class=EcoCaseTable, title="生态环境案件", object_type="ecology.EcoCase",
                 template="ecology/list.html", unit="件")
