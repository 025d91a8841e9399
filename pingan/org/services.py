"""Writes to the organisation: one transaction each, scope re-checked, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from pingan.areas.models import Area, Level
from pingan.core import idcard
from pingan.core.audit import audit_record, snapshot
from pingan.core.dictionaries import ETHNICITIES
from pingan.core.models import AuditAction
from pingan.core.pinyin import initials
from pingan.core.scope import ensure_visible
from pingan.org.models import (
    Agency,
    AssignmentRole,
    Posting,
    Staff,
    StaffCategory,
    TeamSeat,
    VillageAssignment,
)

STAFF_FIELDS = ("name", "category", "agency", "area", "id_number", "phone", "ethnicity", "service_start", "active",
                "note")


def _clean_staff(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = "姓名不能为空"
    if values.get("category") not in StaffCategory.values:
        errors["category"] = f"人员类别“{values.get('category')}”不在字典中"
    try:
        values["id_number"] = idcard.validate(values.get("id_number") or "")
    except idcard.InvalidIdNumber as exc:
        errors["id_number"] = str(exc)
    phone = (values.get("phone") or "").strip()
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        errors["phone"] = "手机号码应为以1开头的11位数字"
    if values.get("ethnicity") not in ETHNICITIES:
        errors["ethnicity"] = f"民族“{values.get('ethnicity')}”不在字典中"
    agency, area = values.get("agency"), values.get("area")
    if agency is not None and area is not None and not area.path.startswith(agency.area.path):
        errors["area"] = f"工作辖区“{area}”不在单位“{agency}”的辖区内"
    if errors:
        raise ValidationError(errors)
    values["name"], values["phone"] = name, phone
    number = values["id_number"]
    values["birth_date"] = idcard.birth_date(number)
    values["gender"] = idcard.gender(number)
    return values


@transaction.atomic
def staff_create(*, actor, audit: bool = True, **values) -> Staff:
    values = _clean_staff({k: values.get(k) for k in STAFF_FIELDS if k in values} | {"active": values.get("active", True)})
    if Staff.objects.filter(id_number=values["id_number"]).exists():
        raise ValidationError({"id_number": "该身份证号码的人员已存在"})
    staff = Staff(**values)
    staff.name_initials = initials(staff.name)
    staff.full_clean(exclude=["name_initials"])
    staff.save()
    ensure_visible(actor, staff)
    if audit:
        audit_record(actor, AuditAction.CREATE, staff, after=snapshot(staff))
    return staff


@transaction.atomic
def staff_update(*, actor, staff: Staff, **changes) -> Staff:
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    ensure_visible(actor, staff)
    before = snapshot(staff)
    values = {k: getattr(staff, k) for k in STAFF_FIELDS} | {k: v for k, v in changes.items() if k in STAFF_FIELDS}
    values = _clean_staff(values)
    if Staff.objects.filter(id_number=values["id_number"]).exclude(pk=staff.pk).exists():
        raise ValidationError({"id_number": "该身份证号码的人员已存在"})
    for key, value in values.items():
        setattr(staff, key, value)
    staff.name_initials = initials(staff.name)
    staff.save()
    ensure_visible(actor, staff)
    audit_record(actor, AuditAction.UPDATE, staff, before=before, after=snapshot(staff))
    return staff


@transaction.atomic
def posting_start(*, actor, staff: Staff, agency: Agency, start: dt.date, note: str = "", audit: bool = True) -> Posting:
    """Post a person to a unit from ``start``; their open posting ends the day before."""
    ensure_visible(actor, staff)
    current = Posting.objects.select_for_update().filter(staff=staff, end__isnull=True).order_by("-start").first()
    if current is not None:
        if current.start >= start:
            raise ValidationError({"start": f"新任职起始日期须晚于当前任职起始日期 {current.start}"})
        before = snapshot(current)
        current.end = start - dt.timedelta(days=1)
        current.save(update_fields=["end", "updated_at"])
        if audit:
            audit_record(actor, AuditAction.UPDATE, current, before=before, after=snapshot(current))
    posting = Posting.objects.create(staff=staff, agency=agency, start=start, note=note)
    if staff.agency_id != agency.pk:
        staff.agency = agency
        if not staff.area.path.startswith(agency.area.path):
            staff.area = agency.area
        staff.save(update_fields=["agency", "area", "updated_at"])
    if audit:
        audit_record(actor, AuditAction.CREATE, posting, after=snapshot(posting))
    return posting


@transaction.atomic
def assignment_create(*, actor, staff: Staff, village: Area, role: str, start: dt.date, end: dt.date | None = None,
                      audit: bool = True) -> VillageAssignment:
    """Assign a person to a village-level unit. 一村一警: one 驻村辅警 per village at a time, checked
    under a lock on the village so two concurrent imports cannot both pass."""
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": f"“{village}”不是村级单位"})
    if role not in AssignmentRole.values:
        raise ValidationError({"role": f"职责“{role}”不在字典中"})
    if end is not None and end < start:
        raise ValidationError({"end": "结束日期不能早于起始日期"})
    if role == AssignmentRole.AUXILIARY and staff.category != StaffCategory.AUXILIARY:
        raise ValidationError({"staff": f"{staff.name}不是辅警，不能担任驻村辅警"})
    if role == AssignmentRole.PART_TIME and staff.category != StaffCategory.PART_TIME_ASSISTANT:
        raise ValidationError({"staff": f"{staff.name}不是兼职警务助理"})
    ensure_visible(actor, staff)
    Area.objects.select_for_update().filter(pk=village.pk).first()
    if role == AssignmentRole.AUXILIARY:
        clash = (VillageAssignment.objects.filter(village=village, role=AssignmentRole.AUXILIARY)
                 .filter(Q(end__isnull=True) | Q(end__gte=start)))
        if end is not None:
            clash = clash.filter(start__lte=end)
        holder = clash.select_related("staff").first()
        if holder is not None:
            raise ValidationError({"village": f"{village}在该期间已有驻村辅警{holder.staff.name}（一村一警）"})
    assignment = VillageAssignment.objects.create(staff=staff, village=village, role=role, start=start, end=end)
    ensure_visible(actor, assignment)
    if audit:
        audit_record(actor, AuditAction.CREATE, assignment, after=snapshot(assignment))
    return assignment


@transaction.atomic
def team_seat_create(*, actor, staff: Staff, area: Area, position: str, start: dt.date, end: dt.date | None = None,
                     audit: bool = True) -> TeamSeat:
    if area.level not in (Level.TOWNSHIP, Level.VILLAGE):
        raise ValidationError({"area": "班子只设在乡镇(苏木)或村(嘎查、社区)"})
    if end is not None and end < start:
        raise ValidationError({"end": "结束日期不能早于起始日期"})
    ensure_visible(actor, staff)
    seat = TeamSeat.objects.create(staff=staff, area=area, position=position, start=start, end=end)
    if audit:
        audit_record(actor, AuditAction.CREATE, seat, after=snapshot(seat))
    return seat
