"""Writes for disputes, visits and hazards. Each service is keyword-only, runs in one transaction,
re-checks the record against the actor's scope (``ensure_visible``) and writes the audit row with
before/after snapshots. Views, the API, the incident-signal receiver and the demo call these; none
of them saves a record itself.

Early warning: ``_raise`` is the one place a risk level goes up. It records a RiskChange (from, to,
signal, reason, when), shortens the deadline as the graver level requires and notifies the
handler (or, before assignment, the station and judicial office covering the village).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core import idcard
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction
from pingan.core.scope import NotVisible, ensure_visible
from pingan.disputes import rules
from pingan.disputes.matching import OpenDisputes, township_path
from pingan.disputes.models import (
    CONCLUDING_OUTCOMES,
    Dispute,
    DisputeIncident,
    DisputeKind,
    DisputeParty,
    DisputeSource,
    DisputeStatus,
    Extension,
    FollowUp,
    FollowUpMethod,
    Hazard,
    HazardCategory,
    HazardSeverity,
    HazardStatus,
    MediationOutcome,
    MediationSession,
    Notification,
    NotificationKind,
    PartyRole,
    PlaceKind,
    RiskChange,
    RiskLevel,
    RiskSignal,
    StatusChange,
    Supervision,
    Visit,
)
from pingan.disputes.signals import dispute_registered
from pingan.disputes.warning import threat_level
from pingan.incidents.repeats.normalise import normalise_phone
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory

S = DisputeStatus

# Units a dispute may be given to (分派), when named directly; a person is given with their unit.
ASSIGNABLE_AGENCY_KINDS = (AgencyKind.POLICE_STATION, AgencyKind.JUDICIAL_OFFICE, AgencyKind.TOWNSHIP_GOV,
                           AgencyKind.VILLAGE_COMMITTEE)
# People who handle disputes: police at the stations, the justice line's mediators, advisers and
# legal-literate persons, grid workers and village cadres.
ASSIGNABLE_STAFF = (StaffCategory.POLICE_OFFICER, StaffCategory.AUXILIARY, StaffCategory.PART_TIME_ASSISTANT,
                    StaffCategory.MEDIATOR, StaffCategory.LEGAL_ADVISER, StaffCategory.LEGAL_LITERATE,
                    StaffCategory.JUSTICE_STAFF, StaffCategory.GRID_WORKER, StaffCategory.VILLAGE_CADRE)
# Units told about an unassigned dispute's risk rising.
WATCHING_AGENCY_KINDS = (AgencyKind.POLICE_STATION, AgencyKind.JUDICIAL_OFFICE)
HAZARD_DAYS = {HazardSeverity.MINOR: 30, HazardSeverity.SERIOUS: 15, HazardSeverity.MAJOR: 7}


@dataclass(frozen=True)
class PartyIn:
    name: str
    role: str = PartyRole.PARTY
    id_number: str = ""
    phone: str = ""
    address: str = ""


# ---- small helpers --------------------------------------------------------------------------


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _today() -> dt.date:
    return timezone.localdate()


def _require(errors: dict, field: str, value, message: str):
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        errors[field] = message


def _raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _village(area: Area) -> Area:
    if area is None or area.level != Level.VILLAGE:
        raise ValidationError({"area": "须选择村(嘎查、社区)一级的辖区"})
    return area


def _locked(actor, dispute: Dispute) -> Dispute:
    ensure_visible(actor, dispute)
    return (Dispute.objects.select_for_update(of=("self",))  # "of": PostgreSQL locks no outer-joined row
            .select_related("area", "assigned_agency", "assigned_staff").get(pk=dispute.pk))


def _clean_party(p: PartyIn, label: str) -> DisputeParty:
    name = (p.name or "").strip()
    if len(name) < 2:
        raise ValidationError({"parties": f"{label}：姓名(名称)至少2个字"})
    if p.role not in PartyRole.values:
        raise ValidationError({"parties": f"{label}：身份不正确"})
    id_number = ""
    if (p.id_number or "").strip():
        try:
            id_number = idcard.validate(p.id_number)
        except idcard.InvalidIdNumber as exc:
            raise ValidationError({"parties": f"{label}（{name}）：{exc}"}) from None
    phone = normalise_phone(p.phone)
    if p.phone and not 7 <= len(phone) <= 12:
        raise ValidationError({"parties": f"{label}（{name}）：联系电话应为7至12位数字"})
    return DisputeParty(name=name, role=p.role, id_number=id_number, phone=phone, address=(p.address or "").strip()[:100])


def _party_snapshot(parties: Iterable[DisputeParty]) -> list[dict]:
    return [snapshot(p) for p in parties]


def _move(dispute: Dispute, to: str, *, actor, note: str = "", at: dt.datetime | None = None,
          record_same: bool = False) -> None:
    """One step of the closed loop: checked against the transition table and written to the history
    (a step that keeps the status — another session, a re-assignment — only when ``record_same``)."""
    rules.check_transition(dispute.status, to)
    if to == dispute.status and not record_same:
        return
    StatusChange.objects.create(dispute=dispute, from_status=dispute.status, to_status=to, at=at or timezone.now(),
                                by=_user(actor), note=note[:300])
    dispute.status = to


def _notify(dispute: Dispute, kind: str, text: str, at: dt.datetime | None = None) -> list[Notification]:
    """Tell the handler (unit and person); before assignment, the station and judicial office that
    cover the village."""
    at = at or timezone.now()
    if dispute.assigned_agency_id or dispute.assigned_staff_id:
        rows = [Notification(dispute=dispute, kind=kind, text=text[:300], created_at=at,
                             agency_id=dispute.assigned_agency_id, staff_id=dispute.assigned_staff_id)]
    else:
        agencies = Agency.objects.filter(kind__in=WATCHING_AGENCY_KINDS, area__code__in=dispute.area.ancestor_codes())
        rows = [Notification(dispute=dispute, kind=kind, text=text[:300], created_at=at, agency=a) for a in agencies]
    return Notification.objects.bulk_create(rows)


def _raise(dispute: Dispute, level: int | None, *, signal: str, reason: str, actor=None, incident=None,
           at: dt.datetime | None = None) -> RiskChange | None:
    """Raise the risk (never lower it) with the reason; the caller saves the dispute and audits."""
    if level is None or not dispute.is_open or level <= dispute.risk:
        return None
    at = at or timezone.now()
    old = RiskLevel(dispute.risk)
    new = RiskLevel(level)
    change = RiskChange.objects.create(dispute=dispute, from_risk=old, to_risk=new, signal=signal, reason=reason[:300],
                                       at=at, by=_user(actor) if signal == RiskSignal.MANUAL else None,
                                       incident=incident)
    dispute.risk = new
    dispute.risk_reason = reason[:300]
    dispute.deadline = rules.deadline_after_raise(dispute.deadline, timezone.localdate(at), new)
    who = "系统预警" if signal != RiskSignal.MANUAL else "人工研判"
    _notify(dispute, NotificationKind.RISK_RAISED,
            f"{dispute.number}“{dispute.title}”风险由{old.label}升为{new.label}（{who}：{reason}），"
            f"办结时限{dispute.deadline:%Y-%m-%d}", at)
    return change


def _text_signal(dispute: Dispute, text: str, *, where: str = "", incident=None, at=None) -> RiskChange | None:
    level, reason = threat_level(text)
    if level is None:
        return None
    return _raise(dispute, level, signal=RiskSignal.THREAT_WORDS, reason=f"{where}{reason}", incident=incident, at=at)


def _head_count_signal(dispute: Dispute, *, at=None) -> RiskChange | None:
    people = max(dispute.people_involved, dispute.parties.count())
    level = rules.head_count_level(people)
    if level is None:
        return None
    threshold = rules.MASS_PARTIES if level == RiskLevel.RED else rules.MANY_PARTIES
    kind = "讨薪" if dispute.kind == DisputeKind.LABOUR else ""
    return _raise(dispute, level, signal=RiskSignal.MANY_PARTIES,
                  reason=f"涉及{kind}人数{people}人（{threshold}人以上），有引发群体性事件风险", at=at)


def _audit_system_raises(dispute: Dispute, before: dict, changes: Sequence[RiskChange | None]) -> None:
    changes = [c for c in changes if c is not None]
    if changes:
        audit_record(None, AuditAction.UPDATE, dispute, before=before, after=snapshot(dispute),
                     detail="系统预警升级风险：" + "；".join(c.reason for c in changes))


# ---- disputes: the closed loop -------------------------------------------------------------


def _next_number(area: Area, year: int) -> str:
    prefix = f"{area.code[:6]}JF{year}"
    last = (Dispute.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


@transaction.atomic
def dispute_register(*, actor, area: Area, title: str, kind: str, source: str, description: str = "",
                     parties: Sequence[PartyIn] = (), risk: int | None = None, risk_reason: str = "",
                     people_involved: int = 0, amount: Decimal | None = None, source_incident=None,
                     source_visit: Visit | None = None, reporter: Staff | None = None,
                     registered_at: dt.datetime | None = None) -> Dispute:
    """登记. The registrar's first estimate of the risk (blue if none) is then checked against the
    signals: threats in the text, the number of people involved, earlier calls by the parties."""
    errors: dict[str, str] = {}
    _require(errors, "title", title, "请填写纠纷事由")
    if kind not in DisputeKind.values:
        errors["kind"] = "请选择纠纷类型"
    if source not in DisputeSource.values:
        errors["source"] = "请选择纠纷来源"
    if risk is not None and risk not in RiskLevel.values:
        errors["risk"] = "风险等级应为红、橙、黄、蓝之一"
    if people_involved is not None and people_involved < 0:
        errors["people_involved"] = "涉及人数不能为负数"
    now = timezone.now()
    registered_at = registered_at or now
    if registered_at > now + dt.timedelta(minutes=5):
        errors["registered_at"] = "登记时间不能晚于当前时间"
    _raise_errors(errors)
    _village(area)
    cleaned = [_clean_party(p, f"第{i}名当事人") for i, p in enumerate(parties, start=1)]
    if source_incident is not None:
        from pingan.incidents.models import Incident

        if not Incident.objects.visible_to(actor).filter(pk=source_incident.pk).exists():
            raise NotVisible("来源警情不存在或超出您的辖区范围")
    if source_visit is not None:
        ensure_visible(actor, source_visit)

    risk = RiskLevel(risk or RiskLevel.BLUE)
    on = timezone.localdate(registered_at)
    dispute = Dispute.objects.create(
        number=_next_number(area, on.year), title=title.strip()[:100], description=(description or "").strip(),
        kind=kind, source=source, source_incident=source_incident, source_visit=source_visit, reporter=reporter,
        area=area, people_involved=people_involved or 0, amount=amount, risk=risk,
        risk_reason=(risk_reason or "").strip()[:300] or "登记时初步判断",
        status=S.REGISTERED, registered_at=registered_at, registered_by=_user(actor),
        deadline=rules.initial_deadline(on, risk))
    ensure_visible(actor, dispute)
    for p in cleaned:
        p.dispute = dispute
    DisputeParty.objects.bulk_create(cleaned)
    StatusChange.objects.create(dispute=dispute, from_status="", to_status=S.REGISTERED, at=registered_at,
                                by=_user(actor), note=f"来源：{DisputeSource(source).label}")
    _text_signal(dispute, f"{dispute.title}\n{dispute.description}", where="登记内容", at=registered_at)
    _head_count_signal(dispute, at=registered_at)
    _link_earlier_calls(dispute, registered_at)
    dispute.save()
    audit_record(actor, AuditAction.CREATE, dispute,
                 after={**snapshot(dispute), "parties": _party_snapshot(dispute.parties.all()),
                        "risk_changes": [c.reason for c in dispute.risk_changes.all()]})
    dispute_registered.send(sender=Dispute, dispute=dispute, actor=actor)
    return dispute


@transaction.atomic
def dispute_add_party(*, actor, dispute: Dispute, party: PartyIn) -> DisputeParty:
    dispute = _locked(actor, dispute)
    if not dispute.is_open:
        raise ValidationError("纠纷已办结，不能再添加当事人")
    before = snapshot(dispute)
    row = _clean_party(party, "当事人")
    row.dispute = dispute
    row.save()
    change = _head_count_signal(dispute)
    dispute.save()
    audit_record(actor, AuditAction.CREATE, row, after=snapshot(row), detail=f"纠纷{dispute.number}添加当事人")
    _audit_system_raises(dispute, before, [change])
    return row


@transaction.atomic
def dispute_assess(*, actor, dispute: Dispute, risk: int, reason: str) -> Dispute:
    """研判定级: sets the level with its reason; the deadline is the level's limit from registration."""
    dispute = _locked(actor, dispute)
    before = snapshot(dispute)
    rules.check_transition(dispute.status, S.ASSESSED)
    errors: dict[str, str] = {}
    if risk not in RiskLevel.values:
        errors["risk"] = "风险等级应为红、橙、黄、蓝之一"
    _require(errors, "reason", reason, "请填写定级理由")
    _raise_errors(errors)
    if not dispute.parties.exists():
        raise ValidationError("研判定级前须登记至少一名当事人")
    risk = RiskLevel(risk)
    now = timezone.now()
    if risk != dispute.risk:
        RiskChange.objects.create(dispute=dispute, from_risk=dispute.risk, to_risk=risk, signal=RiskSignal.MANUAL,
                                  reason=reason.strip()[:300], at=now, by=_user(actor))
    dispute.risk, dispute.risk_reason = risk, reason.strip()[:300]
    dispute.deadline = rules.initial_deadline(dispute.registered_on, risk)
    _move(dispute, S.ASSESSED, actor=actor, note=f"定为{risk.label}色：{reason.strip()}", at=now)
    dispute.save()
    audit_record(actor, AuditAction.UPDATE, dispute, before=before, after=snapshot(dispute), detail="研判定级")
    return dispute


