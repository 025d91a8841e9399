"""Writes of the 法律明白人 programme: one transaction each, scope re-checked, audited.

The selection rules live here: the political standard is examined first and a failed (or missing)
political check blocks both 考察 and 入选; 入选 needs every criterion recorded and met and a
合格 assessment; the status moves only along ``models.TRANSITIONS``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction
from pingan.core.scope import Line, NotVisible, ensure_visible, scope_of
from pingan.legal.models import (
    CRITERIA,
    DECISION_STATUSES,
    OPEN_STATUSES,
    QUOTA_UNIT_KINDS,
    TRANSITIONS,
    Activity,
    ActivityKind,
    Attendance,
    Channel,
    Course,
    CourseKind,
    Criterion,
    Education,
    Evaluation,
    EvaluationGrade,
    LegalPerson,
    MediationOutcome,
    Mode,
    Organiser,
    Pairing,
    PoliticalStatus,
    Quota,
    SelectionCheck,
    SourceCategory,
    Status,
    StatusChange,
    Topic,
    TrainingSession,
)
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory

PERSON_EDITABLE = ("recommender", "political_status", "education", "occupation", "certificate_no", "note")


def _managers():
    from pingan.accounts.roles import Role

    return frozenset({Role.JUSTICE_BUREAU, Role.JUDICIAL_OFFICE})


def _require_manager(actor) -> None:
    """Programme records are kept by the bureau and the judicial offices (the command line too)."""
    if actor is None:
        return
    if getattr(actor, "role", None) not in _managers():
        raise PermissionDenied("只有司法局、司法所可以办理此事项")


def _ensure_writable(actor, area: Area) -> None:
    """Banner-wide records (quotas, courses) are read down the tree but written only by someone
    whose own scope covers their area."""
    scope = scope_of(actor)
    if not (scope.covers_path(area.path) and (scope.unrestricted or Line.JUSTICE in scope.lines)):
        raise NotVisible("超出您的辖区范围")


def _today() -> dt.date:
    return timezone.localdate()


def _check_day(value, field: str, *, label: str, not_before: dt.date | None = None) -> dt.date:
    if not isinstance(value, dt.date):
        raise ValidationError({field: f"请填写{label}"})
    if value > _today():
        raise ValidationError({field: f"{label}不能晚于今天"})
    if not_before is not None and value < not_before:
        raise ValidationError({field: f"{label}不能早于{not_before:%Y-%m-%d}"})
    return value


def _choice(value, choices, field: str, label: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: f"{label}“{value}”不在字典中"})
    return value


def _check_village(village: Area) -> None:
    if village is None or village.kind not in QUOTA_UNIT_KINDS:
        raise ValidationError({"village": f"“{village}”不是村(嘎查)或社区"})


def office_for(village: Area) -> Agency:
    """The judicial office that keeps the village's files: the one on its township (or the nearest
    one above it)."""
    codes = village.ancestor_codes()
    offices = {a.area.code: a for a in Agency.objects.filter(kind=AgencyKind.JUDICIAL_OFFICE, area__code__in=codes)
               .select_related("area").order_by("pk")}
    for code in reversed(codes):
        if code in offices:
            return offices[code]
    raise ValidationError({"village": f"“{village.parent}”尚未设立司法所，请先在组织机构中添加"})


def _log_status(actor, person: LegalPerson, before: str, on: dt.date, reason: str = "") -> StatusChange:
    return StatusChange.objects.create(person=person, from_status=before, to_status=person.status, on=on,
                                       reason=reason, by=actor if getattr(actor, "is_authenticated", False) else None)


def _locked(person: LegalPerson) -> LegalPerson:
    return LegalPerson.objects.select_for_update().select_related("staff", "village").get(pk=person.pk)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# ---- quotas --------------------------------------------------------------------------------------

@transaction.atomic
def quota_set(*, actor, banner: Area, unit_kind: str, quota: int) -> Quota:
    """The bureau sets how many 法律明白人 every unit of a kind should have."""
    _require_manager(actor)
    if banner.level != Level.BANNER:
        raise ValidationError({"banner": "定额按旗县设定"})
    if unit_kind not in QUOTA_UNIT_KINDS:
        raise ValidationError({"unit_kind": f"单位类型“{unit_kind}”应为社区、嘎查或村"})
    if not isinstance(quota, int) or not 0 <= quota <= 50:
        raise ValidationError({"quota": "定额应为0至50之间的整数"})
    _ensure_writable(actor, banner)
    existing = Quota.objects.select_for_update().filter(banner=banner, unit_kind=unit_kind).first()
    if existing is None:
        row = Quota.objects.create(banner=banner, unit_kind=unit_kind, quota=quota, set_by=_user(actor))
        audit_record(actor, AuditAction.CREATE, row, after=snapshot(row))
        return row
    before = snapshot(existing)
    existing.quota, existing.set_by = quota, _user(actor)
    existing.save()
    audit_record(actor, AuditAction.UPDATE, existing, before=before, after=snapshot(existing))
    return existing


# ---- candidates and selection -------------------------------------------------------------------

def _identity(actor, *, office: Agency, village: Area, staff: Staff | None, identity: dict | None) -> Staff:
    """The Staff the file is about: an existing person (picked, or found by ID number, so nobody is
    entered twice), or a new Staff of category 法律明白人 under the village's judicial office."""
    from pingan.core import idcard
    from pingan.org.services import staff_create

    if staff is not None:
        ensure_visible(actor, staff)
        return staff
    identity = dict(identity or {})
    try:
        number = idcard.validate(identity.get("id_number") or "")
    except idcard.InvalidIdNumber as exc:
        raise ValidationError({"id_number": str(exc)}) from exc
    existing = Staff.objects.filter(id_number=number).first()
    if existing is not None:
        if existing.name != (identity.get("name") or "").strip():
            raise ValidationError({"name": "该身份证号码已登记为另一姓名的人员，请核对"})
        return existing
    return staff_create(actor=actor, name=identity.get("name"), category=StaffCategory.LEGAL_LITERATE, agency=office,
                        area=village, id_number=number, phone=identity.get("phone") or "",
                        ethnicity=identity.get("ethnicity"), active=False, note="法律明白人候选人")


