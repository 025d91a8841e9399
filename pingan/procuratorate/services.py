"""Writes of 检护民生: keyword-only ``<entity>_<action>`` functions, one transaction each, the scope
re-checked inside it, an audit row with before/after, and a trail row (``Event``) for every step a
person would want to see on the record's page.

State machines are explicit tables (``SUGGESTION_FLOW``, ``LEAD_FLOW``, ``SUPPORT_FLOW``); a step not in
the table is refused with a Chinese message naming the current state and the states it is allowed from.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from pingan.areas.models import Area
from pingan.core import crypto, idcard
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction
from pingan.core.scope import Line, ensure_visible, scope_of
from pingan.org.models import Agency, AgencyKind
from pingan.procuratorate.models import (
    AWAITING_STATUSES,
    DEFAULT_REPLY_MONTHS,
    AidGrant,
    AidReferral,
    Attachment,
    AttachmentKind,
    ClaimStatus,
    Enforcement,
    Event,
    FraudIntervention,
    FraudStage,
    FraudVictim,
    Lead,
    LeadSource,
    LeadStatus,
    Prosecution,
    PublicityEvent,
    Share,
    Suggestion,
    SuggestionReply,
    SuggestionStatus,
    SupportStatus,
    SupportSuit,
    Verification,
    WageClaim,
    WageWorker,
    add_months,
)
from pingan.procuratorate.models import Field as LeadField

S = SuggestionStatus
ALLOWED_UPLOAD_SUFFIXES = frozenset({".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx",
                                     ".txt", ".wps"})
SHAREABLE_LINES = (Line.POLICE, Line.JUSTICE, Line.GRID)


# ---------------------------------------------------------------------------------------- helpers

def today() -> dt.date:
    return timezone.localdate()


def actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "系统"
    return actor.full_name or actor.get_username()


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def is_procuratorate(actor) -> bool:
    scope = scope_of(actor)
    return scope.unrestricted or Line.PROCURATORATE in scope.lines


def require_procuratorate(actor) -> None:
    if not is_procuratorate(actor):
        raise PermissionDenied("只有检察院人员可以办理此事项")


def _not_future(day: dt.date, label: str) -> dt.date:
    if day > today():
        raise ValidationError({label: f"{label}不能晚于今天"})
    return day


def money(value, label: str = "金额") -> decimal.Decimal:
    """Money as Decimal yuan with two places; floats are refused (they cannot hold 0.10 exactly)."""
    if isinstance(value, float):
        raise ValidationError({label: f"{label}须以精确的十进制数表示，不能用浮点数"})
    try:
        amount = decimal.Decimal(str(value).strip().replace(",", "") if value not in (None, "") else "0")
    except decimal.InvalidOperation:
        raise ValidationError({label: f"{label}“{value}”不是有效的金额"}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({label: f"{label}不能为负数"})
    if amount != amount.quantize(decimal.Decimal("0.01")):
        raise ValidationError({label: f"{label}最多两位小数(元、角、分)"})
    return amount.quantize(decimal.Decimal("0.01"))


def procuratorate_for(actor, area: Area) -> Agency:
    """The procuratorate that keeps a record at ``area``: the actor's own, else the one whose
    jurisdiction covers the area (deepest first)."""
    agency = getattr(actor, "agency", None) if _user(actor) else None
    if agency is not None and agency.kind == AgencyKind.PROCURATORATE_DEPT and agency.parent_id:
        agency = agency.parent
    if agency is not None and agency.kind == AgencyKind.PROCURATORATE and area.path.startswith(agency.area.path):
        return agency
    found = (Agency.objects.filter(kind=AgencyKind.PROCURATORATE, area__code__in=area.ancestor_codes())
             .order_by("-area__level").first())
    if found is None:
        raise ValidationError({"area": f"未找到管辖“{area}”的检察院"})
    return found


def _check_area(procuratorate: Agency, area: Area) -> None:
    if procuratorate.kind != AgencyKind.PROCURATORATE:
        raise ValidationError({"procuratorate": f"“{procuratorate}”不是检察院"})
    if not area.path.startswith(procuratorate.area.path):
        raise ValidationError({"area": f"“{area}”不在{procuratorate}的辖区内"})


def abbreviation(procuratorate: Agency) -> str:
    """伊金霍洛旗人民检察院 → 伊检 (the first character of the banner's name, as on its documents)."""
    return (procuratorate.area.short_name or procuratorate.name)[:1] + "检"


def next_number(model: type[Model], prefix: str, year: int, field: str = "number") -> str:
    """The next 〔year〕N号 number under ``prefix``: one more than the highest already used."""
    stem = f"{prefix}〔{year}〕"
    used = model.objects.filter(**{f"{field}__startswith": stem}).values_list(field, flat=True)
    highest = max((int(m.group(1)) for n in used if (m := re.search(r"〕(\d+)号$", n))), default=0)
    return f"{stem}{highest + 1}号"


def event_add(record, *, actor, action: str, on: dt.date | None = None, from_status: str = "", to_status: str = "",
              note: str = "", internal: bool = False) -> Event:
    return Event.objects.create(record_type=record.record_type, record_id=record.pk, on=on or today(),
                                action=action, from_status=from_status, to_status=to_status, actor=_user(actor),
                                actor_name=actor_name(actor), note=note, internal=internal)


def _audit_update(actor, obj, before: dict, detail: str = "") -> None:
    audit_record(actor, AuditAction.UPDATE, obj, before=before, after=snapshot(obj), detail=detail)


def _audit_create(actor, obj, detail: str = "") -> None:
    audit_record(actor, AuditAction.CREATE, obj, after=snapshot(obj), detail=detail)


@dataclass(frozen=True)
class Step:
    """One allowed transition: the step's name in Chinese, the states it may start from, where it goes."""

    label: str
    sources: tuple[str, ...]
    target: str
    internal: bool = False


def _check_step(flow: dict[str, Step], action: str, current: str, labels, what: str) -> Step:
    step = flow.get(action)
    if step is None:
        raise ValidationError(f"未知的办理事项“{action}”")
    if current not in step.sources:
        allowed = "、".join(f"“{labels(s)}”" for s in step.sources)
        raise ValidationError(f"{what}当前状态为“{labels(current)}”，不能{step.label}（只有{allowed}状态可以{step.label}）")
    return step


# ---------------------------------------------------------------------------------------- attachments, shares

def attachment_add(*, actor, record, upload, kind: str = AttachmentKind.EVIDENCE, note: str = "") -> Attachment:
    """Keep an uploaded file (evidence, reply, rectification report) with a record; size and type checked."""
    name = Path(getattr(upload, "name", "") or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_UPLOAD_SUFFIXES:
        raise ValidationError({"file": f"不支持的文件类型“{suffix or '无扩展名'}”，"
                                       f"可上传：{'、'.join(sorted(s[1:] for s in ALLOWED_UPLOAD_SUFFIXES))}"})
    size = upload.size
    limit = settings.PINGAN_UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError({"file": f"文件“{name}”大小{size / 1048576:.1f}MB，超过上限{limit / 1048576:.0f}MB"})
    if size == 0:
        raise ValidationError({"file": f"文件“{name}”是空文件"})
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": f"附件类别“{kind}”不在字典中"})
    with transaction.atomic():
        ensure_visible(actor, record)
        if not is_procuratorate(actor) and not _is_addressed_agency(actor, record):
            raise PermissionDenied("您无权为此记录上传附件")
        attachment = Attachment(record_type=record.record_type, record_id=record.pk, kind=kind, name=name[:200],
                                size=size, uploaded_by=_user(actor), note=note)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        # core.audit.snapshot cannot serialise a FieldFile: the stored name stands for it.
        audit_record(actor, AuditAction.CREATE, attachment, after=snapshot(attachment) | {"file": attachment.file.name},
                     detail=f"上传附件：{record}")
    return attachment


def _is_addressed_agency(actor, record) -> bool:
    scope = scope_of(actor)
    suggestion = record.suggestion if isinstance(record, SuggestionReply) else record
    return (isinstance(suggestion, Suggestion) and scope.agency_id is not None
            and scope.agency_id == suggestion.addressed_agency_id and Line.ADMIN in scope.lines)


@transaction.atomic
def share_create(*, actor, record, line: str = "", agency: Agency | None = None, note: str = "") -> Share:
    """Share a record with the police/justice/grid line, or with one administrative agency's liaisons."""
    require_procuratorate(actor)
    ensure_visible(actor, record)
    if bool(line) == (agency is not None):
        raise ValidationError("请选择共享给一个条线，或共享给一个单位（二选一）")
    if line and line not in SHAREABLE_LINES:
        raise ValidationError({"line": "只能共享给公安、司法或网格条线；行政机关请选择具体单位"})
    if agency is not None and agency.kind != AgencyKind.ADMIN_AGENCY:
        raise ValidationError({"agency": f"“{agency}”不是行政机关"})
    active = Share.objects.filter(record_type=record.record_type, record_id=record.pk, revoked_at__isnull=True)
    if active.filter(line=line, agency=agency).exists():
        raise ValidationError("已经共享过，无需重复共享")
    share = Share.objects.create(record_type=record.record_type, record_id=record.pk, line=line, agency=agency,
                                 shared_by=_user(actor), note=note)
    event_add(record, actor=actor, action="共享", note=f"共享给{share.agency or share.get_line_display()}"
              + (f"：{note}" if note else ""), internal=True)
    _audit_create(actor, share)
    return share


@transaction.atomic
def share_revoke(*, actor, share: Share) -> Share:
    require_procuratorate(actor)
    share = Share.objects.select_for_update().get(pk=share.pk)
    ensure_visible(actor, share)
    if share.revoked_at is not None:
        raise ValidationError("该共享已撤回")
    before = snapshot(share)
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at"])
    record = share.record
    if record is not None:
        event_add(record, actor=actor, action="撤回共享", note=f"撤回对{share.agency or share.get_line_display()}的共享",
                  internal=True)
    _audit_update(actor, share, before)
    return share


# ---------------------------------------------------------------------------------------- leads

LEAD_FLOW = {
    "suggestion": Step("转为检察建议", (LeadStatus.NEW,), LeadStatus.SUGGESTION),
    "case": Step("立案办理", (LeadStatus.NEW,), LeadStatus.CASE),
    "close": Step("结束(不予立案)", (LeadStatus.NEW,), LeadStatus.CLOSED),
}


@transaction.atomic
def lead_register(*, actor, area: Area, field: str, source: str, subject: str, received_on: dt.date,
                  description: str = "", place: str = "", source_ref: str = "",
                  procuratorate: Agency | None = None) -> Lead:
    require_procuratorate(actor)
    procuratorate = procuratorate or procuratorate_for(actor, area)
    _check_area(procuratorate, area)
    if field not in LeadField.values:
        raise ValidationError({"field": f"领域“{field}”不在字典中"})
    if source not in LeadSource.values:
        raise ValidationError({"source": f"来源“{source}”不在字典中"})
    if not subject.strip():
        raise ValidationError({"subject": "事由不能为空"})
    _not_future(received_on, "受理日期")
    lead = Lead.objects.create(
        procuratorate=procuratorate, area=area, field=field, source=source, subject=subject.strip(),
        received_on=received_on, description=description, place=place, source_ref=source_ref,
        number=next_number(Lead, f"{abbreviation(procuratorate)}线", received_on.year))
    ensure_visible(actor, lead)
    event_add(lead, actor=actor, action="受理线索", on=received_on, to_status=lead.status,
              note=f"来源：{lead.get_source_display()}{('（' + source_ref + '）') if source_ref else ''}")
    _audit_create(actor, lead)
    return lead


@transaction.atomic
def lead_assess(*, actor, lead: Lead, outcome: str, on: dt.date | None = None, assessment: str = "",
                reason: str = "", case_ref: str = "", suggestion: dict | None = None) -> Lead:
    """Assess a lead: → a draft suggestion (``suggestion`` holds its fields: addressed_agency, title,
    matter, legal_basis, requirements …), → a case (``case_ref``), or → closed (``reason``)."""
    require_procuratorate(actor)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    ensure_visible(actor, lead)
    step = _check_step(LEAD_FLOW, outcome, lead.status, lambda s: LeadStatus(s).label, "线索")
    on = _not_future(on or today(), "评估日期")
    if on < lead.received_on:
        raise ValidationError({"on": "评估日期不能早于受理日期"})
    before = snapshot(lead)
    if outcome == "close":
        if not reason.strip():
            raise ValidationError({"reason": "结束线索须写明理由"})
        lead.closed_reason = reason.strip()
    elif outcome == "case":
        if not case_ref.strip():
            raise ValidationError({"case_ref": "立案办理须填写案号"})
        lead.case_ref = case_ref.strip()
    lead.status, lead.assessed_on, lead.assessment = step.target, on, assessment
    lead.save()
    event_add(lead, actor=actor, action=step.label, on=on, from_status=before["status"], to_status=lead.status,
              note=reason or case_ref or assessment)
    _audit_update(actor, lead, before)
    if outcome == "suggestion":
        values = dict(suggestion or {})
        if values.get("addressed_agency") is None:
            raise ValidationError({"addressed_agency": "转为检察建议须选择被建议单位"})
        values.setdefault("title", lead.subject)
        values.setdefault("matter", lead.subject[:100])
        values.setdefault("facts", lead.description or lead.subject)
        values.setdefault("field", lead.field)
        suggestion_draft(actor=actor, lead=lead, area=lead.area, procuratorate=lead.procuratorate, on=on, **values)
    return lead


# ---------------------------------------------------------------------------------------- suggestions

SUGGESTION_FLOW: dict[str, Step] = {
    "submit": Step("提请审批", (S.DRAFT,), S.REVIEW, internal=True),
    "return": Step("退回修改", (S.REVIEW,), S.DRAFT, internal=True),
    "approve": Step("批准制发", (S.REVIEW,), S.TO_SERVE, internal=True),
    "serve": Step("送达", (S.TO_SERVE,), S.AWAITING_REPLY),
    "reply": Step("回复", (S.AWAITING_REPLY, S.FOLLOW_UP), S.REPLIED),
    "verify": Step("开始核查", (S.REPLIED, S.AWAITING_REPLY, S.FOLLOW_UP), S.VERIFYING),
    "rectified": Step("认定整改到位", (S.VERIFYING,), S.RECTIFIED),
    "follow_up": Step("跟进监督", (S.VERIFYING,), S.FOLLOW_UP),
    "litigate": Step("转提起公益诉讼", (S.VERIFYING, S.FOLLOW_UP, S.AWAITING_REPLY), S.LITIGATION),
}
SUGGESTION_FIELDS = ("addressed_agency", "area", "field", "title", "matter", "facts", "legal_basis", "requirements",
                     "reply_period_months", "wage_claim")


def allowed_actions(suggestion: Suggestion) -> list[str]:
    """The steps the state machine allows from the suggestion's current state (for buttons)."""
    return [key for key, step in SUGGESTION_FLOW.items() if suggestion.status in step.sources]


TEXT_FIELDS = (("title", "标题"), ("matter", "违法情形概述"), ("facts", "查明的事实"), ("legal_basis", "法律依据"),
               ("requirements", "建议事项"))
# A draft (from a lead, say) may leave these for later; it cannot go for approval without them.
COMPLETED_LATER = ("legal_basis", "requirements")


def _clean_suggestion(values: dict, procuratorate: Agency) -> dict:
    errors = {}
    agency = values.get("addressed_agency")
    if agency is None or agency.kind != AgencyKind.ADMIN_AGENCY:
        errors["addressed_agency"] = "被建议单位须为行政机关"
    if values.get("field") not in LeadField.values:
        errors["field"] = f"领域“{values.get('field')}”不在字典中"
    for key, label in TEXT_FIELDS:
        values[key] = (values.get(key) or "").strip()
        if not values[key] and key not in COMPLETED_LATER:
            errors[key] = f"{label}不能为空"
    months = values.get("reply_period_months") or DEFAULT_REPLY_MONTHS
    if not 1 <= int(months) <= 12:
        errors["reply_period_months"] = "回复期限应为1至12个月"
    values["reply_period_months"] = int(months)
    area = values.get("area")
    if area is None or not area.path.startswith(procuratorate.area.path):
        errors["area"] = f"所在辖区须在{procuratorate}的辖区内"
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def suggestion_draft(*, actor, addressed_agency: Agency, title: str, matter: str, facts: str, field: str,
                     legal_basis: str = "", requirements: str = "", area: Area | None = None, procuratorate: Agency | None = None,
                     reply_period_months: int = DEFAULT_REPLY_MONTHS, lead: Lead | None = None,
                     wage_claim: WageClaim | None = None, previous: Suggestion | None = None,
                     on: dt.date | None = None) -> Suggestion:
    require_procuratorate(actor)
    area = area or (procuratorate.area if procuratorate else getattr(actor, "jurisdiction", None))
    if area is None:
        raise ValidationError({"area": "请选择所在辖区"})
    procuratorate = procuratorate or procuratorate_for(actor, area)
    values = _clean_suggestion(dict(addressed_agency=addressed_agency, area=area, field=field, title=title,
                                    matter=matter, facts=facts, legal_basis=legal_basis, requirements=requirements,
                                    reply_period_months=reply_period_months), procuratorate)
    for parent in (lead, wage_claim, previous):
        if parent is not None:
            ensure_visible(actor, parent)
    suggestion = Suggestion.objects.create(procuratorate=procuratorate, lead=lead, wage_claim=wage_claim,
                                           previous=previous, drafted_by=_user(actor), **values)
    ensure_visible(actor, suggestion)
    note = f"再次制发（前一份：{previous.number}）" if previous else (f"来源线索：{lead.number}" if lead else "")
    event_add(suggestion, actor=actor, action="起草", on=on, to_status=S.DRAFT, note=note, internal=True)
    _audit_create(actor, suggestion)
    return suggestion


@transaction.atomic
def suggestion_update(*, actor, suggestion: Suggestion, **changes) -> Suggestion:
    """Edit a draft (only 起草: once submitted, the text is what was approved and served)."""
    require_procuratorate(actor)
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    ensure_visible(actor, suggestion)
    if suggestion.status != S.DRAFT:
        raise ValidationError(f"检察建议当前状态为“{suggestion.get_status_display()}”，只有起草状态可以修改")
    before = snapshot(suggestion)
    values = {k: getattr(suggestion, k) for k in SUGGESTION_FIELDS} | {
        k: v for k, v in changes.items() if k in SUGGESTION_FIELDS}
    values = _clean_suggestion(values, suggestion.procuratorate)
    for key, value in values.items():
        setattr(suggestion, key, value)
    suggestion.save()
    ensure_visible(actor, suggestion)
    _audit_update(actor, suggestion, before)
    return suggestion


def _move(suggestion: Suggestion, action: str) -> tuple[Suggestion, dict, Step]:
    step = _check_step(SUGGESTION_FLOW, action, suggestion.status, lambda s: S(s).label, "检察建议")
    before = snapshot(suggestion)
    suggestion.status = step.target
    return suggestion, before, step


def _finish(actor, suggestion: Suggestion, before: dict, step: Step, *, on: dt.date, note: str = "",
            action: str = "") -> Suggestion:
    suggestion.save()
    event_add(suggestion, actor=actor, action=action or step.label, on=on, from_status=before["status"],
              to_status=suggestion.status, note=note, internal=step.internal)
    _audit_update(actor, suggestion, before, detail=action or step.label)
    return suggestion


def _locked(actor, suggestion: Suggestion) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    ensure_visible(actor, suggestion)
    return suggestion


def _on(on: dt.date | None, label: str, not_before: dt.date | None = None, not_before_label: str = "") -> dt.date:
    on = _not_future(on or today(), label)
    if not_before is not None and on < not_before:
        raise ValidationError({label: f"{label}不能早于{not_before_label}（{not_before}）"})
    return on


@transaction.atomic
def suggestion_submit(*, actor, suggestion: Suggestion, on: dt.date | None = None, note: str = "") -> Suggestion:
    require_procuratorate(actor)
    suggestion = _locked(actor, suggestion)
    suggestion, before, step = _move(suggestion, "submit")
    missing = [label for key, label in TEXT_FIELDS if not getattr(suggestion, key).strip()]
    if missing:
        raise ValidationError(f"提请审批前须填写：{'、'.join(missing)}")
    return _finish(actor, suggestion, before, step, on=_on(on, "日期"), note=note)


@transaction.atomic
def suggestion_return(*, actor, suggestion: Suggestion, note: str, on: dt.date | None = None) -> Suggestion:
    require_procuratorate(actor)
    suggestion = _locked(actor, suggestion)
    suggestion, before, step = _move(suggestion, "return")
    if not note.strip():
        raise ValidationError({"note": "退回修改须写明意见"})
    return _finish(actor, suggestion, before, step, on=_on(on, "日期"), note=note)


@transaction.atomic
def suggestion_approve(*, actor, suggestion: Suggestion, number: str = "", on: dt.date | None = None,
                       note: str = "") -> Suggestion:
    """Approve for issue and give the document its number (文号; the next free one if not given)."""
    require_procuratorate(actor)
    suggestion = _locked(actor, suggestion)
    suggestion, before, step = _move(suggestion, "approve")
    on = _on(on, "批准日期")
    number = (number or suggestion.number or "").strip() or next_number(
        Suggestion, f"{abbreviation(suggestion.procuratorate)}行公建", on.year)
    if Suggestion.objects.filter(number=number).exclude(pk=suggestion.pk).exists():
        raise ValidationError({"number": f"文号“{number}”已被使用"})
    suggestion.number, suggestion.approved_on = number, on
    return _finish(actor, suggestion, before, step, on=on, note=note or f"文号：{number}")


@transaction.atomic
def suggestion_serve(*, actor, suggestion: Suggestion, served_on: dt.date | None = None,
                     reply_deadline: dt.date | None = None, note: str = "") -> Suggestion:
    """Serve on the agency. The reply is due ``reply_period_months`` (two by default) after service,
    unless another deadline is set here."""
    require_procuratorate(actor)
    suggestion = _locked(actor, suggestion)
    suggestion, before, step = _move(suggestion, "serve")
    served_on = _on(served_on, "送达日期", suggestion.approved_on, "批准日期")
    deadline = reply_deadline or add_months(served_on, suggestion.reply_period_months)
    if deadline <= served_on:
        raise ValidationError({"reply_deadline": "回复期限须晚于送达日期"})
    suggestion.served_on, suggestion.reply_deadline = served_on, deadline
    return _finish(actor, suggestion, before, step, on=served_on,
                   note=note or f"送达{suggestion.addressed_agency}，限{deadline:%Y年%m月%d日}前书面回复")


@transaction.atomic
def suggestion_reply(*, actor, suggestion: Suggestion, reply: str, rectification: str = "",
                     replied_on: dt.date | None = None, files: Iterable = (),
                     file_kind: str = AttachmentKind.RECTIFICATION) -> SuggestionReply:
    """The agency's reply, entered by its liaison (or by the procuratorate for a reply received on paper)."""
    suggestion = _locked(actor, suggestion)
    by_agency = _is_addressed_agency(actor, suggestion)
    if not by_agency and not is_procuratorate(actor):
        raise PermissionDenied("只有被建议单位的联络员或检察院人员可以录入回复")
    suggestion, before, step = _move(suggestion, "reply")
    replied_on = _on(replied_on, "回复日期", suggestion.served_on, "送达日期")
    if not reply.strip():
        raise ValidationError({"reply": "回复内容不能为空"})
    answer = SuggestionReply.objects.create(suggestion=suggestion, replied_on=replied_on, reply=reply.strip(),
                                            rectification=rectification.strip(), via="平安乡村" if by_agency else "书面",
                                            replied_by=_user(actor), replied_by_name=actor_name(actor))
    late = suggestion.reply_deadline is not None and replied_on > suggestion.reply_deadline
    _finish(actor, suggestion, before, step, on=replied_on,
            note=f"{suggestion.addressed_agency}{'（逾期）' if late else ''}回复" + ("，附整改情况报告" if rectification else ""))
    _audit_create(actor, answer)
    for upload in files:
        attachment_add(actor=actor, record=answer, upload=upload, kind=file_kind)
    return answer


@transaction.atomic
def suggestion_start_verification(*, actor, suggestion: Suggestion, on: dt.date | None = None,
                                  note: str = "") -> Suggestion:
    """核查: after a reply — or, once the deadline has passed without one, directly."""
    require_procuratorate(actor)
    suggestion = _locked(actor, suggestion)
    on = _on(on, "核查日期", suggestion.served_on, "送达日期")
    if suggestion.status in AWAITING_STATUSES and not suggestion.is_overdue(on):
        raise ValidationError(f"回复期限（{suggestion.reply_deadline}）未到，须待被建议单位回复后再核查")
    suggestion, before, step = _move(suggestion, "verify")
    overdue = before["status"] in AWAITING_STATUSES
    return _finish(actor, suggestion, before, step, on=on, note=note,
                   action="逾期未回复，径行核查" if overdue else step.label)


@transaction.atomic
def suggestion_verify(*, actor, suggestion: Suggestion, result: str, on: dt.date | None = None, note: str = "",
                      reply_deadline: dt.date | None = None) -> Suggestion:
    """The verification's conclusion: 整改到位 closes the suggestion (整改完毕); 部分整改 / 未整改 put it
    under follow-up (跟进监督) with a new reply deadline (by default one more reply period from today)."""
    require_procuratorate(actor)
    suggestion = _locked(actor, suggestion)
    if result not in Verification.values:
        raise ValidationError({"result": f"核查结论“{result}”不在字典中"})
    action = "rectified" if result == Verification.DONE else "follow_up"
    suggestion, before, step = _move(suggestion, action)
    on = _on(on, "核查日期", suggestion.served_on, "送达日期")
    suggestion.verification, suggestion.verified_on = result, on
    if action == "rectified":
        suggestion.closed_on = on
    else:
        deadline = reply_deadline or add_months(on, suggestion.reply_period_months)
        if deadline <= on:
            raise ValidationError({"reply_deadline": "新的回复期限须晚于核查日期"})
        suggestion.reply_deadline = deadline
        note = (note + "；" if note else "") + f"要求{deadline:%Y年%m月%d日}前回复整改进展"
    return _finish(actor, suggestion, before, step, on=on, note=note,
                   action=f"核查：{Verification(result).label}")


@transaction.atomic
def suggestion_litigate(*, actor, suggestion: Suggestion, litigation_ref: str, on: dt.date | None = None,
                        note: str = "") -> Suggestion:
    """转诉讼: the agency did not act; the procuratorate brings 行政公益诉讼."""
    require_procuratorate(actor)
    suggestion = _locked(actor, suggestion)
    suggestion, before, step = _move(suggestion, "litigate")
    on = _on(on, "日期", suggestion.served_on, "送达日期")
    if before["status"] == S.AWAITING_REPLY and not suggestion.is_overdue(on):
        raise ValidationError("回复期限未到，不能转提起公益诉讼")
    if not litigation_ref.strip():
        raise ValidationError({"litigation_ref": "转诉讼须填写公益诉讼案号"})
    suggestion.litigation_ref, suggestion.closed_on = litigation_ref.strip(), on
    return _finish(actor, suggestion, before, step, on=on, note=note or f"案号：{litigation_ref}")


@transaction.atomic
def suggestion_remind(*, actor, suggestion: Suggestion, on: dt.date | None = None, note: str = "") -> Event:
    """催告: remind the agency of a reply it owes (shown in the trail, which its liaison sees)."""
    require_procuratorate(actor)
    suggestion = _locked(actor, suggestion)
    on = _on(on, "日期")
    if suggestion.status not in AWAITING_STATUSES:
        raise ValidationError(f"检察建议当前状态为“{suggestion.get_status_display()}”，无需催告回复")
    days = (on - suggestion.reply_deadline).days
    text = f"已逾期{days}天" if days > 0 else f"距回复期限还有{-days}天"
    event = event_add(suggestion, actor=actor, action="催告回复", on=on, from_status=suggestion.status,
                      to_status=suggestion.status, note=f"{text}" + (f"；{note}" if note else ""))
    audit_record(actor, AuditAction.UPDATE, suggestion, detail=f"催告回复（{text}）")
    return event


@transaction.atomic
def suggestion_reissue(*, actor, suggestion: Suggestion, on: dt.date | None = None, **changes) -> Suggestion:
    """再次制发: a new draft that carries the old one's text (changes may be given), linked to it."""
    require_procuratorate(actor)
    old = _locked(actor, suggestion)
    if old.status != S.FOLLOW_UP:
        raise ValidationError(f"检察建议当前状态为“{old.get_status_display()}”，只有跟进监督中的检察建议可以再次制发")
    values = {k: getattr(old, k) for k in SUGGESTION_FIELDS} | {k: v for k, v in changes.items()
                                                                 if k in SUGGESTION_FIELDS}
    new = suggestion_draft(actor=actor, procuratorate=old.procuratorate, lead=old.lead, previous=old, on=on, **values)
    event_add(old, actor=actor, action="再次制发检察建议", on=on, from_status=old.status, to_status=old.status,
              note=f"新建议起草中（#{new.pk}）", internal=True)
    return new


# ---------------------------------------------------------------------------------------- wage claims

@transaction.atomic
def wage_claim_register(*, actor, area: Area, project: str, contractor: str, received_on: dt.date,
                        employer: str = "", contractor_code: str = "", summary: str = "", lead: Lead | None = None,
                        procuratorate: Agency | None = None) -> WageClaim:
    require_procuratorate(actor)
    procuratorate = procuratorate or procuratorate_for(actor, area)
    _check_area(procuratorate, area)
    if not project.strip() or not contractor.strip():
        raise ValidationError({"project": "建设工程项目和施工承包人不能为空"})
    _not_future(received_on, "受理日期")
    if lead is not None:
        ensure_visible(actor, lead)
    claim = WageClaim.objects.create(
        procuratorate=procuratorate, area=area, project=project.strip(), contractor=contractor.strip(),
        employer=employer.strip(), contractor_code=crypto.normalise(contractor_code or "", crypto.CODE),
        received_on=received_on,
        summary=summary, lead=lead, number=next_number(WageClaim, f"{abbreviation(procuratorate)}讨薪", received_on.year))
    ensure_visible(actor, claim)
    event_add(claim, actor=actor, action="受理讨薪案件", on=received_on, to_status=claim.status)
    _audit_create(actor, claim)
    return claim


def _open_claim(actor, claim: WageClaim) -> WageClaim:
    require_procuratorate(actor)
    claim = WageClaim.objects.select_for_update().get(pk=claim.pk)
    ensure_visible(actor, claim)
    if claim.status == ClaimStatus.CLOSED:
        raise ValidationError("讨薪案件已办结，不能再增加办理事项")
    return claim


@transaction.atomic
def wage_worker_add(*, actor, claim: WageClaim, name: str, id_number: str, amount_owed, phone: str = "",
                    hometown: str = "", audit: bool = True) -> WageWorker:
    claim = _open_claim(actor, claim)
    errors = {}
    if not name.strip():
        errors["name"] = "姓名不能为空"
    try:
        id_number = idcard.validate(id_number)
    except idcard.InvalidIdNumber as exc:
        errors["id_number"] = str(exc)
    phone = (phone or "").strip()
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        errors["phone"] = "手机号码应为以1开头的11位数字"
    if errors:
        raise ValidationError(errors)
    amount = money(amount_owed, "被拖欠工资")
    if WageWorker.objects.filter(claim=claim, id_number=id_number).exists():
        raise ValidationError({"id_number": "该农民工已在本案中登记"})
    worker = WageWorker.objects.create(claim=claim, name=name.strip(), id_number=id_number, phone=phone,
                                       hometown=hometown.strip(), amount_owed=amount)
    if audit:
        _audit_create(actor, worker, detail=f"{claim.number}")
    return worker


@transaction.atomic
def prosecution_file(*, actor, claim: WageClaim, case_ref: str, defendant: str, court: str, filed_on: dt.date,
                     police_case_ref: str = "") -> Prosecution:
    """提起公诉 of the contractor for 拒不支付劳动报酬罪."""
    claim = _open_claim(actor, claim)
    if not (case_ref.strip() and defendant.strip() and court.strip()):
        raise ValidationError("提起公诉须填写案号、被告人和审判法院")
    filed_on = _on(filed_on, "提起公诉日期", claim.received_on, "受理日期")
    p = Prosecution.objects.create(claim=claim, case_ref=case_ref.strip(), defendant=defendant.strip(),
                                   court=court.strip(), filed_on=filed_on, police_case_ref=police_case_ref.strip())
    event_add(claim, actor=actor, action="提起公诉", on=filed_on,
              note=f"以{p.charge}对{p.defendant}向{p.court}提起公诉，案号{p.case_ref}")
    _audit_create(actor, p)
    return p


@transaction.atomic
def prosecution_judge(*, actor, prosecution: Prosecution, judgment: str, judged_on: dt.date) -> Prosecution:
    require_procuratorate(actor)
    p = Prosecution.objects.select_for_update().get(pk=prosecution.pk)
    ensure_visible(actor, p)
    if p.judged_on:
        raise ValidationError("已记录判决结果")
    if not judgment.strip():
        raise ValidationError({"judgment": "判决结果不能为空"})
    before = snapshot(p)
    p.judgment, p.judged_on = judgment.strip(), _on(judged_on, "判决日期", p.filed_on, "提起公诉日期")
    p.save()
    event_add(p.claim, actor=actor, action="刑事判决", on=p.judged_on, note=f"{p.case_ref}：{p.judgment}")
    _audit_update(actor, p, before)
    return p


def _claim_workers(claim: WageClaim, workers: Iterable[WageWorker]) -> list[WageWorker]:
    workers = list(workers)
    if not workers:
        raise ValidationError({"workers": "请至少选择一名农民工"})
    ids = {w.pk for w in workers}
    if WageWorker.objects.filter(pk__in=ids, claim=claim).count() != len(ids):
        raise ValidationError({"workers": "所选人员不都属于本讨薪案件"})
    return workers


SUPPORT_FLOW: dict[str, Step] = {
    "review": Step("受理审查", (SupportStatus.APPLIED,), SupportStatus.REVIEW),
    "issue": Step("制发支持起诉书", (SupportStatus.REVIEW,), SupportStatus.ISSUED),
    "refuse": Step("决定不予支持", (SupportStatus.APPLIED, SupportStatus.REVIEW), SupportStatus.REFUSED),
    "court": Step("法院受理", (SupportStatus.ISSUED,), SupportStatus.IN_COURT),
    "decide": Step("记录裁判结果", (SupportStatus.IN_COURT,), SupportStatus.DECIDED),
}


@transaction.atomic
def support_suit_apply(*, actor, claim: WageClaim, workers: Iterable[WageWorker], applied_on: dt.date) -> SupportSuit:
    """支持起诉: the workers' application (one suit may group many workers)."""
    claim = _open_claim(actor, claim)
    workers = _claim_workers(claim, workers)
    applied_on = _on(applied_on, "申请日期", claim.received_on, "受理日期")
    suit = SupportSuit.objects.create(claim=claim, applied_on=applied_on)
    suit.workers.set(workers)
    event_add(suit, actor=actor, action="申请支持起诉", on=applied_on, to_status=suit.status,
              note=f"{len(workers)}名农民工申请")
    event_add(claim, actor=actor, action="受理支持起诉申请", on=applied_on, note=f"{len(workers)}名农民工")
    _audit_create(actor, suit)
    return suit


@transaction.atomic
def support_suit_advance(*, actor, suit: SupportSuit, action: str, on: dt.date | None = None, note: str = "",
                         document_ref: str = "", court: str = "", court_case_ref: str = "", outcome: str = "",
                         amount_awarded=None) -> SupportSuit:
    """申请 → 审查 → 支持起诉书 → 法院 → 结果 (or 不予支持)."""
    require_procuratorate(actor)
    suit = SupportSuit.objects.select_for_update().select_related("claim").get(pk=suit.pk)
    ensure_visible(actor, suit)
    step = _check_step(SUPPORT_FLOW, action, suit.status, lambda s: SupportStatus(s).label, "支持起诉")
    on = _on(on, "日期", suit.applied_on, "申请日期")
    before = snapshot(suit)
    if action == "issue":
        suit.document_ref = document_ref.strip() or next_number(
            SupportSuit, f"{abbreviation(suit.claim.procuratorate)}民支诉", on.year, field="document_ref")
        suit.issued_on = on
        note = note or f"支持起诉书 {suit.document_ref}"
    elif action == "refuse":
        if not note.strip():
            raise ValidationError({"note": "不予支持须写明理由"})
        suit.decided_on = on
    elif action == "court":
        if not court.strip():
            raise ValidationError({"court": "请填写受理法院"})
        suit.court, suit.court_case_ref = court.strip(), court_case_ref.strip()
        note = note or f"{suit.court}受理{('，案号' + suit.court_case_ref) if suit.court_case_ref else ''}"
    elif action == "decide":
        if not outcome.strip():
            raise ValidationError({"outcome": "请填写裁判结果"})
        suit.outcome, suit.decided_on = outcome.strip(), on
        suit.amount_awarded = money(amount_awarded, "确认金额") if amount_awarded not in (None, "") else None
        note = note or suit.outcome
    suit.status = step.target
    suit.save()
    event_add(suit, actor=actor, action=step.label, on=on, from_status=before["status"], to_status=suit.status,
              note=note)
    event_add(suit.claim, actor=actor, action=f"支持起诉：{step.label}", on=on, note=note)
    _audit_update(actor, suit, before)
    return suit


@transaction.atomic
def aid_refer(*, actor, claim: WageClaim, workers: Iterable[WageWorker], referred_to: Agency,
              referred_on: dt.date, note: str = "") -> AidReferral:
    """Pass judicial-aid leads (司法救助线索) for some workers to 控申."""
    claim = _open_claim(actor, claim)
    workers = _claim_workers(claim, workers)
    if referred_to.kind != AgencyKind.PROCURATORATE_DEPT or not referred_to.area.path.startswith(
            claim.procuratorate.area.path):
        raise ValidationError({"referred_to": "司法救助线索须移送本院控告申诉检察部门"})
    referred_on = _on(referred_on, "移送日期", claim.received_on, "受理日期")
    referral = AidReferral.objects.create(claim=claim, referred_to=referred_to, referred_on=referred_on, note=note)
    referral.workers.set(workers)
    event_add(referral, actor=actor, action="移送司法救助线索", on=referred_on, note=f"{len(workers)}名，移送{referred_to}")
    event_add(claim, actor=actor, action="移送司法救助线索", on=referred_on, note=f"{len(workers)}名农民工，移送{referred_to}")
    _audit_create(actor, referral)
    return referral


@transaction.atomic
def aid_decide(*, actor, referral: AidReferral, decided_on: dt.date,
               decisions: Iterable[tuple[WageWorker, bool, object, str]]) -> list[AidGrant]:
    """控申's decisions: for each (worker, granted, amount, reason). A worker already granted aid in
    this claim is not granted again (so no worker is ever counted twice)."""
    require_procuratorate(actor)
    referral = AidReferral.objects.select_for_update().select_related("claim").get(pk=referral.pk)
    ensure_visible(actor, referral)
    decided_on = _on(decided_on, "决定日期", referral.referred_on, "移送日期")
    referred = set(referral.workers.values_list("pk", flat=True))
    decided = set(referral.grants.values_list("worker_id", flat=True))
    aided = set(AidGrant.objects.filter(referral__claim=referral.claim, granted=True).values_list("worker_id", flat=True))
    grants = []
    for worker, granted, amount, reason in decisions:
        if worker.pk not in referred:
            raise ValidationError({"workers": f"{worker.name}不在本次移送名单中"})
        if worker.pk in decided:
            raise ValidationError({"workers": f"{worker.name}已有救助决定"})
        amount = money(amount, "救助金额") if granted else decimal.Decimal("0.00")
        if granted and amount <= 0:
            raise ValidationError({"amount": f"{worker.name}：给予救助须填写救助金额"})
        if granted and worker.pk in aided:
            raise ValidationError({"workers": f"{worker.name}已在本案中获得司法救助，不能重复救助"})
        if not granted and not (reason or "").strip():
            raise ValidationError({"reason": f"{worker.name}：不予救助须写明理由"})
        grant = AidGrant.objects.create(referral=referral, worker=worker, granted=granted, amount=amount,
                                        decided_on=decided_on, reason=(reason or "").strip())
        decided.add(worker.pk)
        if granted:
            aided.add(worker.pk)
        grants.append(grant)
    if not grants:
        raise ValidationError("请至少填写一名农民工的救助决定")
    before = snapshot(referral)
    if decided >= referred:
        referral.decided_on = decided_on
        referral.save(update_fields=["decided_on", "updated_at"])
    total = sum((g.amount for g in grants), decimal.Decimal("0.00"))
    given = sum(1 for g in grants if g.granted)
    text = f"决定给予{given}名农民工司法救助，共{total}元" + (f"，{len(grants) - given}名不予救助" if given < len(grants) else "")
    event_add(referral, actor=actor, action="司法救助决定", on=decided_on, note=text)
    event_add(referral.claim, actor=actor, action="司法救助决定", on=decided_on, note=text)
    audit_record(actor, AuditAction.UPDATE, referral, before=before, after=snapshot(referral) | {"grants": len(grants)},
                 detail=text)
    return grants


@transaction.atomic
def enforcement_record(*, actor, claim: WageClaim, on: dt.date, action: str, court: str = "",
                       amount_recovered=0) -> Enforcement:
    """执行跟进: a step in the court's enforcement against the contractor's property."""
    claim = _open_claim(actor, claim)
    if not action.strip():
        raise ValidationError({"action": "跟进事项不能为空"})
    on = _on(on, "日期", claim.received_on, "受理日期")
    e = Enforcement.objects.create(claim=claim, on=on, action=action.strip(), court=court.strip(),
                                   amount_recovered=money(amount_recovered, "执行到位金额"))
    event_add(claim, actor=actor, action="执行跟进", on=on,
              note=e.action + (f"，执行到位{e.amount_recovered}元" if e.amount_recovered else ""))
    _audit_create(actor, e)
    return e


@transaction.atomic
def wage_claim_close(*, actor, claim: WageClaim, closed_on: dt.date, note: str = "") -> WageClaim:
    claim = _open_claim(actor, claim)
    before = snapshot(claim)
    claim.status, claim.closed_on = ClaimStatus.CLOSED, _on(closed_on, "办结日期", claim.received_on, "受理日期")
    claim.closed_note = note.strip()[:200]
    claim.save()
    event_add(claim, actor=actor, action="办结", on=claim.closed_on, from_status=before["status"],
              to_status=claim.status, note=note)
    _audit_update(actor, claim, before)
    return claim


# ---------------------------------------------------------------------------------------- fraud, fundraising

@transaction.atomic
def fraud_intervention_register(*, actor, area: Area, case_ref: str, case_name: str, police_agency: str,
                                intervened_on: dt.date, crime: str = "诈骗罪", cross_border: bool = False,
                                region: str = "", opinion: str = "",
                                procuratorate: Agency | None = None) -> FraudIntervention:
    require_procuratorate(actor)
    procuratorate = procuratorate or procuratorate_for(actor, area)
    _check_area(procuratorate, area)
    if not (case_ref.strip() and case_name.strip() and police_agency.strip()):
        raise ValidationError("请填写案件编号、案件名称和侦查机关")
    if region and not cross_border:
        raise ValidationError({"region": "境外地区只用于跨境案件"})
    record = FraudIntervention.objects.create(
        procuratorate=procuratorate, area=area, case_ref=case_ref.strip(), case_name=case_name.strip(),
        police_agency=police_agency.strip(), intervened_on=_not_future(intervened_on, "介入日期"), crime=crime,
        cross_border=cross_border, region=region.strip(), opinion=opinion)
    ensure_visible(actor, record)
    event_add(record, actor=actor, action="提前介入", on=intervened_on, to_status=record.stage,
              note=("跨境（" + record.region + "）" if cross_border else "") + (opinion[:100] if opinion else ""))
    _audit_create(actor, record)
    return record


@transaction.atomic
def fraud_stage_set(*, actor, intervention: FraudIntervention, stage: str, on: dt.date | None = None,
                    note: str = "") -> FraudIntervention:
    require_procuratorate(actor)
    record = FraudIntervention.objects.select_for_update().get(pk=intervention.pk)
    ensure_visible(actor, record)
    order = list(FraudStage.values)
    if stage not in order:
        raise ValidationError({"stage": f"阶段“{stage}”不在字典中"})
    if order.index(stage) <= order.index(record.stage):
        raise ValidationError(f"案件已处于“{record.get_stage_display()}”阶段，不能改为“{FraudStage(stage).label}”")
    before = snapshot(record)
    record.stage = stage
    record.save()
    event_add(record, actor=actor, action=FraudStage(stage).label, on=_on(on, "日期", record.intervened_on, "介入日期"),
              from_status=before["stage"], to_status=stage, note=note)
    _audit_update(actor, record, before)
    return record


@transaction.atomic
def fraud_victim_add(*, actor, intervention: FraudIntervention, name: str, loss, recovered=0,
                     recovered_on: dt.date | None = None) -> FraudVictim:
    """A victim with the loss and what was recovered (returned) to them."""
    require_procuratorate(actor)
    record = FraudIntervention.objects.select_for_update().get(pk=intervention.pk)
    ensure_visible(actor, record)
    loss, recovered = money(loss, "被骗金额"), money(recovered, "挽回损失")
    if not name.strip():
        raise ValidationError({"name": "被害人姓名不能为空"})
    if recovered > loss:
        raise ValidationError({"recovered": "挽回损失不能超过被骗金额"})
    if recovered and recovered_on is None:
        raise ValidationError({"recovered_on": "挽回损失须填写返还日期"})
    if recovered_on is not None:
        _on(recovered_on, "返还日期", record.intervened_on, "介入日期")
    victim = FraudVictim.objects.create(intervention=record, name=name.strip(), loss=loss, recovered=recovered,
                                        recovered_on=recovered_on)
    if recovered:
        event_add(record, actor=actor, action="挽回损失", on=recovered_on, note=f"为被害人{victim.name}挽回{recovered}元")
    _audit_create(actor, victim)
    return victim


@transaction.atomic
def publicity_event_record(*, actor, area: Area, held_on: dt.date, place: str, forms: str, materials: int = 0,
                           audience: int = 0, note: str = "", procuratorate: Agency | None = None) -> PublicityEvent:
    require_procuratorate(actor)
    procuratorate = procuratorate or procuratorate_for(actor, area)
    _check_area(procuratorate, area)
    if not place.strip() or not forms.strip():
        raise ValidationError("请填写地点和形式")
    if materials < 0 or audience < 0:
        raise ValidationError("资料份数和受众人次不能为负数")
    event = PublicityEvent.objects.create(procuratorate=procuratorate, area=area,
                                          held_on=_not_future(held_on, "日期"), place=place.strip(),
                                          forms=forms.strip(), materials=materials, audience=audience, note=note)
    ensure_visible(actor, event)
    _audit_create(actor, event)
    return event



def suggestions_remind_overdue(*, every_days: int = 7, on: dt.date | None = None) -> list[Suggestion]:
    """The daily job: remind every overdue suggestion not reminded in the last ``every_days`` days."""
    on = on or today()
    recent = Event.objects.filter(record_type=Suggestion.record_type, action="催告回复",
                                  on__gt=on - dt.timedelta(days=every_days)).values("record_id")
    due = (Suggestion.objects.overdue(on).exclude(pk__in=recent).select_related("addressed_agency")
           .order_by("reply_deadline", "pk"))
    reminded = []
    for s in due:
        suggestion_remind(actor=None, suggestion=s, on=on, note="系统自动催告")
        reminded.append(s)
    return reminded