@transaction.atomic
def dispute_regrade(*, actor, dispute: Dispute, risk: int, reason: str) -> Dispute:
    """Re-grade after 研判定级 (either way). A raise shortens the deadline; lowering keeps it."""
    dispute = _locked(actor, dispute)
    before = snapshot(dispute)
    if not dispute.is_open:
        raise ValidationError("纠纷已办结，不能调整风险等级")
    if dispute.status == S.REGISTERED:
        raise ValidationError("纠纷尚未研判定级，请先研判定级")
    errors: dict[str, str] = {}
    if risk not in RiskLevel.values:
        errors["risk"] = "风险等级应为红、橙、黄、蓝之一"
    _require(errors, "reason", reason, "请填写调整理由")
    _raise_errors(errors)
    risk = RiskLevel(risk)
    if risk == dispute.risk:
        raise ValidationError(f"风险等级已是{risk.label}色")
    if risk > dispute.risk:
        _raise(dispute, risk, signal=RiskSignal.MANUAL, reason=reason.strip(), actor=actor)
    else:
        RiskChange.objects.create(dispute=dispute, from_risk=dispute.risk, to_risk=risk, signal=RiskSignal.MANUAL,
                                  reason=reason.strip()[:300], at=timezone.now(), by=_user(actor))
        dispute.risk, dispute.risk_reason = risk, reason.strip()[:300]
    dispute.save()
    audit_record(actor, AuditAction.UPDATE, dispute, before=before, after=snapshot(dispute), detail="调整风险等级")
    return dispute


