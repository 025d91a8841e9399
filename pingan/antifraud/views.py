"""Anti-fraud pages: the year at a glance, publicity events, warnings and dissuasions (lists with
filters and xlsx export, phone-friendly forms, details, the audited reveal of personal data).
The app-registration statistics are in ``views_registrations``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.core.audit import audit_record
from pingan.core.exports import export_table
from pingan.core.forms import add_errors
from pingan.core.models import AuditAction
from pingan.core.permissions import page

from . import selectors, services
from .access import PII_READERS, READERS, STATISTICS_WRITERS, WARNING_WRITERS, WRITERS, can_reveal
from .filters import DissuasionFilter, PublicityFilter, WarningFilter
from .forms import DissuasionForm, PublicityForm, WarningForm
from .models import Dissuasion, DissuasionChannel, Outcome, PlaceType, PublicityEvent, RiskType
from .tables import DissuasionTable, PublicityTable, WarningTable


def year_of(request, default: int | None = None) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = default or timezone.localdate().year
    return min(max(year, 2000), 2100)


def _default_year(user) -> int:
    """The latest year with a dissuasion or an event the user can see (the current year if none)."""
    days = [qs.order_by("-" + f).values_list(f, flat=True).first() for qs, f in (
        (Dissuasion.objects.visible_to(user), "on"), (PublicityEvent.objects.visible_to(user), "held_on"))]
    days = [d for d in days if d]
    return max(days).year if days else timezone.localdate().year


def _list_page(request, *, filterset, table, title: str, object_type: str, template: str, extra: dict):
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title=title, object_type=object_type)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, template, {"filter": filterset, "table": table,
                                      "areas": selectors.areas_for(request.user, townships=True), **extra})


@page(READERS)
def index(request):
    year = year_of(request, _default_year(request.user))
    figures = selectors.year_figures(request.user, year)
    return render(request, "antifraud/index.html", {
        "year": year, "f": figures, "years": range(timezone.localdate().year, 2019, -1),
        "can_import": request.user.role in STATISTICS_WRITERS, "can_warn": request.user.role in WARNING_WRITERS,
    })


# ---------------------------------------------------------------------------------------- publicity

@page(READERS)
def publicity_list(request):
    filterset = PublicityFilter(request.GET, queryset=selectors.publicity_list(request.user))
    table = PublicityTable(filterset.qs)
    return _list_page(request, filterset=filterset, table=table, title="反诈宣传活动",
                      object_type="antifraud.PublicityEvent", template="antifraud/publicity_list.html",
                      extra={"place_types": PlaceType.choices})


@page(WRITERS)
def publicity_create(request):
    form = PublicityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.publicity_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已登记宣传活动：{event.place}")
            return redirect("antifraud:publicity_detail", pk=event.pk)
    return render(request, "antifraud/form.html", {"form": form, "title": "登记反诈宣传活动", "button": "登记",
                                                   "back": "antifraud:publicity_list"})


@page(READERS)
def publicity_detail(request, pk: int):
    event = selectors.publicity_get(request.user, pk)
    return render(request, "antifraud/publicity_detail.html", {"event": event, "can_edit": request.user.role in WRITERS})


@page(WRITERS)
def publicity_edit(request, pk: int):
    event = selectors.publicity_get(request.user, pk)
    initial = {k: getattr(event, k) for k in ("held_on", "place_type", "place", "theme", "posters", "handbooks",
                                              "people_reached", "participants", "note")}
    initial.update(area=event.area_id, organiser=event.organiser_id)
    form = PublicityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publicity_update(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "宣传活动已修改")
            return redirect("antifraud:publicity_detail", pk=event.pk)
    return render(request, "antifraud/form.html", {"form": form, "title": f"修改宣传活动 {event}", "button": "保存",
                                                   "back": "antifraud:publicity_list"})


# ---------------------------------------------------------------------------------------- warnings

@page(READERS)
def warning_list(request):
    filterset = WarningFilter(request.GET, queryset=selectors.warning_list(request.user))
    table = WarningTable(filterset.qs, full_personal_data=request.user.role in PII_READERS)
    return _list_page(request, filterset=filterset, table=table, title="反诈预警", object_type="antifraud.FraudWarning",
                      template="antifraud/warning_list.html",
                      extra={"risk_types": RiskType.choices, "can_warn": request.user.role in WARNING_WRITERS})


@page(WARNING_WRITERS)
def warning_create(request):
    form = WarningForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            warning = services.warning_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已登记预警{warning.number}，请尽快组织劝阻")
            return redirect("antifraud:warning_detail", pk=warning.pk)
    return render(request, "antifraud/form.html", {"form": form, "title": "登记反诈预警", "button": "登记",
                                                   "back": "antifraud:warning_list"})


@page(READERS)
def warning_detail(request, pk: int):
    warning = selectors.warning_get(request.user, pk)
    return render(request, "antifraud/warning_detail.html", {
        "warning": warning, "dissuasions": selectors.warning_dissuasions(request.user, warning),
        "can_reveal": can_reveal(request.user), "can_dissuade": request.user.role in WRITERS})


@require_POST
@page(PII_READERS)
def warning_reveal(request, pk: int):
    """The warned person's full name and phone, for roles entitled to it; every reveal is audited."""
    warning = selectors.warning_get(request.user, pk)
    audit_record(request.user, AuditAction.VIEW_PII, warning, detail="查看预警对象完整姓名和电话")
    response = render(request, "antifraud/_pii.html", {"pairs": [("预警对象", warning.target_name),
                                                                  ("电话", warning.target_phone)]})
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------- dissuasions