@transaction.atomic
def person_nominate(*, actor, village: Area, source_category: str, channel: str, nominated_on: dt.date,
                    staff: Staff | None = None, identity: dict | None = None, recommender: str = "",
                    political_status: str = "", education: str = "", occupation: str = "",
                    note: str = "") -> LegalPerson:
    """Put a person into a village's candidate pool (状态：候选)."""
    _require_manager(actor)
    _check_village(village)
    _choice(source_category, SourceCategory, "source_category", "人员来源")
    _choice(channel, Channel, "channel", "推荐渠道")
    if political_status:
        _choice(political_status, PoliticalStatus, "political_status", "政治面貌")
    if education:
        _choice(education, Education, "education", "文化程度")
    _check_day(nominated_on, "nominated_on", label="推荐日期")
    if staff is None and not identity:
        raise ValidationError({"staff": "请选择已有人员或填写新人员的身份信息"})
    office = office_for(village)
    person_staff = _identity(actor, office=office, village=village, staff=staff, identity=identity)
    open_file = LegalPerson.objects.filter(staff=person_staff, status__in=OPEN_STATUSES).select_related("village").first()
    if open_file is not None:
        raise ValidationError({"staff": f"{person_staff.name}已有在办的法律明白人档案（{open_file.village}，"
                                        f"{open_file.status}），不能重复推荐"})
    person = LegalPerson.objects.create(
        staff=person_staff, village=village, office=office, source_category=source_category, channel=channel,
        recommender=recommender.strip(), political_status=political_status, education=education,
        occupation=occupation.strip(), status=Status.CANDIDATE, status_since=nominated_on, nominated_on=nominated_on,
        note=note.strip())
    ensure_visible(actor, person)
    _log_status(actor, person, "", nominated_on, f"{channel}（{person.get_source_category_display()}）")
    audit_record(actor, AuditAction.CREATE, person, after=snapshot(person))
    return person