def covers(agency_or_area_path: str, area: Area) -> bool:
    return area.path.startswith(agency_or_area_path)


def staff_fits(staff: Staff, area: Area) -> bool:
    """A person may handle or visit at a village if they work at it, above it, or in its township."""
    return area.path.startswith(staff.area.path) or staff.area.path.startswith(township_path(area))


@transaction.atomic
def dispute_assign(*, actor, dispute: Dispute, agency: Agency | None = None, staff: Staff | None = None,
                   note: str = "") -> Dispute:
    """分派 to a station or judicial office, and/or a mediator or legal-literate person (again to re-assign)."""
    dispute = _locked(actor, dispute)
    before = snapshot(dispute)
    rules.check_transition(dispute.status, S.ASSIGNED)
    if agency is None and staff is None:
        raise ValidationError({"agency": "请选择承办单位或承办人"})
    if staff is not None:
        if not staff.active or staff.category not in ASSIGNABLE_STAFF:
            raise ValidationError({"staff": f"{staff.name}不能承办矛盾纠纷（须为在岗的民辅警、调解员、法律明白人等）"})
        if not staff_fits(staff, dispute.area):
            raise ValidationError({"staff": f"{staff.name}不在纠纷所在乡镇(苏木)工作"})
        agency = agency or staff.agency
    elif agency.kind not in ASSIGNABLE_AGENCY_KINDS:
        raise ValidationError({"agency": "承办单位须为派出所、司法所、综治中心或村(居)委会"})
    if not covers(agency.area.path, dispute.area) and not (staff is not None and agency.pk == staff.agency_id):
        raise ValidationError({"agency": f"{agency}的辖区不包括{dispute.area.short_name}"})
    if dispute.assigned_agency_id == agency.pk and dispute.assigned_staff_id == (staff.pk if staff else None):
        raise ValidationError("纠纷已分派给该单位(人员)")
    now = timezone.now()
    again = dispute.status != S.ASSESSED
    dispute.assigned_agency, dispute.assigned_staff, dispute.assigned_at = agency, staff, now
    to = f"{agency}{'（' + staff.name + '）' if staff else ''}"
    _move(dispute, S.ASSIGNED, actor=actor, note=f"{'改派' if again else '分派'}至{to}{'：' + note if note else ''}",
          at=now, record_same=True)
    dispute.save()
    _notify(dispute, NotificationKind.ASSIGNED,
            f"{dispute.number}“{dispute.title}”已{'改派' if again else '分派'}给{to}，"
            f"风险{RiskLevel(dispute.risk).label}色，办结时限{dispute.deadline:%Y-%m-%d}", now)
    audit_record(actor, AuditAction.UPDATE, dispute, before=before, after=snapshot(dispute), detail=f"分派至{to}")
    return dispute


