"""Writes of 放管服一站式. Each service is keyword-only, runs in one transaction, checks the rules,
re-checks the record against the actor's scope (``ensure_visible``) and writes the audit row."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.core import idcard
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction
from pingan.core.scope import ensure_visible
from pingan.onestop.models import Channel, OneStopStation, Outcome, ServiceKind, ServiceRequest
from pingan.org.models import Agency, AgencyKind, Staff

MAX_WINDOWS = 50


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def normalise_phone(raw: str) -> str:
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", raw or ""))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def _station(actor, station: Agency) -> Agency:
    if station is None or station.kind != AgencyKind.POLICE_STATION:
        raise ValidationError({"station": "请选择派出所"})
    ensure_visible(actor, station)
    return station


# ---- one-stop stations ----------------------------------------------------------------------


@transaction.atomic
def one_stop_designate(*, actor, station: Agency, since: dt.date, services: Sequence[str],
                       windows: int = 1, note: str = "") -> OneStopStation:
    """Make a station a one-stop station (一站式派出所) from ``since``, or correct its record. The
    date is also written on the station itself (``Agency.one_stop_since``), which org pages show."""
    station = _station(actor, station)
    errors: dict[str, str] = {}
    if since is None:
        errors["since"] = "请填写成为一站式派出所的日期"
    elif since > timezone.localdate():
        errors["since"] = "日期不能晚于今天"
    wrong = sorted(set(services or ()) - set(ServiceKind.values))
    services = [s for s in ServiceKind.values if s in set(services or ())]
    if wrong:
        errors["services"] = f"业务类别不正确：{'、'.join(wrong)}"
    elif not services:
        errors["services"] = "请选择综窗办理的业务（至少一项）"
    if windows is None or not 1 <= windows <= MAX_WINDOWS:
        errors["windows"] = f"综合窗口数应为1至{MAX_WINDOWS}"
    _raise_errors(errors)
    record = OneStopStation.objects.select_for_update().filter(station=station).first()
    before = snapshot(record) if record else None
    if record is None:
        record = OneStopStation(station=station, designated_by=_user(actor))
    record.since, record.services, record.windows, record.note = since, services, windows, _text(note, 200)
    record.save()
    audit_record(actor, AuditAction.UPDATE if before else AuditAction.CREATE, record, before=before,
                 after=snapshot(record), detail=f"{station}为一站式派出所（{since:%Y-%m-%d}起）")
    if station.one_stop_since != since:
        agency_before = snapshot(station)
        Agency.objects.filter(pk=station.pk).update(one_stop_since=since)
        station.refresh_from_db()
        audit_record(actor, AuditAction.UPDATE, station, before=agency_before, after=snapshot(station),
                     detail="一站式派出所起始日期")
    return record


# ---- service requests -----------------------------------------------------------------------


def _next_number(station: Agency, year: int) -> str:
    prefix = f"{station.area.code[:6]}FW{year}"
    last = (ServiceRequest.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def _completion(errors: dict, *, received_at, completed_at, outcome: str, transferred_to: str) -> None:
    now = timezone.now()
    if completed_at is None:
        if outcome:
            errors["completed_at"] = "有办理结果时须填写办结(答复)时间"
        return
    if not outcome:
        errors["outcome"] = "请选择办理结果（办结、不予受理、转办）"
    elif outcome not in Outcome.values:
        errors["outcome"] = "办理结果应为办结、不予受理或转办"
    elif outcome == Outcome.TRANSFERRED and not (transferred_to or "").strip():
        errors["transferred_to"] = "转办时须填写转办单位"
    if received_at is not None and completed_at < received_at:
        errors["completed_at"] = (f"办结(答复)时间（{timezone.localtime(completed_at):%Y-%m-%d %H:%M}）不能早于受理时间"
                                  f"（{timezone.localtime(received_at):%Y-%m-%d %H:%M}）")
    elif completed_at > now + dt.timedelta(minutes=5):
        errors["completed_at"] = "办结(答复)时间不能晚于现在"


@transaction.atomic
def request_register(*, actor, station: Agency, kind: str, item: str, channel: str, received_at: dt.datetime,
                     applicant_name: str, applicant_id_number: str, applicant_phone: str = "",
                     handler: Staff | None = None, note: str = "", completed_at: dt.datetime | None = None,
                     outcome: str = "", transferred_to: str = "") -> ServiceRequest:
    """登记窗口业务 (done on the spot when ``completed_at`` and ``outcome`` are given)."""
    station = _station(actor, station)
    errors: dict[str, str] = {}
    if kind not in ServiceKind.values:
        errors["kind"] = "业务类别应为户政、车驾管、出入境、治安管理或其他"
    item = _text(item, 40)
    if not item:
        errors["item"] = "请填写办理事项"
    if channel not in Channel.values:
        errors["channel"] = "受理渠道应为窗口、一网通办或跨省通办"
    if received_at is None:
        errors["received_at"] = "请填写受理时间"
    elif received_at > timezone.now() + dt.timedelta(minutes=5):
        errors["received_at"] = "受理时间不能晚于现在"
    name = _text(applicant_name, 40)
    if len(name) < 2:
        errors["applicant_name"] = "申请人姓名至少2个字"
    try:
        id_number = idcard.validate(applicant_id_number)
    except idcard.InvalidIdNumber as exc:
        errors["applicant_id_number"] = f"申请人{exc}"
        id_number = ""
    phone = normalise_phone(applicant_phone)
    if applicant_phone and not 7 <= len(phone) <= 12:
        errors["applicant_phone"] = "联系电话应为7至12位数字"
    if handler is not None and handler.agency_id != station.pk:
        errors["handler"] = f"经办人{handler.name}不是{station}的人员"
    _completion(errors, received_at=received_at, completed_at=completed_at, outcome=outcome,
                transferred_to=transferred_to)
    _raise_errors(errors)
    row = ServiceRequest.objects.create(
        number=_next_number(station, timezone.localtime(received_at).year), station=station, kind=kind, item=item,
        channel=channel, received_at=received_at, completed_at=completed_at, outcome=outcome or "",
        transferred_to=_text(transferred_to, 100) if outcome == Outcome.TRANSFERRED else "",
        applicant_name=name, applicant_id_number=id_number, applicant_phone=phone, handler=handler,
        note=_text(note, 300), registered_by=_user(actor))
    audit_record(actor, AuditAction.CREATE, row, after=snapshot(row),
                 detail=f"{station}{channel}受理{kind}：{item}" + (f"，{outcome}" if outcome else ""))
    return row


@transaction.atomic
def request_complete(*, actor, request: ServiceRequest, completed_at: dt.datetime, outcome: str,
                     transferred_to: str = "", note: str = "") -> ServiceRequest:
    """办结、不予受理 or 转办 a pending request."""
    ensure_visible(actor, request)
    row = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if row.completed_at is not None:
        raise ValidationError(f"该业务已于{timezone.localtime(row.completed_at):%Y-%m-%d %H:%M}{row.outcome}")
    before = snapshot(row)
    errors: dict[str, str] = {}
    if completed_at is None:
        errors["completed_at"] = "请填写办结(答复)时间"
    _completion(errors, received_at=row.received_at, completed_at=completed_at, outcome=outcome,
                transferred_to=transferred_to)
    _raise_errors(errors)
    row.completed_at, row.outcome = completed_at, outcome
    row.transferred_to = _text(transferred_to, 100) if outcome == Outcome.TRANSFERRED else ""
    if (note or "").strip():
        row.note = _text(f"{row.note}；{note}" if row.note else note, 300)
    row.save()
    audit_record(actor, AuditAction.UPDATE, row, before=before, after=snapshot(row),
                 detail=f"{outcome}，用时{row.duration_text}")
    return row