@transaction.atomic
def person_update(*, actor, person: LegalPerson, **changes) -> LegalPerson:
    """Edit the file's own details (identity is edited on the Staff record)."""
    _require_manager(actor)
    person = _locked(person)
    ensure_visible(actor, person)
    before = snapshot(person)
    for key, value in changes.items():
        if key not in PERSON_EDITABLE:
            raise ValidationError({key: "该项不能在此修改"})
        value = (value or "").strip()
        if key == "political_status" and value:
            _choice(value, PoliticalStatus, key, "政治面貌")
        if key == "education" and value:
            _choice(value, Education, key, "文化程度")
        setattr(person, key, value)
    person.save()
    audit_record(actor, AuditAction.UPDATE, person, before=before, after=snapshot(person))
    return person


@transaction.atomic
def check_record(*, actor, person: LegalPerson, criterion: str, passed: bool, checked_on: dt.date,
                 note: str = "") -> SelectionCheck:
    """Record one selection criterion as met or not. The political standard comes first: no other
    criterion may be recorded before it."""
    _require_manager(actor)
    person = _locked(person)
    ensure_visible(actor, person)
    _choice(criterion, Criterion, "criterion", "选拔条件")
    if person.status not in (Status.CANDIDATE, Status.ASSESSING):
        raise ValidationError({"criterion": f"当前状态为“{person.status}”，不能再审查选拔条件"})
    _check_day(checked_on, "checked_on", label="审查日期", not_before=person.nominated_on)
    checks = {c.criterion: c for c in SelectionCheck.objects.select_for_update().filter(person=person)}
    if criterion != Criterion.POLITICAL and Criterion.POLITICAL not in checks:
        raise ValidationError({"criterion": "须先审查政治标准，再审查其他选拔条件"})
    if not isinstance(passed, bool):
        raise ValidationError({"passed": "请选择符合或不符合"})
    values = {"passed": passed, "checked_on": checked_on, "note": note.strip(), "checked_by": _user(actor)}
    row = checks.get(criterion)
    if row is None:
        row = SelectionCheck.objects.create(person=person, criterion=criterion, **values)
        audit_record(actor, AuditAction.CREATE, row, after=snapshot(row))
        return row
    before = snapshot(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.save()
    audit_record(actor, AuditAction.UPDATE, row, before=before, after=snapshot(row))
    return row


def selection_blockers(person: LegalPerson, checks: Iterable[SelectionCheck] | None = None) -> list[str]:
    """Why the person cannot be selected now (empty: 入选 is allowed). Political standard first."""
    checks = {c.criterion: c for c in (checks if checks is not None else person.checks.all())}
    political = checks.get(Criterion.POLITICAL)
    if political is None:
        return ["政治标准尚未审查"]
    if not political.passed:
        return ["政治标准审查未通过，不能入选"]
    problems = []
    labels = dict(Criterion.choices)
    missing = [labels[c] for c in CRITERIA if c not in checks]
    failed = [labels[c] for c in CRITERIA if c in checks and not checks[c].passed]
    if missing:
        problems.append("尚未审查：" + "；".join(missing))
    if failed:
        problems.append("不符合：" + "；".join(failed))
    if person.status != Status.ASSESSING:
        problems.append(f"当前状态为“{person.status}”，须先进入考察")
    elif person.assessment_passed is None:
        problems.append("尚未登记考察结论")
    elif not person.assessment_passed:
        problems.append("考察结论为不合格")
    return problems


def _change_status(actor, person: LegalPerson, to_status: str, on: dt.date, reason: str) -> LegalPerson:
    allowed = TRANSITIONS[person.status]
    if to_status not in allowed:
        targets = "、".join(s for s in Status.values if s in allowed) or "无（已是最终状态）"
        raise ValidationError({"to_status": f"不能从“{person.status}”变为“{to_status}”；可变为：{targets}"})
    _check_day(on, "on", label="日期", not_before=person.status_since)
    before_snapshot, before = snapshot(person), person.status
    person.status, person.status_since = to_status, on
    if to_status == Status.TRAINING:
        person.selected_on = on
    elif to_status == Status.SERVING:
        person.serving_on = on
    elif to_status == Status.EXITED:
        person.exited_on, person.exit_reason = on, reason
    person.save()
    _log_status(actor, person, before, on, reason)
    audit_record(actor, AuditAction.UPDATE, person, before=before_snapshot, after=snapshot(person),
                 detail=f"状态：{before}→{to_status}")
    _sync_staff_active(actor, person)
    return person


def _sync_staff_active(actor, person: LegalPerson) -> None:
    """A Staff created for the programme (category 法律明白人) is 在岗 exactly while serving."""
    from pingan.org.services import staff_update

    staff = person.staff
    if staff.category != StaffCategory.LEGAL_LITERATE:
        return
    active = person.status == Status.SERVING
    if staff.active != active:
        person.staff = staff_update(actor=actor, staff=staff, active=active)


@transaction.atomic
def assessment_record(*, actor, person: LegalPerson, passed: bool, opinion: str, assessed_on: dt.date
                      ) -> LegalPerson:
    """考察结论 of a candidate under assessment."""
    _require_manager(actor)
    person = _locked(person)
    ensure_visible(actor, person)
    if person.status != Status.ASSESSING:
        raise ValidationError({"passed": f"当前状态为“{person.status}”，只有考察中的候选人可以登记考察结论"})
    if not isinstance(passed, bool):
        raise ValidationError({"passed": "请选择合格或不合格"})
    if not (opinion or "").strip():
        raise ValidationError({"opinion": "请填写考察意见"})
    _check_day(assessed_on, "assessed_on", label="考察日期", not_before=person.status_since)
    before = snapshot(person)
    person.assessment_passed, person.assessment_opinion = passed, opinion.strip()
    person.assessed_on, person.assessed_by = assessed_on, _user(actor)
    person.save()
    audit_record(actor, AuditAction.UPDATE, person, before=before, after=snapshot(person), detail="登记考察结论")
    return person


@transaction.atomic
def person_decide(*, actor, person: LegalPerson, selected: bool, decided_on: dt.date, reason: str = "",
                  certificate_no: str = "") -> LegalPerson:
    """入选 (→ 培训) after the checks and the assessment, or 未入选 with a reason."""
    _require_manager(actor)
    person = _locked(person)
    ensure_visible(actor, person)
    if selected:
        blockers = selection_blockers(person)
        if blockers:
            raise ValidationError({"selected": "不能入选：" + "；".join(blockers)})
        target, reason = Status.TRAINING, reason.strip() or "审查、考察合格，决定入选"
    else:
        if not (reason or "").strip():
            raise ValidationError({"reason": "未入选须填写原因"})
        target, reason = Status.NOT_SELECTED, reason.strip()
    if target not in TRANSITIONS[person.status]:
        raise ValidationError({"selected": f"当前状态为“{person.status}”，不能作出{'入选' if selected else '未入选'}决定"})
    person.decided_on, person.decided_by = decided_on, _user(actor)
    person.decision_reason = "" if selected else reason
    if certificate_no:
        person.certificate_no = certificate_no.strip()
    return _change_status(actor, person, target, decided_on, reason)


@transaction.atomic
def person_transition(*, actor, person: LegalPerson, to_status: str, on: dt.date, reason: str = "") -> LegalPerson:
    """候选 → 考察, 培训 → 上岗, 培训/上岗 → 退出 (with a reason). 入选/未入选 go through
    ``person_decide``."""
    _require_manager(actor)
    person = _locked(person)
    ensure_visible(actor, person)
    _choice(to_status, Status, "to_status", "状态")
    reason = (reason or "").strip()
    if to_status in DECISION_STATUSES and to_status in TRANSITIONS[person.status]:
        raise ValidationError({"to_status": "入选或未入选须通过“作出决定”办理（审查、考察之后）"})
    if to_status == Status.ASSESSING and person.status == Status.CANDIDATE:
        political = SelectionCheck.objects.filter(person=person, criterion=Criterion.POLITICAL).first()
        if political is None or not political.passed:
            raise ValidationError({"to_status": "政治标准审查通过后才能进入考察"})
    if to_status == Status.EXITED and not reason:
        raise ValidationError({"reason": "退出须填写原因"})
    return _change_status(actor, person, to_status, on, reason)


@transaction.atomic
def evaluation_record(*, actor, person: LegalPerson, year: int, grade: str, evaluated_on: dt.date,
                      comment: str = "") -> Evaluation:
    _require_manager(actor)
    person = _locked(person)
    ensure_visible(actor, person)
    _choice(grade, EvaluationGrade, "grade", "评议等次")
    if person.selected_on is None:
        raise ValidationError({"grade": "尚未入选的人员不参加年度评议"})
    if not isinstance(year, int) or not person.selected_on.year <= year <= _today().year:
        raise ValidationError({"year": f"评议年度应在{person.selected_on.year}年至{_today().year}年之间"})
    _check_day(evaluated_on, "evaluated_on", label="评议日期")
    row, created = Evaluation.objects.select_for_update().get_or_create(
        person=person, year=year, defaults={"grade": grade, "comment": comment.strip(), "evaluated_on": evaluated_on,
                                            "evaluated_by": _user(actor)})
    if created:
        audit_record(actor, AuditAction.CREATE, row, after=snapshot(row))
        return row
    before = snapshot(row)
    row.grade, row.comment, row.evaluated_on, row.evaluated_by = grade, comment.strip(), evaluated_on, _user(actor)
    row.save()
    audit_record(actor, AuditAction.UPDATE, row, before=before, after=snapshot(row))
    return row


# ---- training ----------------------------------------------------------------------------------

@transaction.atomic
def course_create(*, actor, name: str, organiser: str, kind: str, mode: str, area: Area, topics: list[str],
                  note: str = "") -> Course:
    _require_manager(actor)
    if not (name or "").strip():
        raise ValidationError({"name": "请填写名称"})
    _choice(organiser, Organiser, "organiser", "组织单位")
    _choice(kind, CourseKind, "kind", "类型")
    _choice(mode, Mode, "mode", "方式")
    for topic in topics:
        _choice(topic, Topic, "topics", "培训内容")
    if area.level not in (Level.BANNER, Level.TOWNSHIP):
        raise ValidationError({"area": "培训记在旗县或乡镇(苏木)上"})
    _ensure_writable(actor, area)
    course = Course.objects.create(name=name.strip(), organiser=organiser, kind=kind, mode=mode, area=area,
                                   topics=list(dict.fromkeys(topics)), note=note.strip())
    audit_record(actor, AuditAction.CREATE, course, after=snapshot(course))
    return course


@transaction.atomic
def session_create(*, actor, course: Course, title: str, date: dt.date, hours, topic: str, place: str = "",
                   lecturer: str = "", representative: LegalPerson | None = None) -> TrainingSession:
    _require_manager(actor)
    _ensure_writable(actor, course.area)
    if not (title or "").strip():
        raise ValidationError({"title": "请填写主题"})
    _check_day(date, "date", label="培训日期")
    hours = _hours(hours)
    _choice(topic, Topic, "topic", "内容类别")
    if representative is not None:
        ensure_visible(actor, representative)
        if not representative.is_selected:
            raise ValidationError({"representative": "经验分享代表须为已入选的法律明白人"})
    session = TrainingSession.objects.create(course=course, title=title.strip(), date=date, hours=hours, topic=topic,
                                             place=place.strip(), lecturer=lecturer.strip(),
                                             representative=representative)
    audit_record(actor, AuditAction.CREATE, session, after=snapshot(session))
    return session


def _hours(value) -> decimal.Decimal:
    try:
        hours = decimal.Decimal(str(value)).quantize(decimal.Decimal("0.1"))
    except (decimal.InvalidOperation, ValueError):
        raise ValidationError({"hours": "学时应为数字"}) from None
    if not decimal.Decimal("0.5") <= hours <= decimal.Decimal("40"):
        raise ValidationError({"hours": "学时应在0.5至40之间"})
    return hours


@transaction.atomic
def attendance_record(*, actor, session: TrainingSession, persons: Iterable[LegalPerson], hours=None,
                      test_score: int | None = None, certificate_no: str = "") -> list[Attendance]:
    """Who attended a session; hours default to the session's. A person already recorded is skipped."""
    _require_manager(actor)
    if not TrainingSession.objects.visible_to(actor).filter(pk=session.pk).exists():
        raise NotVisible("超出您的辖区范围")
    hours = _hours(hours) if hours not in (None, "") else session.hours
    if hours > session.hours:
        raise ValidationError({"hours": f"学时不能超过该场次的{session.hours}学时"})
    if test_score is not None and not 0 <= test_score <= 100:
        raise ValidationError({"test_score": "测试成绩应在0至100之间"})
    done = set(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
    rows = []
    for person in persons:
        ensure_visible(actor, person)
        if person.status not in (Status.ASSESSING, Status.TRAINING, Status.SERVING):
            raise ValidationError({"persons": f"{person.staff.name}当前状态为“{person.status}”，不能登记参训"})
        if person.pk in done:
            continue
        row = Attendance.objects.create(session=session, person=person, hours=hours, test_score=test_score,
                                        passed_test=None if test_score is None else test_score >= 60,
                                        certificate_no=certificate_no.strip())
        done.add(person.pk)
        audit_record(actor, AuditAction.CREATE, row, after=snapshot(row))
        rows.append(row)
    return rows


# ---- pairing -----------------------------------------------------------------------------------

@transaction.atomic
def pairing_set(*, actor, village: Area, adviser: Staff, start: dt.date, note: str = "") -> Pairing:
    """The village's legal adviser from ``start``; the open pairing before it ends the day before."""
    _require_manager(actor)
    _check_village(village)
    if adviser.category != StaffCategory.LEGAL_ADVISER or not adviser.active:
        raise ValidationError({"adviser": f"{adviser.name}不是在岗的村(居)法律顾问"})
    if actor is not None:
        ensure_visible(actor, adviser)
    _check_day(start, "start", label="起始日期")
    current = Pairing.objects.select_for_update().filter(village=village, end__isnull=True).first()
    if current is not None:
        ensure_visible(actor, current)
        if current.adviser_id == adviser.pk:
            raise ValidationError({"adviser": f"{adviser.name}已是{village}的法律顾问"})
        if current.start >= start:
            raise ValidationError({"start": f"起始日期须晚于现有结对的起始日期 {current.start}"})
        before = snapshot(current)
        current.end = start - dt.timedelta(days=1)
        current.save()
        audit_record(actor, AuditAction.UPDATE, current, before=before, after=snapshot(current))
    pairing = Pairing.objects.create(village=village, adviser=adviser, start=start, note=note.strip())
    ensure_visible(actor, pairing)
    audit_record(actor, AuditAction.CREATE, pairing, after=snapshot(pairing))
    return pairing


ATTACHMENT_TYPES = {".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG", ".pdf": b"%PDF"}


def _check_attachment(upload) -> None:
    """Photos (jpg, png) or a pdf, no larger than the upload limit, checked by their first bytes."""
    from pathlib import Path

    from django.conf import settings

    ext = Path(upload.name or "").suffix.lower()
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError({"attachment": "附件只能是jpg、png照片或pdf文件"})
    if upload.size > settings.PINGAN_UPLOAD_MAX_BYTES:
        raise ValidationError({"attachment": f"附件不能超过{settings.PINGAN_UPLOAD_MAX_BYTES // 1024 // 1024}MB"})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[ext]):
        raise ValidationError({"attachment": "附件内容与文件类型不符"})


# ---- activities --------------------------------------------------------------------------------


def _dispute_for(actor, number: str):
    """The dispute a mediation concerns, by its number, if the recorder may see it."""
    if not number:
        return None
    from pingan.disputes.models import Dispute

    dispute = Dispute.objects.visible_to(actor).filter(number=number).first()
    if dispute is None:
        raise ValidationError({"dispute_ref": f"纠纷编号 {number} 不存在或不在您的辖区内"})
    return dispute

REQUIRED_BY_KIND = {
    ActivityKind.PUBLICITY: (("place", "地点"), ("audience", "宣传对象")),
    ActivityKind.MEDIATION: (("parties", "当事人"), ("outcome", "调解结果")),
    ActivityKind.CONSULTATION: (("summary", "咨询内容"),),
    ActivityKind.VISIT: (("summary", "走访情况"),),
}
ACTIVITY_TEXT = ("title", "place", "audience", "materials", "parties", "outcome", "dispute_ref", "summary")


@transaction.atomic
def activity_record(*, actor, kind: str, date: dt.date, village: Area, title: str,
                    participants: Iterable[LegalPerson], adviser: Staff | None = None, audience_count: int = 0,
                    attachment=None, **text) -> Activity:
    """One activity with the 法律明白人 who took part. A legal-literate user may record their own
    (their scope lets them name only themselves and their villages)."""
    from pingan.accounts.roles import Role

    if actor is not None and getattr(actor, "role", None) not in _managers() | {Role.LEGAL_LITERATE}:
        raise PermissionDenied("您的角色无权登记法治活动")
    _choice(kind, ActivityKind, "kind", "活动类型")
    _check_village(village)
    _check_day(date, "date", label="活动日期")
    values = {k: (text.get(k) or "").strip() for k in ACTIVITY_TEXT}
    unknown = set(text) - set(ACTIVITY_TEXT)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "未知字段"})
    values["title"] = values["title"] or (title or "").strip()
    if not values["title"]:
        raise ValidationError({"title": "请填写主题(事由)"})
    for field, label in REQUIRED_BY_KIND[kind]:
        if not values[field]:
            raise ValidationError({field: f"{ActivityKind(kind).label}须填写{label}"})
    if values["outcome"]:
        _choice(values["outcome"], MediationOutcome, "outcome", "调解结果")
    if not isinstance(audience_count, int) or audience_count < 0:
        raise ValidationError({"audience_count": "受众人次应为非负整数"})
    people = list(participants)
    if not people:
        raise ValidationError({"participants": "须至少有一名法律明白人参加"})
    for person in people:
        ensure_visible(actor, person)
        if person.selected_on is None or person.selected_on > date or (person.exited_on and person.exited_on <= date):
            raise ValidationError({"participants": f"{person.staff.name}在{date:%Y-%m-%d}不是在册的法律明白人"})
    if adviser is not None and adviser.category != StaffCategory.LEGAL_ADVISER:
        raise ValidationError({"adviser": f"{adviser.name}不是村(居)法律顾问"})
    if attachment:
        _check_attachment(attachment)
    dispute = _dispute_for(actor, values["dispute_ref"])
    activity = Activity(kind=kind, date=date, village=village, office=office_for(village), adviser=adviser,
                        audience_count=audience_count, recorded_by=_user(actor), dispute=dispute, **values)
    if attachment:
        activity.attachment = attachment
    activity.save()
    activity.participants.set(people)
    ensure_visible(actor, activity)
    after = snapshot(activity) | {"attachment": activity.attachment.name or "",  # core.audit cannot encode files
                                  "participants": [p.pk for p in people]}
    audit_record(actor, AuditAction.CREATE, activity, after=after)
    return activity