@transaction.atomic
def dispute_record_session(*, actor, dispute: Dispute, held_on: dt.date, outcome: str, summary: str,
                           mediator: Staff | None = None, participants: str = "", place: str = "",
                           agreement: str = "") -> MediationSession:
    """化解: a mediation session. 调解成功/转诉讼/转案件 end mediation (on to 回访); 未成功 does not."""
    dispute = _locked(actor, dispute)
    before = snapshot(dispute)
    if dispute.status not in (S.ASSIGNED, S.MEDIATING):  # back from 回访 only through an unstable 回访
        hint = "（纠纷反复的，请在回访中如实记录，系统将转回化解）" if dispute.status == S.FOLLOW_UP else ""
        raise rules.IllegalTransition(f"当前状态为“{S(dispute.status).label}”，不能记录调解{hint}")
    errors: dict[str, str] = {}
    if outcome not in MediationOutcome.values:
        errors["outcome"] = "请选择调解结果"
    _require(errors, "summary", summary, "请填写调解经过")
    if held_on is None:
        errors["held_on"] = "请填写调解日期"
    elif held_on > _today():
        errors["held_on"] = "调解日期不能晚于今天"
    elif held_on < dispute.registered_on:
        errors["held_on"] = "调解日期不能早于纠纷登记日期"
    if outcome == MediationOutcome.SUCCESS and not (agreement or "").strip():
        errors["agreement"] = "调解成功须填写协议内容"
    _raise_errors(errors)
    now = timezone.now()
    session = MediationSession.objects.create(
        dispute=dispute, held_on=held_on, mediator=mediator, participants=(participants or "").strip()[:200],
        place=(place or "").strip()[:100], outcome=outcome, summary=summary.strip(),
        agreement=(agreement or "").strip()[:300], by=_user(actor), created_at=now)
    if dispute.status == S.ASSIGNED:
        _move(dispute, S.MEDIATING, actor=actor, note="开始化解", at=now)
    if outcome in CONCLUDING_OUTCOMES:
        _move(dispute, S.FOLLOW_UP, actor=actor, note=f"调解结果：{MediationOutcome(outcome).label}", at=now)
        dispute.result = outcome
    _text_signal(dispute, summary, where="调解记录", at=now)
    dispute.save()
    audit_record(actor, AuditAction.CREATE, session, after=snapshot(session),
                 detail=f"纠纷{dispute.number}调解：{MediationOutcome(outcome).label}")
    if snapshot(dispute) != before:
        audit_record(actor, AuditAction.UPDATE, dispute, before=before, after=snapshot(dispute), detail="记录调解")
    return session


