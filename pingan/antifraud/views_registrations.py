"""国家反诈中心 app statistics: the snapshot list, the form, the per-period import (template, every
error by row and column, all or nothing), correction and deletion, and the rates page — per village
the installation rate at the start and end of a year and its change in percentage points."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from pingan.areas.models import Area, Level
from pingan.core.exports import export_rows, export_table
from pingan.core.forms import add_errors
from pingan.core.imports import max_upload_bytes, run_import, upload_limited
from pingan.core.permissions import page
from pingan.core.xlsx import xlsx_response

from . import selectors, services
from .access import READERS, STATISTICS_WRITERS
from .filters import SnapshotFilter
from .forms import SnapshotEditForm, SnapshotForm, SnapshotImportForm
from .importer import SnapshotImporter
from .tables import SnapshotTable
from .views import year_of


@page(READERS)
def registration_list(request):
    filterset = SnapshotFilter(request.GET, queryset=selectors.snapshot_list(request.user))
    table = SnapshotTable(filterset.qs, can_edit=request.user.role in STATISTICS_WRITERS)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="国家反诈中心APP注册统计", object_type="antifraud.RegistrationSnapshot")
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    return render(request, "antifraud/registration_list.html", {
        "filter": filterset, "table": table, "areas": selectors.areas_for(request.user, townships=True),
        "can_import": request.user.role in STATISTICS_WRITERS})


@page(STATISTICS_WRITERS)
def registration_create(request):
    form = SnapshotForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record, replaced = services.snapshot_record(actor=request.user, area=data["area"], on=data["on"],
                                                        registered=data["registered"], population=data["population"],
                                                        replace=data["replace"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"{'已替换' if replaced else '已录入'}{record.area.short_name}{record.on:%Y-%m-%d}的统计："
                                      f"累计注册{record.registered}人，安装率{record.rate_pct}%")
            return redirect("antifraud:registration_list")
    return render(request, "antifraud/form.html", {"form": form, "title": "录入国家反诈中心APP注册统计", "button": "保存",
                                                   "back": "antifraud:registration_list"})


@page(STATISTICS_WRITERS)
def registration_edit(request, pk: int):
    record = selectors.snapshot_get(request.user, pk)
    initial = {"registered": record.registered, "population": None if record.population_from_area else record.population}
    form = SnapshotEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.snapshot_update(actor=request.user, record=record, registered=form.cleaned_data["registered"],
                                     population=form.cleaned_data["population"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "统计已更正")
            return redirect("antifraud:registration_list")
    return render(request, "antifraud/registration_edit.html", {"form": form, "record": record})


@require_POST
@page(STATISTICS_WRITERS)
def registration_delete(request, pk: int):
    record = selectors.snapshot_get(request.user, pk)
    services.snapshot_delete(actor=request.user, record=record)
    messages.success(request, f"已删除{record.area.short_name}{record.on:%Y-%m-%d}的统计")
    return redirect("antifraud:registration_list")


@page(STATISTICS_WRITERS)  # first: a role without import rights is refused before the body is read
@upload_limited
@require_http_methods(["GET", "POST"])
def registration_import(request):
    posted = request.method == "POST"
    form = SnapshotImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        importer = SnapshotImporter(on=form.cleaned_data["on"], replace=form.cleaned_data["replace"],
                                    filename=getattr(upload, "name", "") or "")
        result = run_import(importer, request.user, upload)
    return render(request, "antifraud/registration_import.html", {
        "form": form, "result": result, "columns": SnapshotImporter.columns,
        "max_mb": max_upload_bytes() // (1024 * 1024) or 1})


@page(STATISTICS_WRITERS)
def registration_template(request):
    importer = SnapshotImporter()
    return xlsx_response(importer.template(request.user), f"{importer.label}导入模板.xlsx")


def _under(request) -> Area | None:
    code = (request.GET.get("area") or "").strip()
    if not code:
        return None
    area = Area.objects.visible_to(request.user).filter(code=code, level__in=(Level.TOWNSHIP, Level.VILLAGE)).first()
    if area is None:
        raise Http404("辖区不存在或超出您的辖区范围")
    return area


RATE_HEADERS = ("乡镇(苏木)", "村(嘎查、社区)", "年初统计日期", "年初累计注册", "年初人口基数", "年初安装率(%)",
                "年末统计日期", "年末累计注册", "年末人口基数", "年末安装率(%)", "新增注册", "安装率变化(个百分点)")


def _rate_rows(figures):
    for v in figures.villages:
        area = v.area
        yield (area.parent.short_name if area and area.parent_id else "", area.short_name if area else "",
               v.start.on, v.start.registered, v.start.population, v.start_rate,
               v.end.on, v.end.registered, v.end.population, v.end_rate, v.new, v.change_pp)


@page(READERS)
def registration_rates(request):
    year = year_of(request)
    under = _under(request)
    figures = selectors.registration_rates(request.user, year, under=under)
    if request.GET.get("export") == "xlsx":
        rows = list(_rate_rows(figures))
        rows.append(("合计", "", "", figures.start_registered, figures.start_population, figures.start_rate, "",
                     figures.end_registered, figures.end_population, figures.end_rate, figures.new_registrations,
                     figures.change_pp))
        return export_rows(request, title=f"{year}年国家反诈中心APP安装率", headers=RATE_HEADERS, rows=rows,
                           object_type="antifraud.RegistrationSnapshot")
    chart = {"labels": [v.area.short_name for v in figures.villages if v.area],
             "change": [float(v.change_pp or 0) for v in figures.villages if v.area],
             "end": [float(v.end_rate or 0) for v in figures.villages if v.area]}
    return render(request, "antifraud/registration_rates.html", {
        "year": year, "figures": figures, "under": under, "chart": chart,
        "townships": selectors.areas_for(request.user, townships=True).filter(level=Level.TOWNSHIP),
        "years": range(year + 1, year - 6, -1)})
