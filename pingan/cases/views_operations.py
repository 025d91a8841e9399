"""Synthetic operation pages (合成作战): the list, opening one over a theft series (from a case's
suggested series), the operation page — its cases, suspects caught and recoveries as the reader may
see them, and for the command centre the suggested cases to link — and linking, unlinking, closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.cases import forms as f
from pingan.cases import selectors, services
from pingan.cases.filters import OperationFilter
from pingan.cases.roles import OPERATION_MANAGERS, READERS
from pingan.cases.tables import OperationTable
from pingan.core.exports import export_table
from pingan.core.forms import add_errors, errors_text
from pingan.core.permissions import page
from pingan.core.scope import NotVisible


@page(READERS)
def operation_list(request):
    filterset = OperationFilter(request.GET, queryset=selectors.operation_list(request.user))
    table = OperationTable(filterset.qs)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="合成作战", object_type="cases.Operation")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "cases/operation_list.html", {"filter": filterset, "table": table,
                                                         "can_create": request.user.role in OPERATION_MANAGERS})


@page(OPERATION_MANAGERS)
def operation_create(request):
    seed = None
    raw = request.GET.get("case") or request.POST.get("case")
    if raw:
        try:
            seed = selectors.case_get(request.user, int(raw))
        except (TypeError, ValueError) as exc:
            raise NotVisible("案件不存在或超出您的辖区范围") from exc
    initial = {"area": selectors.banner_of(request.user)}
    if seed is not None:
        initial.update(case=seed.pk, method=seed.method, goods=seed.goods,
                       name=f"{seed.area.parent.short_name if seed.area.parent_id else ''}系列{seed.category.name}案合成作战")
    form = f.OperationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            operation = services.operation_create(
                actor=request.user, name=d["name"], area=d["area"], opened_on=d["opened_on"], lead_unit=d["lead_unit"],
                method=d["method"], goods=d["goods"], description=d["description"],
                cases=[seed] if seed is not None else [])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已启动合成作战：{operation.name}")
            return redirect("cases:operation", pk=operation.pk)
    return render(request, "cases/operation_form.html", {"form": form, "seed": seed})


@page(READERS)
def operation_detail(request, pk: int):
    operation = selectors.operation_get(request.user, pk)
    view = selectors.operation_view(request.user, operation)
    manage = request.user.role in OPERATION_MANAGERS and view.full
    return render(request, "cases/operation_detail.html", {
        "view": view, "operation": operation, "can_manage": manage,
        "candidates": selectors.series_candidates(request.user, operation=operation) if manage else [],
        "close_form": f.OperationCloseForm() if manage and operation.status == "open" else None})


@require_POST
@page(OPERATION_MANAGERS)
def operation_cases(request, pk: int):
    operation = selectors.operation_get(request.user, pk)
    form = f.OperationCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择案件")
        return redirect("cases:operation", pk=operation.pk)
    case = selectors.case_get(request.user, form.cleaned_data["case"])
    try:
        if form.cleaned_data["action"] == "add":
            services.operation_add_case(actor=request.user, operation=operation, case=case)
            messages.success(request, f"已串并案件{case.number}")
        else:
            services.operation_remove_case(actor=request.user, operation=operation, case=case)
            messages.success(request, f"已移出案件{case.number}")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("cases:operation", pk=operation.pk)


@require_POST
@page(OPERATION_MANAGERS)
def operation_close(request, pk: int):
    operation = selectors.operation_get(request.user, pk)
    form = f.OperationCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            services.operation_close(actor=request.user, operation=operation, closed_on=form.cleaned_data["closed_on"],
                                     note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "合成作战已结束")
    return redirect("cases:operation", pk=operation.pk)