@transaction.atomic
def dispute_follow_up(*, actor, dispute: Dispute, on: dt.date, stable: bool, satisfied: bool = True,
                      method: str = FollowUpMethod.PHONE, note: str = "") -> FollowUp:
    """回访. A dispute that is not holding goes back to mediation (and its result is cleared)."""
    dispute = _locked(actor, dispute)
    before = snapshot(dispute)
    if dispute.status != S.FOLLOW_UP:
        raise rules.IllegalTransition(f"当前状态为“{S(dispute.status).label}”，不能回访（调解结束后方可回访）")
    errors: dict[str, str] = {}
    if method not in FollowUpMethod.values:
        errors["method"] = "请选择回访方式"
    if on is None:
        errors["on"] = "请填写回访日期"
    elif on > _today():
        errors["on"] = "回访日期不能晚于今天"
    last = dispute.sessions.order_by("-held_on", "-id").first()
    if on and last and on < last.held_on:
        errors["on"] = "回访日期不能早于最近一次调解"
    if not stable:
        _require(errors, "note", note, "纠纷反复时须填写回访情况")
    _raise_errors(errors)
    now = timezone.now()
    row = FollowUp.objects.create(dispute=dispute, on=on, method=method, stable=stable, satisfied=satisfied,
                                  note=(note or "").strip()[:300], by=_user(actor), created_at=now)
    if not stable:
        _move(dispute, S.MEDIATING, actor=actor, note=f"回访发现纠纷反复，重新化解：{row.note}", at=now)
        dispute.result = ""
    _text_signal(dispute, note, where="回访情况", at=now)
    dispute.save()
    audit_record(actor, AuditAction.CREATE, row, after=snapshot(row), detail=f"纠纷{dispute.number}回访")
    if snapshot(dispute) != before:
        audit_record(actor, AuditAction.UPDATE, dispute, before=before, after=snapshot(dispute), detail="回访")
    return row


@transaction.atomic
def dispute_close(*, actor, dispute: Dispute, note: str = "") -> Dispute:
    """办结: only from 回访, and only once a follow-up found the settlement holding."""
    dispute = _locked(actor, dispute)
    before = snapshot(dispute)
    rules.check_transition(dispute.status, S.CLOSED)
    last = dispute.sessions.filter(outcome__in=CONCLUDING_OUTCOMES).order_by("-held_on", "-id").first()
    checked = dispute.follow_ups.filter(stable=True)
    if last is not None:
        checked = checked.filter(on__gte=last.held_on)
    if not checked.exists():
        raise ValidationError("办结前须回访并确认纠纷已平稳化解")
    now = timezone.now()
    _move(dispute, S.CLOSED, actor=actor, note=(note or "").strip() or "办结", at=now)
    dispute.closed_at, dispute.closed_by, dispute.close_note = now, _user(actor), (note or "").strip()[:300]
    dispute.save()
    audit_record(actor, AuditAction.UPDATE, dispute, before=before, after=snapshot(dispute),
                 detail="办结" + ("（超期办结）" if dispute.closed_late else ""))
    return dispute


