"""Dispute pages: the registry (list, export), registration, the dispute page with the steps of the
closed loop, and the notices. Every step is a POST that calls one service and returns to the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.areas.models import Level
from pingan.core.audit import audit_record
from pingan.core.exports import export_table
from pingan.core.forms import errors_text
from pingan.core.models import AuditAction
from pingan.core.pagination import CappedPaginator
from pingan.core.permissions import page
from pingan.core.scope import NotVisible, get_visible_or_404
from pingan.disputes import access, rules, selectors, services
from pingan.disputes import forms as f
from pingan.disputes.filters import DisputeFilter
from pingan.disputes.models import Dispute, DisputeSource, DisputeStatus, PartyRole
from pingan.disputes.tables import DisputeTable

S = DisputeStatus


@page(access.READERS)
def dispute_list(request):
    filterset = DisputeFilter(request.GET, queryset=selectors.dispute_list(request.user), request=request)
    table = DisputeTable(filterset.qs)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="矛盾纠纷台账", object_type="disputes.Dispute")
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": CappedPaginator}).configure(table)
    return render(request, "disputes/dispute_list.html", {
        "filter": filterset, "table": table, "can_register": request.user.role in access.REGISTRARS})


def _incident(request):
    """The incident a registration starts from (?incident=ID), if the user may see it."""
    raw = request.GET.get("incident") or request.POST.get("incident")
    if not raw:
        return None
    from pingan.incidents.models import Incident

    return get_visible_or_404(Incident.objects.select_related("area", "category"), request.user, pk=raw)


def _visit(request):
    """The visit a registration starts from (?visit=ID): a lead found on a 走访."""
    raw = request.GET.get("visit") or request.POST.get("visit")
    return selectors.visit_get(request.user, raw) if raw else None


def _initial(request, incident) -> tuple[dict, list[dict]]:
    user = request.user
    initial = {"source": DisputeSource.LEGAL_LITERATE if user.role == "legal_literate" else DisputeSource.WALK_IN}
    if user.jurisdiction_id and user.jurisdiction.level == Level.VILLAGE:
        initial["area"] = user.jurisdiction
    parties: list[dict] = []
    if incident is not None:
        initial.update(source=DisputeSource.INCIDENT, incident=incident.pk, description=incident.content,
                       title=(incident.content or str(incident.category))[:40])
        if incident.area.level == Level.VILLAGE:
            initial["area"] = incident.area
        if incident.caller_name:  # the phone in full only for roles entitled to it (see _caller_phone)
            phone = incident.caller_phone if user.policy.full_personal_data else incident.phone_masked
            parties.append({"name": incident.caller_name, "phone": phone, "role": PartyRole.APPLICANT})
    return initial, parties


def _caller_phone(incident, parties: list[services.PartyIn]) -> list[services.PartyIn]:
    """The caller's masked phone posted back from the form stands for the incident's phone: filled in
    here from the record, so the party keeps it (the early warning matches on it) without the page
    ever carrying it in full to a role that may not see it."""
    if incident is None or not incident.caller_phone:
        return parties
    masked = incident.phone_masked
    return [replace(p, phone=incident.caller_phone) if p.phone == masked else p for p in parties]


@page(access.REGISTRARS)
def dispute_new(request):
    incident, visit = _incident(request), _visit(request)
    initial, party_initial = _initial(request, incident)
    if visit is not None:
        initial.update(source=DisputeSource.VISIT, area=visit.area, description=visit.findings, visit=visit.pk)
    data = request.POST if request.method == "POST" else None
    form = f.DisputeForm(data, user=request.user, initial=initial)
    parties = f.PartyFormSet(data, prefix="p", initial=party_initial)
    if data is not None and form.is_valid() and parties.is_valid():
        d = form.cleaned_data
        reporter = request.user.staff if request.user.staff_id and d["source"] == DisputeSource.LEGAL_LITERATE else None
        try:
            dispute = services.dispute_register(
                actor=request.user, area=d["area"], title=d["title"], kind=d["kind"], source=d["source"],
                description=d["description"], risk=d["risk"],
                parties=_caller_phone(incident, f.parties_from(parties)), risk_reason=d["risk_reason"], people_involved=d["people_involved"] or 0, amount=d["amount"],
                source_incident=incident, source_visit=visit, reporter=reporter)
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            raised = dispute.risk_changes.count()
            messages.success(request, f"已登记矛盾纠纷{dispute.number}" + (
                f"，系统预警已将风险升为{dispute.get_risk_display()}色" if raised else ""))
            return redirect("disputes:detail", pk=dispute.pk)
    return render(request, "disputes/dispute_form.html", {"form": form, "parties": parties, "incident": incident,
                                                          "visit": visit})


def _actions(user, dispute: Dispute) -> dict:
    """The step forms this user may use on this dispute now."""
    role, status, is_open = user.role, dispute.status, dispute.is_open
    manager = role in access.MANAGERS
    out = {}
    if manager and status == S.REGISTERED:
        out["assess"] = f.AssessForm(initial={"risk": dispute.risk})
    if manager and rules.allowed(status, S.ASSIGNED):
        out["assign"] = f.AssignForm(dispute=dispute)
    if role in access.HANDLERS and status in (S.ASSIGNED, S.MEDIATING):
        out["session"] = f.SessionForm(dispute=dispute, initial={"mediator": dispute.assigned_staff_id})
    if role in access.FOLLOW_UP_WRITERS and status == S.FOLLOW_UP:
        out["follow_up"] = f.FollowUpForm()
    if manager and rules.allowed(status, S.CLOSED):
        out["close"] = f.CloseForm()
    if manager and is_open and status != S.REGISTERED:
        out["regrade"] = f.AssessForm(initial={"risk": dispute.risk})
    if manager and is_open:
        out["extend"] = f.ExtendForm()
    if manager and is_open and services.may_supervise(user, dispute):
        out["supervise"] = f.SuperviseForm()
    if role in access.REGISTRARS and is_open:
        out["party"] = f.PartyForm()
    return out


@page(access.READERS)
def dispute_detail(request, pk: int):
    dispute = selectors.dispute_get(request.user, pk)
    unread = selectors.notifications_for(request.user).filter(dispute=dispute, read_at__isnull=True)
    if unread.exists():
        services.notifications_mark_read(actor=request.user, ids=unread.values_list("pk", flat=True))
    return render(request, "disputes/dispute_detail.html", {
        "dispute": dispute, **selectors.dispute_detail(request.user, dispute),
        "actions": _actions(request.user, dispute), "can_reveal": access.can_reveal(request.user),
        "can_answer": request.user.role in access.HANDLERS, "answer_form": f.AnswerForm(),
    })


def _step(request, pk: int, form_class, call: Callable[[Dispute, dict], object], done: str, *, with_dispute=False):
    """Run one step: parse the form, call the service, report the outcome on the dispute page."""
    dispute = selectors.dispute_get(request.user, pk)
    form = form_class(request.POST, dispute=dispute) if with_dispute else form_class(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            call(dispute, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, done)
    return redirect("disputes:detail", pk=dispute.pk)


@require_POST
@page(access.MANAGERS)
def dispute_assess(request, pk: int):
    return _step(request, pk, f.AssessForm, lambda d, c: services.dispute_assess(
        actor=request.user, dispute=d, risk=c["risk"], reason=c["reason"]), "已研判定级")


@require_POST
@page(access.MANAGERS)
def dispute_regrade(request, pk: int):
    return _step(request, pk, f.AssessForm, lambda d, c: services.dispute_regrade(
        actor=request.user, dispute=d, risk=c["risk"], reason=c["reason"]), "已调整风险等级")


@require_POST
@page(access.MANAGERS)
def dispute_assign(request, pk: int):
    return _step(request, pk, f.AssignForm, lambda d, c: services.dispute_assign(
        actor=request.user, dispute=d, agency=c["agency"], staff=c["staff"], note=c["note"]), "已分派",
        with_dispute=True)


@require_POST
@page(access.HANDLERS)
def dispute_session(request, pk: int):
    return _step(request, pk, f.SessionForm, lambda d, c: services.dispute_record_session(
        actor=request.user, dispute=d, **c), "已记录调解", with_dispute=True)


@require_POST
@page(access.FOLLOW_UP_WRITERS)
def dispute_follow_up(request, pk: int):
    return _step(request, pk, f.FollowUpForm, lambda d, c: services.dispute_follow_up(
        actor=request.user, dispute=d, **c), "已记录回访")


@require_POST
@page(access.MANAGERS)
def dispute_close(request, pk: int):
    return _step(request, pk, f.CloseForm, lambda d, c: services.dispute_close(
        actor=request.user, dispute=d, note=c["note"]), "已办结")


@require_POST
@page(access.MANAGERS)
def dispute_extend(request, pk: int):
    return _step(request, pk, f.ExtendForm, lambda d, c: services.dispute_extend(
        actor=request.user, dispute=d, days=c["days"], reason=c["reason"]), "已延期")


@require_POST
@page(access.MANAGERS)
def dispute_supervise(request, pk: int):
    return _step(request, pk, f.SuperviseForm, lambda d, c: services.dispute_supervise(
        actor=request.user, dispute=d, note=c["note"]), "已督办")


@require_POST
@page(access.REGISTRARS)
def dispute_add_party(request, pk: int):
    return _step(request, pk, f.PartyForm, lambda d, c: services.dispute_add_party(
        actor=request.user, dispute=d, party=services.PartyIn(**c)), "已添加当事人")


@require_POST
@page(access.HANDLERS)
def supervision_answer(request, pk: int, sid: int):
    dispute = selectors.dispute_get(request.user, pk)
    supervision = dispute.supervisions.filter(pk=sid).first()
    if supervision is None:
        raise NotVisible("督办记录不存在")
    form = f.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            services.supervision_answer(actor=request.user, supervision=supervision, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已反馈督办")
    return redirect("disputes:detail", pk=dispute.pk)


@require_POST
@page(access.can_reveal)
def parties_reveal(request, pk: int):
    """Full ID numbers and phones of the parties, on request; every reveal is audited."""
    dispute = selectors.dispute_get(request.user, pk)
    audit_record(request.user, AuditAction.VIEW_PII, dispute, detail="查看当事人完整身份证号码和联系电话")
    response = render(request, "disputes/_parties.html", {"dispute": dispute, "parties": dispute.parties.all(),
                                                          "full": True})
    response["Cache-Control"] = "no-store"
    return response


@page(access.READERS)
def notifications(request):
    rows = selectors.notifications_for(request.user).order_by("read_at", "-created_at")[:200]
    return render(request, "disputes/notifications.html", {"rows": rows})


@require_POST
@page(access.READERS)
def notifications_read(request):
    n = services.notifications_mark_read(actor=request.user)
    messages.success(request, f"{n}条提醒已标为已读" if n else "没有未读提醒")
    return redirect("disputes:notifications")
