"""走访 and 隐患 pages: the visit log with its phone form, hazards tracked to rectification."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.areas.models import Area, Level
from pingan.core.exports import export_table
from pingan.core.forms import errors_text
from pingan.core.pagination import CappedPaginator
from pingan.core.permissions import page
from pingan.disputes import access, selectors, services
from pingan.disputes import forms as f
from pingan.disputes.filters import HazardFilter, VisitFilter
from pingan.disputes.tables import HazardTable, VisitTable


@page(access.READERS)
def visit_list(request):
    filterset = VisitFilter(request.GET, queryset=selectors.visit_list(request.user), request=request)
    table = VisitTable(filterset.qs)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="走访台账", object_type="disputes.Visit")
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": CappedPaginator}).configure(table)
    return render(request, "disputes/visit_list.html", {
        "filter": filterset, "table": table, "can_log": request.user.role in access.VISIT_WRITERS})


def _chosen_area(request, default):
    raw = (request.POST.get("area") if request.method == "POST" else request.GET.get("area")) or ""
    if raw.isdigit():
        return Area.objects.visible_to(request.user).filter(level=Level.VILLAGE, pk=int(raw)).first() or default
    return default


@page(access.VISIT_WRITERS)
def visit_new(request):
    """The phone form. Changing the village reloads the team's choices (htmx, ``?area=``)."""
    defaults = selectors.visit_defaults(request.user)
    area = _chosen_area(request, defaults["area"])
    initial = {"area": area, "team": defaults["team"], "visited_on": defaults["visited_on"]}
    data = request.POST if request.method == "POST" else None
    form = f.VisitForm(data, user=request.user, area=area, initial=initial)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            visit = services.visit_log(
                actor=request.user, area=d["area"], place_kind=d["place_kind"], place_name=d["place_name"],
                team=list(d["team"]), visited_on=d["visited_on"], findings=d["findings"],
                dispute_title=d["dispute_title"], dispute_kind=d["dispute_kind"] or "其他", hazard=form.hazard())
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            found = [x for x in ("纠纷线索" if d["dispute_title"] else "", "隐患" if form.hazard() else "") if x]
            messages.success(request, f"已记录走访：{visit.place_name}" + (f"，并登记{'、'.join(found)}" if found else ""))
            return redirect("disputes:visit_detail", pk=visit.pk)
    return render(request, "disputes/visit_form.html", {
        "form": form, "area": area, "place_names": selectors.recent_place_names(request.user, area)})


@page(access.READERS)
def visit_detail(request, pk: int):
    visit = selectors.visit_get(request.user, pk)
    return render(request, "disputes/visit_detail.html", {
        "visit": visit, "team": visit.team.select_related("agency"),
        "disputes": visit.disputes.visible_to(request.user), "hazards": visit.hazards.visible_to(request.user),
        "can_log": request.user.role in access.VISIT_WRITERS,
        "can_register": request.user.role in access.REGISTRARS})


@page(access.READERS)
def hazard_list(request):
    filterset = HazardFilter(request.GET, queryset=selectors.hazard_list(request.user), request=request)
    table = HazardTable(filterset.qs)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="隐患整改台账", object_type="disputes.Hazard")
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": CappedPaginator}).configure(table)
    return render(request, "disputes/hazard_list.html", {
        "filter": filterset, "table": table, "can_log": request.user.role in access.VISIT_WRITERS})


@page(access.VISIT_WRITERS)
def hazard_new(request):
    visit = selectors.visit_get(request.user, request.GET["visit"]) if request.GET.get("visit") else None
    initial = {"found_on": f.today()}
    if visit is not None:
        initial.update(area=visit.area, place_kind=visit.place_kind, place_name=visit.place_name,
                       found_on=visit.visited_on)
    elif request.user.jurisdiction_id and request.user.jurisdiction.level == Level.VILLAGE:
        initial["area"] = request.user.jurisdiction
    data = request.POST if request.method == "POST" else None
    form = f.HazardForm(data, user=request.user, initial=initial)
    if data is not None and form.is_valid():
        try:
            hazard = services.hazard_report(actor=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, f"已登记隐患，整改期限{hazard.deadline:%Y-%m-%d}")
            return redirect("disputes:hazard_detail", pk=hazard.pk)
    return render(request, "disputes/hazard_form.html", {"form": form, "visit": visit})


@page(access.READERS)
def hazard_detail(request, pk: int):
    hazard = selectors.hazard_get(request.user, pk)
    can_rectify = request.user.role in access.VISIT_WRITERS and hazard.status == "open"
    return render(request, "disputes/hazard_detail.html", {
        "hazard": hazard, "rectify_form": f.RectifyForm() if can_rectify else None})


@require_POST
@page(access.VISIT_WRITERS)
def hazard_rectify(request, pk: int):
    hazard = selectors.hazard_get(request.user, pk)
    form = f.RectifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            services.hazard_rectify(actor=request.user, hazard=hazard, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "隐患已整改销号")
    return redirect("disputes:hazard_detail", pk=hazard.pk)