@transaction.atomic
def dispute_extend(*, actor, dispute: Dispute, days: int, reason: str) -> Extension:
    """延期: moves the deadline by ``days`` with the reason (at most MAX_EXTENSIONS times)."""
    dispute = _locked(actor, dispute)
    before = snapshot(dispute)
    if not dispute.is_open:
        raise ValidationError("纠纷已办结，不能延期")
    errors: dict[str, str] = {}
    if not isinstance(days, int) or not 1 <= days <= rules.MAX_EXTENSION_DAYS:
        errors["days"] = f"延期天数应为1至{rules.MAX_EXTENSION_DAYS}天"
    _require(errors, "reason", reason, "请填写延期理由")
    _raise_errors(errors)
    if dispute.extensions.count() >= rules.MAX_EXTENSIONS:
        raise ValidationError(f"每件纠纷最多延期{rules.MAX_EXTENSIONS}次")
    old = dispute.deadline
    dispute.deadline = old + dt.timedelta(days=days)
    row = Extension.objects.create(dispute=dispute, days=days, reason=reason.strip()[:300], old_deadline=old,
                                   new_deadline=dispute.deadline, at=timezone.now(), by=_user(actor))
    dispute.save()
    audit_record(actor, AuditAction.UPDATE, dispute, before=before, after=snapshot(dispute),
                 detail=f"延期{days}天：{row.reason}")
    return row


def handler_level(dispute: Dispute) -> int:
    """The level of the tree the dispute's handler works at (the township before assignment)."""
    if dispute.assigned_staff_id:
        return dispute.assigned_staff.area.level
    if dispute.assigned_agency_id:
        return dispute.assigned_agency.area.level
    return Level.TOWNSHIP


def may_supervise(actor, dispute: Dispute) -> bool:
    jurisdiction = getattr(actor, "jurisdiction", None)
    return jurisdiction is not None and jurisdiction.level < handler_level(dispute)


@transaction.atomic
def dispute_supervise(*, actor, dispute: Dispute, note: str) -> Supervision:
    """督办 from above: a note on the dispute, and on the handler's home page until answered."""
    dispute = _locked(actor, dispute)
    if not dispute.is_open:
        raise ValidationError("纠纷已办结，无需督办")
    if not may_supervise(actor, dispute):
        raise ValidationError("督办须由承办单位的上级提出")
    if len((note or "").strip()) < 4:
        raise ValidationError({"note": "请填写督办意见（至少4个字）"})
    now = timezone.now()
    by_name = "".join(x for x in (str(actor.agency) if actor.agency_id else "", actor.full_name or actor.username) if x)
    row = Supervision.objects.create(dispute=dispute, note=note.strip()[:300], at=now, by=_user(actor),
                                     by_name=by_name[:100])
    _notify(dispute, NotificationKind.SUPERVISED, f"{by_name}督办{dispute.number}“{dispute.title}”：{row.note}", now)
    audit_record(actor, AuditAction.CREATE, row, after=snapshot(row), detail=f"督办纠纷{dispute.number}")
    return row


@transaction.atomic
def supervision_answer(*, actor, supervision: Supervision, answer: str) -> Supervision:
    ensure_visible(actor, supervision.dispute)
    row = Supervision.objects.select_for_update().get(pk=supervision.pk)
    before = snapshot(row)
    if row.answered_at is not None:
        raise ValidationError("该督办已反馈")
    if len((answer or "").strip()) < 2:
        raise ValidationError({"answer": "请填写反馈内容"})
    row.answer, row.answered_at, row.answered_by = answer.strip()[:300], timezone.now(), _user(actor)
    row.save()
    audit_record(actor, AuditAction.UPDATE, row, before=before, after=snapshot(row), detail="督办反馈")
    return row


@transaction.atomic
def notifications_mark_read(*, actor, ids: Iterable[int] | None = None) -> int:
    from pingan.disputes.selectors import notifications_for

    qs = notifications_for(actor).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    n = Notification.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).update(
        read_at=timezone.now(), read_by=_user(actor))
    if n:
        audit_record(actor, AuditAction.UPDATE, object_type="disputes.Notification", object_repr="纠纷提醒",
                     detail=f"{n}条提醒标为已读", after={"read": n})
    return n


# ---- early warning from incidents ------------------------------------------------------------


def _calls(dispute: Dispute, upto: dt.datetime) -> int:
    """Incidents concerning the dispute (its source and the linked ones) in the window ending ``upto``."""
    since = upto - dt.timedelta(days=rules.REPEAT_WINDOW_DAYS)
    linked = set(dispute.incident_links.filter(incident__received_at__gte=since, incident__received_at__lte=upto)
                 .values_list("incident_id", flat=True))
    if dispute.source_incident_id and dispute.source_incident.received_at >= since:
        linked.add(dispute.source_incident_id)
    return len(linked)


