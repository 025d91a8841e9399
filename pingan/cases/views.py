"""Case pages: the list (filters, export), 受案登记 (from an incident or by hand), the case page with its
trail, persons, dispositions, losses and recoveries, and the steps — each a POST that calls one
service and returns to the case page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.areas.models import Level
from pingan.cases import forms as f
from pingan.cases import selectors, services
from pingan.cases.filters import CaseFilter
from pingan.cases.models import STEPS, Case, CaseParty, CaseStatus, Loss
from pingan.cases.roles import OPERATION_MANAGERS, READERS, REVEALERS, WRITERS
from pingan.cases.tables import CaseTable
from pingan.core.audit import audit_record
from pingan.core.exports import export_table
from pingan.core.forms import add_errors, errors_text
from pingan.core.models import AuditAction
from pingan.core.permissions import page
from pingan.core.scope import NotVisible, get_visible_or_404


@page(READERS)
def case_list(request):
    filterset = CaseFilter(request.GET, queryset=selectors.case_list(request.user))
    table = CaseTable(filterset.qs)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="案件", object_type="cases.Case")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "cases/case_list.html", {
        "filter": filterset, "table": table, "categories": selectors.categories_top(),
        "stations": selectors.stations_for(request.user), "can_write": request.user.role in WRITERS})


def _incident(request):
    raw = request.GET.get("incident") or request.POST.get("incident")
    if not raw:
        return None
    from pingan.incidents.models import Incident

    try:
        return get_visible_or_404(Incident.objects.select_related("area", "category", "category__parent"),
                                  request.user, pk=int(raw))
    except (TypeError, ValueError) as exc:
        raise NotVisible("警情不存在或超出您的辖区范围") from exc


def _initial(request, incident) -> dict:
    from django.utils import timezone

    initial: dict = {}
    j = request.user.jurisdiction
    if j is not None and j.level in (Level.TOWNSHIP, Level.VILLAGE):
        initial["area"] = j
    if incident is not None:
        initial.update(incident=incident.pk, summary=incident.content, address=incident.address,
                       occurred_at=timezone.localtime(incident.received_at).strftime("%Y-%m-%dT%H:%M"),
                       title=f"{incident.area.short_name}{incident.category.name}案")
        if incident.area.level in (Level.TOWNSHIP, Level.VILLAGE):
            initial["area"] = incident.area
        if incident.category.top.name == "刑事":
            initial["kind"] = "criminal"
        else:
            initial["kind"] = "administrative"
    return initial


@page(WRITERS)
def case_create(request):
    incident = _incident(request)
    form = f.CaseForm(request.POST or None, user=request.user, initial=_initial(request, incident))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_register(
                actor=request.user, kind=d["kind"], category=d["category"], title=d["title"], area=d["area"],
                accepted_on=d["accepted_on"], summary=d["summary"], address=d["address"], station=d["station"],
                unit=d["unit"], occurred_at=d["occurred_at"], number=d["number"], method=d["method"],
                goods=d["goods"], incidents=[incident] if incident else [], campaigns=list(d["campaigns"]))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            text = f"已受案登记：{case.number}"
            if incident is not None:
                incident.refresh_from_db()
                text += f"；来源警情{incident.number}（{incident.get_status_display()}）"
            messages.success(request, text)
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "incident": incident, "case": None})


@page(WRITERS)
def case_edit(request, pk: int):
    case = selectors.case_get(request.user, pk)
    initial = {"category": case.category_id, "title": case.title, "area": case.area, "address": case.address,
               "occurred_at": case.occurred_at, "accepted_on": case.accepted_on, "station": case.station,
               "unit": case.unit, "method": case.method, "goods": case.goods, "summary": case.summary,
               "campaigns": list(case.campaigns.all())}
    if case.occurred_at:
        from django.utils import timezone

        initial["occurred_at"] = timezone.localtime(case.occurred_at).strftime("%Y-%m-%dT%H:%M")
    form = f.CaseForm(request.POST or None, user=request.user, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.case_update(actor=request.user, case=case, category=d["category"], title=d["title"],
                                 area=d["area"], summary=d["summary"], address=d["address"], station=d["station"],
                                 unit=d["unit"], occurred_at=d["occurred_at"], accepted_on=d["accepted_on"],
                                 method=d["method"], goods=d["goods"], campaigns=list(d["campaigns"]))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "案件信息已保存")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "incident": None, "case": case})


def _progress(case: Case) -> list[tuple[str, str]]:
    steps = STEPS[case.kind]
    if case.status == CaseStatus.DROPPED:
        done = set(case.events.values_list("to_status", flat=True))
        return [(CaseStatus(s).label, "done" if s in done else "skip") for s in steps] + [("不予立案/撤销", "now")]
    at = steps.index(case.status) if case.status in steps else -1
    return [(CaseStatus(s).label, "done" if i < at else "now" if i == at else "todo") for i, s in enumerate(steps)]


@page(READERS)
def case_detail(request, pk: int):
    case = selectors.case_get(request.user, pk)
    data = selectors.case_detail(request.user, case)
    writer = request.user.role in WRITERS
    actions = {}
    if writer:
        if case.allowed_next():
            actions["transition"] = f.TransitionForm(case=case)
        actions["party"] = f.PartyForm(case=case)
        caught = f.CaughtForm(case=case)
        if caught.fields["party"].choices:
            actions["caught"] = caught
        dispose = f.DispositionForm(case=case)
        if dispose.fields["party"].choices:
            actions["disposition"] = dispose
        actions["loss"] = f.LossForm()
        actions["recovery"] = f.RecoveryForm(case=case)
        actions["incident"] = f.IncidentLinkForm()
    candidates = []
    if request.user.role in OPERATION_MANAGERS and case.is_theft and case.operation_id is None:
        candidates = selectors.series_candidates(request.user, case=case, limit=8)
    side = [("登记涉案人员", "cases:party_add", "登记", "party", False),
            ("抓获犯罪嫌疑人", "cases:caught", "登记抓获", "caught", True),
            ("处理措施（拘留、罚款等）", "cases:disposition_add", "录入", "disposition", True),
            ("登记损失", "cases:loss_add", "登记", "loss", False),
            ("追赃挽损", "cases:recovery_add", "登记", "recovery", False),
            ("关联警情", "cases:incident_link", "关联", "incident", False)]
    side_forms = [(title, url, button, actions[key], is_open) for title, url, button, key, is_open in side
                  if key in actions]
    return render(request, "cases/case_detail.html", {
        "case": case, **data, "progress": _progress(case), "actions": actions, "side_forms": side_forms,
        "can_write": writer,
        "can_reveal": request.user.role in REVEALERS, "candidates": candidates,
        "can_operate": request.user.role in OPERATION_MANAGERS})


def _step(request, pk: int, form_class, call: Callable[[Case, dict], object], done: str, *, with_case: bool = False):
    case = selectors.case_get(request.user, pk)
    form = form_class(request.POST, case=case) if with_case else form_class(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            call(case, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, done)
    return redirect("cases:detail", pk=case.pk)


def _party(case: Case, raw) -> CaseParty:
    party = case.parties.filter(pk=raw).first()
    if party is None:
        raise ValidationError("请选择本案的人员")
    return party


@require_POST
@page(WRITERS)
def case_transition(request, pk: int):
    return _step(request, pk, f.TransitionForm, lambda c, d: services.case_transition(
        actor=request.user, case=c, status=d["status"], on=d["on"], note=d["note"]), "办理状态已更新", with_case=True)


@require_POST
@page(WRITERS)
def party_add(request, pk: int):
    return _step(request, pk, f.PartyForm, lambda c, d: services.party_add(
        actor=request.user, case=c, role=d["role"], caught_on=d["caught_on"], note=d["note"],
        person=services.PersonIn(name=d["name"], id_number=d["id_number"], phone=d["phone"], address=d["address"])),
        "已登记人员", with_case=True)


@require_POST
@page(WRITERS)
def party_caught(request, pk: int):
    return _step(request, pk, f.CaughtForm, lambda c, d: services.party_caught(
        actor=request.user, party=_party(c, d["party"]), caught_on=d["caught_on"]), "已登记抓获", with_case=True)


@require_POST
@page(WRITERS)
def disposition_add(request, pk: int):
    return _step(request, pk, f.DispositionForm, lambda c, d: services.disposition_add(
        actor=request.user, party=_party(c, d["party"]), kind=d["kind"], decided_on=d["decided_on"],
        amount=d["amount"], days=d["days"], note=d["note"]), "已录入处理措施", with_case=True)


@require_POST
@page(WRITERS)
def loss_add(request, pk: int):
    return _step(request, pk, f.LossForm, lambda c, d: services.loss_add(
        actor=request.user, case=c, item=d["item"], quantity=d["quantity"], value=d["value"], note=d["note"]),
        "已登记损失")


@require_POST
@page(WRITERS)
def recovery_add(request, pk: int):
    def call(c, d):
        loss = Loss.objects.filter(case=c, pk=d["loss"]).first() if d["loss"] else None
        return services.recovery_add(actor=request.user, case=c, recovered_on=d["recovered_on"], amount=d["amount"],
                                     description=d["description"], returned_to=d["returned_to"], loss=loss)

    return _step(request, pk, f.RecoveryForm, call, "已登记追赃挽损", with_case=True)


@require_POST
@page(WRITERS)
def incident_link(request, pk: int):
    def call(c, d):
        from pingan.incidents.models import Incident

        incident = Incident.objects.visible_to(request.user).filter(number=d["number"].strip()).first()
        if incident is None:
            raise ValidationError(f"未找到警情{d['number']}（或不在您的辖区）")
        return services.case_link_incident(actor=request.user, case=c, incident=incident)

    return _step(request, pk, f.IncidentLinkForm, call, "已关联警情")


@require_POST
@page(REVEALERS)
def case_reveal(request, pk: int):
    """Full ID numbers and phones of the persons in the case, on request; every reveal is audited."""
    case = selectors.case_get(request.user, pk)
    audit_record(request.user, AuditAction.VIEW_PII, case, detail="查看涉案人员完整身份证号码和联系电话")
    response = render(request, "cases/_parties.html", {"case": case, "parties": selectors.case_parties(case),
                                                       "full": True})
    response["Cache-Control"] = "no-store"
    return response