@page(READERS)
def dissuasion_list(request):
    filterset = DissuasionFilter(request.GET, queryset=selectors.dissuasion_list(request.user))
    table = DissuasionTable(filterset.qs, full_personal_data=request.user.role in PII_READERS)
    return _list_page(request, filterset=filterset, table=table, title="反诈劝阻", object_type="antifraud.Dissuasion",
                      template="antifraud/dissuasion_list.html",
                      extra={"outcomes": Outcome.choices, "channels": DissuasionChannel.choices})


@page(WRITERS)
def dissuasion_create(request):
    warning = None
    source = request.POST.get("warning") or request.GET.get("warning")
    if source:
        warning = selectors.warning_get(request.user, source)
    form = DissuasionForm(request.POST or None, user=request.user, warning=warning)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["amount_kept"] = data.get("amount_kept") or 0
        try:
            record = services.dissuasion_record(actor=request.user, warning=warning, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已登记劝阻：{record.name_masked}（{record.get_outcome_display()}）")
            return redirect("antifraud:dissuasion_detail", pk=record.pk)
    return render(request, "antifraud/form.html", {"form": form, "title": "登记反诈劝阻", "button": "登记",
                                                   "back": "antifraud:dissuasion_list", "warning": warning})


@page(READERS)
def dissuasion_detail(request, pk: int):
    record = selectors.dissuasion_get(request.user, pk)
    warning = selectors.warning_list(request.user).filter(pk=record.warning_id).first() if record.warning_id else None
    return render(request, "antifraud/dissuasion_detail.html", {"d": record, "warning": warning,
                                                                "can_reveal": can_reveal(request.user)})


@require_POST
@page(PII_READERS)
def dissuasion_reveal(request, pk: int):
    record = selectors.dissuasion_get(request.user, pk)
    audit_record(request.user, AuditAction.VIEW_PII, record, detail="查看劝阻对象完整姓名、身份证号码和电话")
    response = render(request, "antifraud/_pii.html", {"pairs": [
        ("劝阻对象", record.person_name), ("身份证号码", record.id_number or "—"), ("手机号码", record.phone or "—")]})
    response["Cache-Control"] = "no-store"
    return response