def _repeat_signal(dispute: Dispute, incident, *, reasons: str, at) -> RiskChange | None:
    calls = _calls(dispute, incident.received_at)
    level = rules.repeat_level(calls - 1)
    if level is None:
        return None
    return _raise(dispute, level, signal=RiskSignal.REPEAT_INCIDENT, incident=incident, at=at,
                  reason=f"当事人{rules.REPEAT_WINDOW_DAYS}天内第{calls}次报警（警情{incident.number}：{reasons}）")


def _link_earlier_calls(dispute: Dispute, registered_at: dt.datetime) -> None:
    """At registration: calls by the parties' phones in the window before it count as repeats."""
    from pingan.incidents.models import Incident

    phones = {p.phone for p in dispute.parties.all() if len(p.phone) >= 7}
    if not phones:
        return
    calls = Incident.objects.filter(caller_phone__in=phones, banner__code__in=dispute.area.ancestor_codes(),
                                    received_at__gte=registered_at - dt.timedelta(days=rules.REPEAT_WINDOW_DAYS),
                                    received_at__lte=registered_at)
    if dispute.source_incident_id:
        calls = calls.exclude(pk=dispute.source_incident_id)
    names = {p.phone: p.name for p in dispute.parties.all()}
    latest = None
    for incident in calls.order_by("received_at"):
        days = (registered_at - incident.received_at).days
        name = names.get(normalise_phone(incident.caller_phone), "")
        DisputeIncident.objects.create(dispute=dispute, incident=incident, linked_at=registered_at,
                                       reasons=f"报警电话与当事人{name}一致（登记前{days}天）")
        latest = incident
    if latest is not None:
        _repeat_signal(dispute, latest, reasons="登记前当事人曾报警", at=registered_at)


@transaction.atomic
def dispute_warn_from_incident(*, incident, repeats: Sequence = (), actor=None,
                               open_disputes: OpenDisputes | None = None) -> list[Dispute]:
    """An incident arrived (``incidents.signals.incident_registered``): link it to the open disputes
    whose parties it concerns (same caller phone, a party named, or a repeat of an incident already
    linked) and raise their risk on repeat calls and on threats in its text. Returns the disputes
    linked. Automatic: the audit rows name the system, the reasons name the incident. An import
    passes the banner's ``open_disputes`` index, loaded once for the whole file."""
    if open_disputes is None:
        open_disputes = OpenDisputes(incident.banner.path)
    found = open_disputes.matches(incident, repeats)
    if not found:
        return []
    now = timezone.now()
    at = min(incident.received_at, now)
    linked = []
    disputes = (Dispute.objects.select_for_update(of=("self",)).select_related("area", "source_incident")
                .filter(pk__in=list(found)).exclude(incident_links__incident=incident)
                .exclude(source_incident=incident))
    for dispute in disputes:
        before = snapshot(dispute)
        reasons = "；".join(dict.fromkeys(found[dispute.pk]))
        DisputeIncident.objects.create(dispute=dispute, incident=incident, reasons=reasons[:300], linked_at=now)
        open_disputes.note_link(incident.pk, dispute.pk)
        changes = [_repeat_signal(dispute, incident, reasons=reasons, at=at),
                   _text_signal(dispute, incident.content or "", where=f"警情{incident.number}内容", incident=incident,
                                at=at)]
        dispute.save()
        audit_record(None, AuditAction.UPDATE, dispute, before=before, after=snapshot(dispute),
                     detail=f"关联警情{incident.number}（{reasons}）"
                            + ("；系统预警升级风险：" + "；".join(c.reason for c in changes if c) if any(changes) else ""))
        linked.append(dispute)
    return linked


def dispute_warn_from_import(*, incidents: Sequence, repeats: dict, actor=None) -> list[Dispute]:
    """A 110 import arrived (``incidents.signals.incidents_imported``): the early warning of each
    incident in the order they were received, against one index of the banner's open disputes."""
    if not incidents:
        return []
    open_disputes = OpenDisputes(incidents[0].banner.path)
    open_disputes.load_links(r.pk for rs in repeats.values() for r in rs)
    linked = []
    for incident in sorted(incidents, key=lambda i: (i.received_at, i.pk)):
        linked += dispute_warn_from_incident(incident=incident, repeats=repeats.get(incident.pk, ()), actor=actor,
                                             open_disputes=open_disputes)
    return linked


# ---- 走访 and 隐患 ----------------------------------------------------------------------------


def _check_team(team: Sequence[Staff], area: Area) -> None:
    if not team:
        raise ValidationError({"team": "请至少选择一名走访人员"})
    for s in team:
        if not s.active:
            raise ValidationError({"team": f"{s.name}已不在岗"})
        if not staff_fits(s, area):
            raise ValidationError({"team": f"{s.name}不在{area.short_name}所在乡镇(苏木)工作"})


@dataclass(frozen=True)
class HazardIn:
    category: str
    description: str
    severity: str = HazardSeverity.MINOR
    responsible: str = ""
    deadline: dt.date | None = None


