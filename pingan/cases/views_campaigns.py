"""Campaign pages (专项行动): the list, creating and changing a campaign, and its results page — computed
from the cases, inspections and seizures tagged to it that the reader may see — where inspections
and seizures are logged."""

from __future__ import annotations

import decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.cases import forms as f
from pingan.cases import selectors, services
from pingan.cases.filters import CampaignFilter
from pingan.cases.models import Case
from pingan.cases.roles import CAMPAIGN_MANAGERS, FIELD_WRITERS, READERS
from pingan.cases.tables import CampaignTable
from pingan.core.exports import export_rows, export_table
from pingan.core.forms import add_errors, errors_text
from pingan.core.permissions import page
from pingan.core.scope import NotVisible


@page(READERS)
def campaign_list(request):
    filterset = CampaignFilter(request.GET, queryset=selectors.campaign_list(request.user))
    table = CampaignTable(filterset.qs)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="专项行动", object_type="cases.Campaign")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "cases/campaign_list.html", {"filter": filterset, "table": table,
                                                        "can_create": request.user.role in CAMPAIGN_MANAGERS})


def _goals(formset) -> list[services.GoalIn]:
    out = []
    for form in formset:
        d = form.cleaned_data
        if d and d.get("metric") and d.get("value") is not None:
            out.append(services.GoalIn(metric=d["metric"], value=d["value"], item_kind=d.get("item_kind") or ""))
    return out


@page(CAMPAIGN_MANAGERS)
def campaign_create(request):
    data = request.POST if request.method == "POST" else None
    form = f.CampaignForm(data, user=request.user, initial={"area": request.user.jurisdiction})
    goals = f.GoalFormSet(data, prefix="g")
    if data is not None and form.is_valid() and goals.is_valid():
        d = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=request.user, name=d["name"], kind=d["kind"], area=d["area"], start=d["start"], end=d["end"],
                organizer=d["organizer"], units=list(d["units"]), targets=d["targets"], goals=_goals(goals))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已创建专项行动：{campaign.name}")
            return redirect("cases:campaign", pk=campaign.pk)
    return render(request, "cases/campaign_form.html", {"form": form, "goals": goals, "campaign": None})


@page(CAMPAIGN_MANAGERS)
def campaign_edit(request, pk: int):
    campaign = selectors.campaign_get(request.user, pk)
    if not selectors.campaign_manageable(request.user, campaign):
        raise NotVisible("只有组织该行动的单位可以修改")
    data = request.POST if request.method == "POST" else None
    form = f.CampaignForm(data, user=request.user, editing=True, initial={
        "name": campaign.name, "kind": campaign.kind, "start": campaign.start, "end": campaign.end,
        "organizer": campaign.organizer, "units": list(campaign.units.all()), "targets": campaign.targets})
    goals = f.GoalFormSet(data, prefix="g", initial=[
        {"metric": g.metric, "item_kind": g.item_kind, "value": g.value} for g in campaign.goals.all()])
    if data is not None and form.is_valid() and goals.is_valid():
        d = form.cleaned_data
        try:
            services.campaign_update(actor=request.user, campaign=campaign, name=d["name"], kind=d["kind"],
                                     start=d["start"], end=d["end"], organizer=d["organizer"], units=list(d["units"]),
                                     targets=d["targets"], goals=_goals(goals))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "专项行动已保存")
            return redirect("cases:campaign", pk=campaign.pk)
    return render(request, "cases/campaign_form.html", {"form": form, "goals": goals, "campaign": campaign})


def _export(request, campaign, what: str):
    cases, inspections, seizures = selectors.campaign_records(request.user, campaign)
    if what == "inspections":
        rows = [(i.inspected_on, i.area.short_name, i.place, i.get_place_kind_display(), i.problems, i.findings,
                 str(i.station or "")) for i in inspections.select_related("area", "station").order_by("inspected_on")]
        headers = ["检查日期", "村(乡镇)", "场所", "类型", "发现问题(处)", "检查情况", "检查单位"]
        title = f"{campaign.name}-检查记录"
    elif what == "seizures":
        rows = [(s.seized_on, s.area.short_name, s.get_item_kind_display(), s.quantity, s.unit, s.description,
                 s.case.number if s.case_id else "") for s in seizures.select_related("area", "case").order_by("seized_on")]
        headers = ["收缴日期", "村(乡镇)", "物品类别", "数量", "单位", "说明", "关联案件"]
        title = f"{campaign.name}-收缴记录"
    else:
        rows = [(c.number, c.title, c.get_kind_display(), c.category.label, c.area.short_name, c.accepted_on,
                 c.get_status_display()) for c in cases.select_related("category", "category__parent", "area")
                .order_by("accepted_on")]
        headers = ["案件编号", "案件名称", "性质", "类别", "发案地", "受案日期", "状态"]
        title = f"{campaign.name}-案件"
    return export_rows(request, title=title, headers=headers, rows=rows, object_type="cases.Campaign")


@page(READERS)
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get(request.user, pk)
    what = request.GET.get("export")
    if what in ("cases", "inspections", "seizures"):
        return _export(request, campaign, what)
    cases, inspections, seizures = selectors.campaign_records(request.user, campaign)
    field_writer = request.user.role in FIELD_WRITERS
    return render(request, "cases/campaign_detail.html", {
        "campaign": campaign, "results": selectors.campaign_results(request.user, campaign),
        "units": list(campaign.units.all()),
        "cases": list(cases.select_related("category", "category__parent", "area").order_by("-accepted_on")[:100]),
        "inspections": list(inspections.select_related("area").order_by("-inspected_on")[:100]),
        "seizures": list(seizures.select_related("area", "case").order_by("-seized_on")[:100]),
        "can_edit": request.user.role in CAMPAIGN_MANAGERS and selectors.campaign_manageable(request.user, campaign),
        "inspection_form": f.InspectionForm(user=request.user) if field_writer else None,
        "seizure_form": f.SeizureForm(user=request.user) if field_writer else None,
    })


@require_POST
@page(FIELD_WRITERS)
def inspection_add(request, pk: int):
    campaign = selectors.campaign_get(request.user, pk)
    form = f.InspectionForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        d = form.cleaned_data
        try:
            services.inspection_add(actor=request.user, campaign=campaign, area=d["area"], place=d["place"],
                                    place_kind=d["place_kind"], inspected_on=d["inspected_on"], findings=d["findings"],
                                    problems=d["problems"], inspectors=d["inspectors"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已登记检查")
    return redirect("cases:campaign", pk=campaign.pk)


@require_POST
@page(FIELD_WRITERS)
def seizure_add(request, pk: int):
    campaign = selectors.campaign_get(request.user, pk)
    form = f.SeizureForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        d = form.cleaned_data
        try:
            case = None
            if d["case_number"].strip():
                case = Case.objects.visible_to(request.user).filter(number=d["case_number"].strip()).first()
                if case is None:
                    raise ValidationError(f"未找到案件{d['case_number']}（或不在您的辖区）")
            services.seizure_add(actor=request.user, campaign=campaign, area=d["area"], item_kind=d["item_kind"],
                                 quantity=decimal.Decimal(d["quantity"]), seized_on=d["seized_on"],
                                 description=d["description"], case=case)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已登记收缴")
    return redirect("cases:campaign", pk=campaign.pk)