@transaction.atomic
def visit_log(*, actor, area: Area, place_kind: str, place_name: str, team: Sequence[Staff],
              visited_on: dt.date | None = None, findings: str = "", dispute_title: str = "",
              dispute_kind: str = DisputeKind.OTHER, hazard: HazardIn | None = None) -> Visit:
    """走访: the visit, and what it found — a dispute lead (registered, source 走访) and/or a hazard."""
    errors: dict[str, str] = {}
    if place_kind not in PlaceKind.values:
        errors["place_kind"] = "请选择走访对象类型"
    _require(errors, "place_name", place_name, "请填写走访对象名称")
    visited_on = visited_on or _today()
    if visited_on > _today():
        errors["visited_on"] = "走访日期不能晚于今天"
    _raise_errors(errors)
    _village(area)
    _check_team(team, area)
    visit = Visit.objects.create(area=area, place_kind=place_kind, place_name=place_name.strip()[:100],
                                 visited_on=visited_on, findings=(findings or "").strip(), logged_by=_user(actor))
    ensure_visible(actor, visit)
    visit.team.set(team)
    audit_record(actor, AuditAction.CREATE, visit,
                 after={**snapshot(visit), "team": [s.name for s in team]})
    if (dispute_title or "").strip():
        reporter = getattr(actor, "staff", None) if getattr(actor, "staff_id", None) else None
        dispute_register(actor=actor, area=area, title=dispute_title, kind=dispute_kind, source=DisputeSource.VISIT,
                         description=findings, source_visit=visit, reporter=reporter)
    if hazard is not None:
        hazard_report(actor=actor, area=area, place_kind=place_kind, place_name=place_name, visit=visit,
                      category=hazard.category, severity=hazard.severity, description=hazard.description,
                      responsible=hazard.responsible, deadline=hazard.deadline, found_on=visited_on)
    return visit


@transaction.atomic
def hazard_report(*, actor, area: Area, place_kind: str, place_name: str, category: str, description: str,
                  severity: str = HazardSeverity.MINOR, found_on: dt.date | None = None, responsible: str = "",
                  deadline: dt.date | None = None, visit: Visit | None = None) -> Hazard:
    """A hazard to be rectified by a deadline (by default 30/15/7 days for 一般/较大/重大)."""
    errors: dict[str, str] = {}
    if place_kind not in PlaceKind.values:
        errors["place_kind"] = "请选择场所类型"
    _require(errors, "place_name", place_name, "请填写场所名称")
    if category not in HazardCategory.values:
        errors["category"] = "请选择隐患类别"
    if severity not in HazardSeverity.values:
        errors["severity"] = "请选择隐患等级"
    _require(errors, "description", description, "请描述隐患情况")
    found_on = found_on or _today()
    if found_on > _today():
        errors["found_on"] = "发现日期不能晚于今天"
    if deadline is not None and deadline < found_on:
        errors["deadline"] = "整改期限不能早于发现日期"
    _raise_errors(errors)
    _village(area)
    if visit is not None:
        ensure_visible(actor, visit)
    hazard = Hazard.objects.create(
        area=area, visit=visit, place_kind=place_kind, place_name=place_name.strip()[:100], category=category,
        severity=severity, description=description.strip(), found_on=found_on, found_by=_user(actor),
        responsible=(responsible or "").strip()[:100],
        deadline=deadline or found_on + dt.timedelta(days=HAZARD_DAYS[HazardSeverity(severity)]))
    ensure_visible(actor, hazard)
    audit_record(actor, AuditAction.CREATE, hazard, after=snapshot(hazard))
    return hazard


@transaction.atomic
def hazard_rectify(*, actor, hazard: Hazard, rectified_on: dt.date, evidence: str) -> Hazard:
    ensure_visible(actor, hazard)
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    before = snapshot(hazard)
    if hazard.status != HazardStatus.OPEN:
        raise ValidationError("该隐患已整改")
    errors: dict[str, str] = {}
    if rectified_on is None:
        errors["rectified_on"] = "请填写整改完成日期"
    elif rectified_on > _today():
        errors["rectified_on"] = "整改完成日期不能晚于今天"
    elif rectified_on < hazard.found_on:
        errors["rectified_on"] = "整改完成日期不能早于发现日期"
    if len((evidence or "").strip()) < 4:
        errors["evidence"] = "请填写整改情况及佐证（至少4个字）"
    _raise_errors(errors)
    hazard.status, hazard.rectified_on = HazardStatus.RECTIFIED, rectified_on
    hazard.evidence, hazard.rectified_by = evidence.strip(), _user(actor)
    hazard.save()
    audit_record(actor, AuditAction.UPDATE, hazard, before=before, after=snapshot(hazard),
                 detail="隐患整改销号" + ("（超期整改）" if rectified_on > hazard.deadline else ""))
    return hazard
