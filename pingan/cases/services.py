"""Writes of the cases app: cases and their trail, persons and dispositions, losses and recoveries,
campaigns with inspections and seizures, synthetic operations. Each service is keyword-only, runs
in one transaction, re-checks the record against the actor's scope (``ensure_visible``) and writes
the audit row. Views, the API and the demo call these; none of them saves a record itself.

A case opened from an incident (警情) moves that incident to 转为案件 on its trail when the trail
allows that step now (the incidents app's own ``incident_transition``); otherwise the link alone
records where the case came from, and the incident's trail is left as it is.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.cases.models import (
    DEALT_ROLES,
    DISPOSITIONS_BY_KIND,
    ROLES_BY_KIND,
    STATUS_DATE,
    WITH_AMOUNT,
    WITH_DAYS,
    ZERO,
    Campaign,
    CampaignKind,
    CampaignTarget,
    Case,
    CaseCategory,
    CaseEvent,
    CaseKind,
    CaseParty,
    CaseStatus,
    Disposition,
    DispositionKind,
    Goods,
    Inspection,
    ItemKind,
    Loss,
    Metric,
    Operation,
    OperationStatus,
    PartyRole,
    Person,
    PlaceKind,
    Recovery,
    Seizure,
    TheftMethod,
)
from pingan.core import idcard
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction
from pingan.core.scope import NotVisible, ensure_visible, scope_of
from pingan.org.models import Agency, AgencyKind

POLICE_KINDS = (AgencyKind.POLICE_BUREAU, AgencyKind.POLICE_HQ, AgencyKind.POLICE_STATION)
CENT = decimal.Decimal("0.01")


# ------------------------------------------------------------------------------------ helpers

def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _today() -> dt.date:
    return timezone.localdate()


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _money(value, field: str, label: str, errors: dict, *, positive: bool = True) -> decimal.Decimal | None:
    if value in (None, ""):
        errors[field] = f"请填写{label}"
        return None
    try:
        amount = decimal.Decimal(str(value))
    except (decimal.InvalidOperation, ValueError):
        errors[field] = f"{label}应为金额数字，如 1200.50"
        return None
    if not amount.is_finite():
        errors[field] = f"{label}应为金额数字，如 1200.50"
        return None
    if amount != amount.quantize(CENT):
        errors[field] = f"{label}最多保留两位小数（元、角、分）"
        return None
    if amount < 0 or (positive and amount == 0):
        errors[field] = f"{label}应大于0"
        return None
    if amount >= decimal.Decimal("1e12"):
        errors[field] = f"{label}过大"
        return None
    return amount.quantize(CENT)


def _date(value, field: str, label: str, errors: dict, *, not_before: dt.date | None = None,
          before_label: str = "") -> dt.date | None:
    if value is None:
        errors[field] = f"请填写{label}"
        return None
    if value > _today():
        errors[field] = f"{label}不能晚于今天"
    elif not_before is not None and value < not_before:
        errors[field] = f"{label}不能早于{before_label}（{not_before:%Y-%m-%d}）"
    return value


def _check(actor, obj) -> None:
    """Re-check the saved record against the actor's scope (the system — demo, jobs — sees all)."""
    if actor is not None:
        ensure_visible(actor, obj)


def _locked_case(actor, case: Case) -> Case:
    _check(actor, case)
    return (Case.objects.select_for_update(of=("self",))
            .select_related("category", "category__parent", "area", "station").get(pk=case.pk))


def _place(actor, area: Area | None, errors: dict, field: str = "area") -> Area | None:
    """A township or village-level unit inside a banner, within the actor's jurisdiction."""
    if area is None:
        errors[field] = "请选择发案地（村或乡镇）"
        return None
    if area.level not in (Level.TOWNSHIP, Level.VILLAGE):
        errors[field] = "发案地应为乡镇(苏木)或村(嘎查、社区)"
        return None
    if actor is not None and not Area.objects.visible_to(actor).filter(pk=area.pk).exists():
        raise NotVisible("所选辖区不在您的辖区范围")
    return area


def station_for(area: Area) -> Agency | None:
    """The 派出所 covering a place (the township's station)."""
    from pingan.incidents.services import station_for as incidents_station_for

    return incidents_station_for(area)


def _police_agency(agency: Agency | None, field: str, label: str, errors: dict, *, station: bool = False) -> None:
    if agency is None:
        return
    if station and agency.kind != AgencyKind.POLICE_STATION:
        errors[field] = f"{label}应为派出所"
    elif agency.kind not in POLICE_KINDS:
        errors[field] = f"{label}应为公安机关的单位"


def _next_number(area: Area, kind: str, year: int) -> str:
    """A: 刑事, B: 行政; banner code, year, five-digit sequence (A150824202400012)."""
    prefix = f"{'A' if kind == CaseKind.CRIMINAL else 'B'}{area.code[:6]}{year}"
    last = Case.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    seq = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
    return f"{prefix}{seq:05d}"


def _clean_case_fields(actor, errors: dict, *, kind: str, category: CaseCategory | None, title: str, area: Area | None,
                       station: Agency | None, unit: Agency | None, method: str, goods: str,
                       occurred_at: dt.datetime | None, accepted_on: dt.date | None) -> Area | None:
    if kind not in CaseKind.values:
        errors["kind"] = "请选择案件性质（刑事或行政）"
    if category is None:
        errors["category"] = "请选择案件类别"
    elif category.children.exists():
        names = "、".join(category.children.order_by("order").values_list("name", flat=True))
        errors["category"] = f"请选择{category.name}的具体类别：{names}"
    if not (title or "").strip():
        errors["title"] = "请填写案件名称"
    area = _place(actor, area, errors)
    _police_agency(station, "station", "主办单位", errors, station=True)
    _police_agency(unit, "unit", "协办单位", errors)
    if method and method not in TheftMethod.values:
        errors["method"] = "作案手段不在字典中"
    if goods and goods not in Goods.values:
        errors["goods"] = "侵害物品不在字典中"
    if occurred_at is not None:
        if timezone.is_naive(occurred_at):
            occurred_at = timezone.make_aware(occurred_at)
        if occurred_at > timezone.now() + dt.timedelta(minutes=5):
            errors["occurred_at"] = "发案时间不能晚于当前时间"
        elif accepted_on is not None and timezone.localdate(occurred_at) > accepted_on:
            errors["occurred_at"] = "发案时间不能晚于受案日期"
    return area


def _campaigns(actor, case: Case, campaigns: Iterable[Campaign]) -> list[Campaign]:
    out = []
    for campaign in campaigns:
        if not Campaign.objects.visible_to(actor).filter(pk=campaign.pk).exists():
            raise NotVisible("专项行动不存在或超出您的辖区范围")
        if not campaign.start <= case.accepted_on <= campaign.end:
            raise ValidationError({"campaigns": f"受案日期{case.accepted_on:%Y-%m-%d}不在“{campaign.name}”的行动期间"
                                                f"（{campaign.start:%Y-%m-%d}至{campaign.end:%Y-%m-%d}）"})
        if not case.area.path.startswith(campaign.area.path):
            raise ValidationError({"campaigns": f"发案地不在“{campaign.name}”的行动范围（{campaign.area.short_name}）"})
        out.append(campaign)
    return out


def _case_snapshot(case: Case) -> dict:
    return {**snapshot(case), "incidents": sorted(case.incidents.values_list("number", flat=True)),
            "campaigns": sorted(case.campaigns.values_list("pk", flat=True))}


# ------------------------------------------------------------------------------------ cases

@transaction.atomic
def case_register(*, actor, kind: str, category: CaseCategory | None, title: str, area: Area | None,
                  accepted_on: dt.date | None, summary: str = "", address: str = "", station: Agency | None = None,
                  unit: Agency | None = None, occurred_at: dt.datetime | None = None, number: str = "",
                  method: str = "", goods: str = "", incidents: Sequence = (),
                  campaigns: Sequence[Campaign] = ()) -> Case:
    """受案登记: a new case at 受案, its trail opened, linked to the incidents it came from (each moved
    to 转为案件 where its trail allows) and tagged to campaigns."""
    errors: dict = {}
    accepted_on = _date(accepted_on, "accepted_on", "受案日期", errors)
    area = _clean_case_fields(actor, errors, kind=kind, category=category, title=title, area=area, station=station,
                              unit=unit, method=method, goods=goods, occurred_at=occurred_at, accepted_on=accepted_on)
    number = (number or "").strip()
    if number and Case.objects.filter(number=number).exists():
        errors["number"] = f"案件编号{number}已存在"
    _raise(errors)
    if occurred_at is not None and timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    station = station or station_for(area)
    case = Case(number=number or _next_number(area, kind, accepted_on.year), kind=kind, category=category,
                title=title.strip()[:100], summary=(summary or "").strip(), area=area, address=(address or "").strip()[:200],
                station=station, unit=unit, occurred_at=occurred_at, accepted_on=accepted_on,
                status=CaseStatus.ACCEPTED, method=method or "", goods=goods or "", created_by=_user(actor))
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:
        raise ValidationError({"number": f"案件编号{case.number}已存在"}) from exc
    _check(actor, case)
    CaseEvent.objects.create(case=case, from_status="", to_status=CaseStatus.ACCEPTED, on=accepted_on, by=_user(actor),
                             note="受案登记")
    case.campaigns.set(_campaigns(actor, case, campaigns))
    for incident in incidents:
        _link_incident(actor, case, incident)
    audit_record(actor, AuditAction.CREATE, case, after=_case_snapshot(case), detail="受案登记")
    return case


@transaction.atomic
def case_update(*, actor, case: Case, category: CaseCategory | None, title: str, area: Area | None,
                summary: str = "", address: str = "", station: Agency | None = None, unit: Agency | None = None,
                occurred_at: dt.datetime | None = None, accepted_on: dt.date | None = None, method: str = "",
                goods: str = "", campaigns: Sequence[Campaign] | None = None) -> Case:
    """Change what the case says of itself; its kind, number and trail stay."""
    case = _locked_case(actor, case)
    before = _case_snapshot(case)
    errors: dict = {}
    accepted_on = accepted_on or case.accepted_on
    first_step = case.events.exclude(to_status=CaseStatus.ACCEPTED).order_by("on").values_list("on", flat=True).first()
    if accepted_on > _today():
        errors["accepted_on"] = "受案日期不能晚于今天"
    elif first_step is not None and accepted_on > first_step:
        errors["accepted_on"] = f"受案日期不能晚于后续办案步骤的日期（{first_step:%Y-%m-%d}）"
    area = _clean_case_fields(actor, errors, kind=case.kind, category=category, title=title, area=area,
                              station=station, unit=unit, method=method, goods=goods, occurred_at=occurred_at,
                              accepted_on=accepted_on)
    _raise(errors)
    if occurred_at is not None and timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if case.operation_id and category.top.code != case.category.top.code:
        raise ValidationError({"category": "案件已串并到合成作战，不能改为其他大类"})
    case.category, case.title, case.area = category, title.strip()[:100], area
    case.summary, case.address = (summary or "").strip(), (address or "").strip()[:200]
    case.station, case.unit, case.occurred_at = station or station_for(area), unit, occurred_at
    case.method, case.goods = method or "", goods or ""
    if accepted_on != case.accepted_on:
        case.accepted_on = accepted_on
        case.events.filter(to_status=CaseStatus.ACCEPTED).update(on=accepted_on)
    case.save()
    _check(actor, case)
    if campaigns is not None:
        case.campaigns.set(_campaigns(actor, case, campaigns))
    audit_record(actor, AuditAction.UPDATE, case, before=before, after=_case_snapshot(case), detail="修改案件信息")
    return case


def _step_checks(case: Case, status: str, on: dt.date) -> None:
    if status == CaseStatus.SOLVED and not case.parties.filter(role=PartyRole.SUSPECT).exists():
        raise ValidationError({"status": "破案前须登记至少一名犯罪嫌疑人"})
    if status == CaseStatus.PROSECUTED and not case.parties.filter(role=PartyRole.SUSPECT,
                                                                   caught_on__isnull=False).exists():
        raise ValidationError({"status": "移送起诉前须有已抓获(到案)的犯罪嫌疑人"})
    if status == CaseStatus.DECIDED and not Disposition.objects.filter(party__case=case,
                                                                       party__role=PartyRole.OFFENDER).exists():
        raise ValidationError({"status": "作出处罚决定前须对至少一名违法行为人录入处理措施"})


@transaction.atomic
def case_transition(*, actor, case: Case, status: str, on: dt.date | None = None, note: str = "") -> CaseEvent:
    """Move a case one step along its kind's chain (刑事: 受案→立案→侦查→破案→移送起诉/结案; 行政:
    受案→调查→处罚决定→结案); any other step is refused with the steps that are allowed."""
    case = _locked_case(actor, case)
    allowed = case.allowed_next()
    if status not in allowed:
        target = CaseStatus(status).label if status in CaseStatus.values else status
        names = "、".join(CaseStatus(s).label for s in allowed) or "无（已办结）"
        raise ValidationError({"status": f"{case.get_kind_display()}案件当前为“{case.get_status_display()}”，"
                                         f"不能转为“{target}”；可转为：{names}"})
    on = on or _today()
    last = case.events.order_by("-on").values_list("on", flat=True).first()
    errors: dict = {}
    _date(on, "on", "日期", errors, not_before=last, before_label="上一步的日期")
    _raise(errors)
    _step_checks(case, status, on)
    if status == CaseStatus.DROPPED and not (note or "").strip():
        raise ValidationError({"note": "不予立案或撤销案件须写明理由"})
    before = snapshot(case)
    frm = case.status
    case.status = status
    if status in STATUS_DATE:
        setattr(case, STATUS_DATE[status], on)
    case.save()
    event = CaseEvent.objects.create(case=case, from_status=frm, to_status=status, on=on, by=_user(actor),
                                     note=(note or "").strip()[:200])
    audit_record(actor, AuditAction.UPDATE, case, before=before, after=snapshot(case),
                 detail=f"{CaseStatus(frm).label}→{CaseStatus(status).label}")
    return event


def _link_incident(actor, case: Case, incident) -> None:
    from pingan.incidents.models import TRANSITIONS, Incident, IncidentStatus
    from pingan.incidents.services import incident_transition

    if actor is not None and not Incident.objects.visible_to(actor).filter(pk=incident.pk).exists():
        raise NotVisible("来源警情不存在或超出您的辖区范围")
    if case.incidents.filter(pk=incident.pk).exists():
        raise ValidationError({"incident": f"警情{incident.number}已关联本案"})
    case.incidents.add(incident)
    incident = Incident.objects.get(pk=incident.pk)
    if IncidentStatus.TO_CASE not in TRANSITIONS.get(incident.status, ()):
        return
    at = timezone.make_aware(dt.datetime.combine(case.accepted_on, dt.time(12)))
    last = incident.events.order_by("-at").values_list("at", flat=True).first()
    if last is not None and at < last:
        at = last + dt.timedelta(minutes=1)
    at = min(at, timezone.now())
    if last is not None and at < last:
        return
    incident_transition(actor=actor, incident=incident, status=IncidentStatus.TO_CASE, at=at,
                        note=f"转为{case.get_kind_display()}案件{case.number}"[:200])


@transaction.atomic
def case_link_incident(*, actor, case: Case, incident) -> Case:
    case = _locked_case(actor, case)
    _link_incident(actor, case, incident)
    audit_record(actor, AuditAction.UPDATE, case, after={"incident": incident.number}, detail=f"关联警情{incident.number}")
    return case


# ------------------------------------------------------------------------------------ persons

@dataclass
class PersonIn:
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""


def _person(actor, p: PersonIn, errors: dict, *, require_id: bool) -> Person | None:
    name = (p.name or "").strip()
    if len(name) < 2:
        errors["name"] = "请填写姓名（至少2个字）"
    phone = "".join(ch for ch in (p.phone or "") if ch.isdigit())
    if p.phone and not 7 <= len(phone) <= 12:
        errors["phone"] = "联系电话应为7至12位数字"
    raw = idcard.normalise(p.id_number)
    number = None
    if raw:
        try:
            number = idcard.validate(raw)
        except idcard.InvalidIdNumber as exc:
            errors["id_number"] = str(exc)
    elif require_id:
        errors["id_number"] = "犯罪嫌疑人、违法行为人须录入身份证号码（打击处理按身份证号码计人数）"
    if errors:
        return None
    if number is None:
        return Person(name=name, phone=phone, address=(p.address or "").strip()[:200])
    person = Person.objects.filter(id_number=number).first()
    if person is None:
        return Person(name=name, id_number=number, phone=phone, address=(p.address or "").strip()[:200],
                      gender=idcard.gender(number), birth_date=idcard.birth_date(number))
    if person.name != name:
        shown = Person.objects.visible_to(actor).filter(pk=person.pk).exists()
        errors["name"] = (f"身份证号码对应的人员已登记为“{person.name}”，与填写的姓名不一致" if shown
                          else "姓名与该身份证号码已登记的身份信息不一致，请核对")
        return None
    if phone:
        person.phone = phone
    if p.address:
        person.address = p.address.strip()[:200]
    return person


@transaction.atomic
def party_add(*, actor, case: Case, person: PersonIn, role: str, caught_on: dt.date | None = None,
              note: str = "") -> CaseParty:
    """A person in the case with a role. The ID number identifies them across cases (one 人员 however
    many cases), and is required for suspects and offenders, who may be dealt with."""
    case = _locked_case(actor, case)
    errors: dict = {}
    allowed = ROLES_BY_KIND[case.kind]
    if role not in allowed:
        errors["role"] = f"{case.get_kind_display()}案件的人员身份应为：" + "、".join(PartyRole(r).label for r in allowed)
    if caught_on is not None:
        if role != PartyRole.SUSPECT:
            errors["caught_on"] = "只有犯罪嫌疑人登记抓获日期"
        else:
            _date(caught_on, "caught_on", "抓获日期", errors, not_before=case.accepted_on, before_label="受案日期")
    row = _person(actor, person, errors, require_id=role in DEALT_ROLES)
    _raise(errors)
    if row.pk and case.parties.filter(person=row).exists():
        raise ValidationError({"id_number": f"{row.name}已在本案中登记"})
    created = row.pk is None
    before = None if created else snapshot(row)
    row.save()
    if created:
        audit_record(actor, AuditAction.CREATE, row, after=snapshot(row), detail=f"案件{case.number}登记人员")
    elif before != snapshot(row):
        audit_record(actor, AuditAction.UPDATE, row, before=before, after=snapshot(row), detail="更新联系电话或住址")
    party = CaseParty.objects.create(case=case, person=row, role=role, caught_on=caught_on, note=(note or "")[:200])
    _check(actor, party)
    audit_record(actor, AuditAction.CREATE, party, after=snapshot(party),
                 detail=f"案件{case.number}登记{party.get_role_display()}")
    return party


@transaction.atomic
def party_caught(*, actor, party: CaseParty, caught_on: dt.date | None, note: str = "") -> CaseParty:
    """抓获: the day a suspect was caught (or came in)."""
    party = CaseParty.objects.select_related("case", "person").get(pk=party.pk)
    case = _locked_case(actor, party.case)
    errors: dict = {}
    if party.role != PartyRole.SUSPECT:
        errors["caught_on"] = "只有犯罪嫌疑人登记抓获日期"
    elif party.caught_on is not None:
        errors["caught_on"] = f"{party.person.name}已于{party.caught_on:%Y-%m-%d}抓获"
    else:
        _date(caught_on, "caught_on", "抓获日期", errors, not_before=case.accepted_on, before_label="受案日期")
    _raise(errors)
    before = snapshot(party)
    party.caught_on = caught_on
    if note:
        party.note = note[:200]
    party.save(update_fields=["caught_on", "note"])
    audit_record(actor, AuditAction.UPDATE, party, before=before, after=snapshot(party),
                 detail=f"案件{case.number}抓获{party.person.name}")
    return party


@transaction.atomic
def disposition_add(*, actor, party: CaseParty, kind: str, decided_on: dt.date | None,
                    amount: decimal.Decimal | str | None = None, days: int | None = None, note: str = "") -> Disposition:
    """A measure against a suspect or offender (刑事拘留, 罚款 …), dated; 罚款 and 没收 carry an amount,
    行政拘留 its days (1–20)."""
    party = CaseParty.objects.select_related("case", "person").get(pk=party.pk)
    case = _locked_case(actor, party.case)
    errors: dict = {}
    if party.role not in DEALT_ROLES:
        errors["party"] = f"{party.get_role_display()}不能录入处理措施"
    allowed = DISPOSITIONS_BY_KIND[case.kind]
    if kind not in allowed:
        errors["kind"] = f"{case.get_kind_display()}案件的处理措施应为：" + "、".join(DispositionKind(k).label for k in allowed)
    _date(decided_on, "decided_on", "决定日期", errors, not_before=case.accepted_on, before_label="受案日期")
    money = None
    if kind in WITH_AMOUNT:
        money = _money(amount, "amount", "金额", errors)
    elif amount not in (None, ""):
        errors["amount"] = "只有罚款、没收违法所得填写金额"
    if kind in WITH_DAYS:
        if days is None or not 1 <= int(days) <= 20:
            errors["days"] = "行政拘留天数应为1至20日"
    elif days not in (None, "") and kind != DispositionKind.CRIMINAL_DETENTION:
        errors["days"] = "只有拘留填写天数"
    if party.role in DEALT_ROLES and not party.person.id_number:
        errors["party"] = f"{party.person.name}尚无身份证号码，请先补录"
    _raise(errors)
    row = Disposition.objects.create(party=party, kind=kind, decided_on=decided_on, amount=money,
                                     days=int(days) if days not in (None, "") else None, note=(note or "")[:200],
                                     by=_user(actor))
    _check(actor, row)
    audit_record(actor, AuditAction.CREATE, row, after=snapshot(row),
                 detail=f"案件{case.number}：{party.person.name}{row.get_kind_display()}{row.detail}")
    return row


# ------------------------------------------------------------------------------------ losses

@transaction.atomic
def loss_add(*, actor, case: Case, item: str, value, quantity: str = "", note: str = "") -> Loss:
    case = _locked_case(actor, case)
    errors: dict = {}
    if not (item or "").strip():
        errors["item"] = "请填写损失物品或事项"
    money = _money(value, "value", "价值", errors)
    _raise(errors)
    row = Loss.objects.create(case=case, item=item.strip()[:100], quantity=(quantity or "").strip()[:40], value=money,
                              note=(note or "")[:200])
    audit_record(actor, AuditAction.CREATE, row, after=snapshot(row), detail=f"案件{case.number}登记损失")
    return row


def recovered_total(case: Case) -> decimal.Decimal:
    return (case.recoveries.aggregate(t=Sum("amount"))["t"] or ZERO).quantize(CENT)


def loss_total(case: Case) -> decimal.Decimal:
    return (case.losses.aggregate(t=Sum("value"))["t"] or ZERO).quantize(CENT)


@transaction.atomic
def recovery_add(*, actor, case: Case, recovered_on: dt.date | None, amount, description: str = "",
                 returned_to: str = "", loss: Loss | None = None) -> Recovery:
    """追赃挽损: an amount recovered on a day. Where losses are recorded, what is recovered in all may not
    exceed them."""
    case = _locked_case(actor, case)
    errors: dict = {}
    _date(recovered_on, "recovered_on", "挽损日期", errors, not_before=case.accepted_on, before_label="受案日期")
    money = _money(amount, "amount", "挽损金额", errors)
    if loss is not None and loss.case_id != case.pk:
        errors["loss"] = "所选损失不属于本案"
    _raise(errors)
    losses = loss_total(case)
    if losses and recovered_total(case) + money > losses:
        raise ValidationError({"amount": f"累计挽损{recovered_total(case) + money}元将超过本案损失总额{losses}元"})
    row = Recovery.objects.create(case=case, loss=loss, recovered_on=recovered_on, amount=money,
                                  description=(description or "").strip()[:200],
                                  returned_to=(returned_to or "").strip()[:60], by=_user(actor))
    audit_record(actor, AuditAction.CREATE, row, after=snapshot(row), detail=f"案件{case.number}追赃挽损{money}元")
    return row


# ------------------------------------------------------------------------------------ campaigns

@dataclass
class GoalIn:
    metric: str
    value: decimal.Decimal | int | str
    item_kind: str = ""


def _clean_campaign(actor, errors: dict, *, name, kind, area, start, end, organizer, units, goals) -> list[CampaignTarget]:
    if not (name or "").strip():
        errors["name"] = "请填写行动名称"
    if kind not in CampaignKind.values:
        errors["kind"] = "请选择行动类型"
    if area is None:
        errors["area"] = "请选择行动范围"
    elif actor is not None and not Area.objects.visible_to(actor).filter(pk=area.pk).exists():
        raise NotVisible("行动范围超出您的辖区")
    elif area.level > Level.TOWNSHIP:
        errors["area"] = "行动范围应为旗县或乡镇(苏木)"
    if start is None or end is None:
        errors["start"] = "请填写行动起止日期"
    elif end < start:
        errors["end"] = "结束日期不能早于开始日期"
    _police_agency(organizer, "organizer", "牵头单位", errors)
    for unit in units:
        if unit.kind not in POLICE_KINDS:
            errors["units"] = f"参战单位“{unit}”不是公安机关的单位"
    rows = []
    for k, goal in enumerate(goals, start=1):
        if goal.metric not in Metric.values:
            errors["goals"] = f"第{k}项目标的指标不在字典中"
            continue
        if goal.metric == Metric.SEIZED and goal.item_kind not in ItemKind.values:
            errors["goals"] = f"第{k}项目标请选择收缴物品类别"
            continue
        try:
            value = decimal.Decimal(str(goal.value))
        except (decimal.InvalidOperation, ValueError):
            errors["goals"] = f"第{k}项目标值应为数字"
            continue
        if not value.is_finite() or value <= 0:
            errors["goals"] = f"第{k}项目标值应大于0"
            continue
        rows.append(CampaignTarget(metric=goal.metric, value=value.quantize(CENT),
                                   item_kind=goal.item_kind if goal.metric == Metric.SEIZED else ""))
    return rows


def _campaign_snapshot(c: Campaign) -> dict:
    return {**snapshot(c), "units": sorted(c.units.values_list("pk", flat=True)),
            "goals": [f"{g.metric}:{g.item_kind}:{g.value}" for g in c.goals.all()]}


@transaction.atomic
def campaign_create(*, actor, name: str, kind: str, area: Area | None, start: dt.date | None, end: dt.date | None,
                    organizer: Agency | None = None, units: Sequence[Agency] = (), targets: str = "",
                    goals: Sequence[GoalIn] = ()) -> Campaign:
    errors: dict = {}
    rows = _clean_campaign(actor, errors, name=name, kind=kind, area=area, start=start, end=end, organizer=organizer,
                           units=units, goals=goals)
    _raise(errors)
    campaign = Campaign.objects.create(name=name.strip()[:100], kind=kind, area=area, organizer=organizer, start=start,
                                       end=end, targets=(targets or "").strip(), created_by=_user(actor))
    if not _manages(actor, Campaign, "managed_q", campaign.pk):
        raise NotVisible("行动范围超出您的辖区")
    campaign.units.set(units)
    for row in rows:
        row.campaign = campaign
    CampaignTarget.objects.bulk_create(rows)
    audit_record(actor, AuditAction.CREATE, campaign, after=_campaign_snapshot(campaign), detail="创建专项行动")
    return campaign


def _manages(actor, model, q_name: str, pk: int) -> bool:
    """Whether the actor may change the record (inside their own subtree, not merely covering it)."""
    scope = scope_of(actor)
    if scope.unrestricted:
        return True
    if scope.path is None:
        return False
    return model.objects.filter(getattr(model, q_name)(scope), pk=pk).exists()


def _managed_campaign(actor, campaign: Campaign) -> Campaign:
    if not _manages(actor, Campaign, "managed_q", campaign.pk):
        raise NotVisible("记录不存在或超出您的辖区范围")
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, name: str, kind: str, start: dt.date | None, end: dt.date | None,
                    organizer: Agency | None = None, units: Sequence[Agency] = (), targets: str = "",
                    goals: Sequence[GoalIn] = ()) -> Campaign:
    campaign = _managed_campaign(actor, campaign)
    before = _campaign_snapshot(campaign)
    errors: dict = {}
    rows = _clean_campaign(actor, errors, name=name, kind=kind, area=campaign.area, start=start, end=end,
                           organizer=organizer, units=units, goals=goals)
    if start and end and not errors:
        outside = (campaign.cases.exclude(accepted_on__range=(start, end)).count()
                   + campaign.inspections.exclude(inspected_on__range=(start, end)).count()
                   + campaign.seizures.exclude(seized_on__range=(start, end)).count())
        if outside:
            errors["start"] = f"已有{outside}条案件、检查或收缴记录在新的起止日期之外，请先调整这些记录"
    _raise(errors)
    campaign.name, campaign.kind, campaign.start, campaign.end = name.strip()[:100], kind, start, end
    campaign.organizer, campaign.targets = organizer, (targets or "").strip()
    campaign.save()
    campaign.units.set(units)
    campaign.goals.all().delete()
    for row in rows:
        row.campaign = campaign
    CampaignTarget.objects.bulk_create(rows)
    audit_record(actor, AuditAction.UPDATE, campaign, before=before, after=_campaign_snapshot(campaign),
                 detail="修改专项行动")
    return campaign


def _in_campaign(actor, campaign: Campaign | None, area: Area | None, on: dt.date | None, errors: dict,
                 on_field: str) -> None:
    if campaign is not None and not Campaign.objects.visible_to(actor).filter(pk=campaign.pk).exists():
        raise NotVisible("专项行动不存在或超出您的辖区范围")
    if area is None:
        errors["area"] = "请选择所在村或乡镇"
        return
    if area.level not in (Level.TOWNSHIP, Level.VILLAGE):
        errors["area"] = "所在地应为乡镇(苏木)或村(嘎查、社区)"
        return
    if actor is not None and not Area.objects.visible_to(actor).filter(pk=area.pk).exists():
        raise NotVisible("所选辖区不在您的辖区范围")
    if campaign is None or on is None:
        return
    if not campaign.start <= on <= campaign.end:
        errors[on_field] = f"日期不在行动期间（{campaign.start:%Y-%m-%d}至{campaign.end:%Y-%m-%d}）"
    if not area.path.startswith(campaign.area.path):
        errors["area"] = f"所在地不在行动范围（{campaign.area.short_name}）"


@transaction.atomic
def inspection_add(*, actor, campaign: Campaign | None, area: Area | None, place: str, place_kind: str,
                   inspected_on: dt.date | None, findings: str = "", problems: int = 0, inspectors: str = "",
                   station: Agency | None = None) -> Inspection:
    """检查: a place checked on a day (tagged to a campaign), with what was found."""
    errors: dict = {}
    if not (place or "").strip():
        errors["place"] = "请填写检查场所"
    if place_kind not in PlaceKind.values:
        errors["place_kind"] = "请选择场所类型"
    _date(inspected_on, "inspected_on", "检查日期", errors)
    if problems is None or int(problems) < 0:
        errors["problems"] = "发现问题数不能为负数"
    _in_campaign(actor, campaign, area, inspected_on, errors, "inspected_on")
    _police_agency(station, "station", "检查单位", errors)
    _raise(errors)
    row = Inspection.objects.create(campaign=campaign, area=area, station=station or station_for(area),
                                    place=place.strip()[:100], place_kind=place_kind, inspected_on=inspected_on,
                                    findings=(findings or "").strip(), problems=int(problems or 0),
                                    inspectors=(inspectors or "").strip()[:100], created_by=_user(actor))
    _check(actor, row)
    audit_record(actor, AuditAction.CREATE, row, after=snapshot(row), detail="登记检查")
    return row


@transaction.atomic
def seizure_add(*, actor, campaign: Campaign | None, area: Area | None, item_kind: str, quantity,
                seized_on: dt.date | None, description: str = "", station: Agency | None = None,
                case: Case | None = None) -> Seizure:
    """收缴: items taken in on a day (tagged to a campaign, optionally to a case)."""
    errors: dict = {}
    if item_kind not in ItemKind.values:
        errors["item_kind"] = "请选择物品类别"
    try:
        qty = decimal.Decimal(str(quantity))
        if not qty.is_finite() or qty <= 0 or qty != qty.quantize(CENT):
            raise decimal.InvalidOperation
    except (decimal.InvalidOperation, ValueError):
        errors["quantity"] = "数量应为大于0的数字（最多两位小数）"
        qty = None
    _date(seized_on, "seized_on", "收缴日期", errors)
    _in_campaign(actor, campaign, area, seized_on, errors, "seized_on")
    _police_agency(station, "station", "收缴单位", errors)
    if case is not None:
        _check(actor, case)
    _raise(errors)
    row = Seizure.objects.create(campaign=campaign, case=case, area=area, station=station or station_for(area),
                                 seized_on=seized_on, item_kind=item_kind, quantity=qty,
                                 description=(description or "").strip()[:200], created_by=_user(actor))
    _check(actor, row)
    audit_record(actor, AuditAction.CREATE, row, after=snapshot(row), detail=f"登记收缴：{row}")
    return row


# ------------------------------------------------------------------------------------ operations

def _managed_operation(actor, operation: Operation) -> Operation:
    if not _manages(actor, Operation, "full_q", operation.pk):
        raise NotVisible("记录不存在或超出您的辖区范围")
    return Operation.objects.select_for_update().get(pk=operation.pk)


def _theft_case_for(actor, operation: Operation, case: Case) -> Case:
    _check(actor, case)
    case = Case.objects.select_related("category", "category__parent", "area").get(pk=case.pk)
    if case.category.top.code != "theft":
        raise ValidationError({"case": f"案件{case.number}不是盗窃案件，不能串并"})
    if not case.area.path.startswith(operation.area.path):
        raise ValidationError({"case": f"案件{case.number}不在本次作战的辖区"})
    if case.operation_id and case.operation_id != operation.pk:
        raise ValidationError({"case": f"案件{case.number}已串并到其他合成作战"})
    if case.operation_id == operation.pk:
        raise ValidationError({"case": f"案件{case.number}已在本次作战中"})
    return case


@transaction.atomic
def operation_create(*, actor, name: str, area: Area | None, opened_on: dt.date | None, lead_unit: Agency | None = None,
                     method: str = "", goods: str = "", description: str = "",
                     cases: Sequence[Case] = ()) -> Operation:
    """合成作战: the command centre opens an operation over a theft series and links its cases."""
    errors: dict = {}
    if not (name or "").strip():
        errors["name"] = "请填写作战名称"
    if area is None or area.level > Level.TOWNSHIP:
        errors["area"] = "组织辖区应为旗县或乡镇(苏木)"
    elif actor is not None and not Area.objects.visible_to(actor).filter(pk=area.pk).exists():
        raise NotVisible("组织辖区超出您的辖区")
    _date(opened_on, "opened_on", "启动日期", errors)
    _police_agency(lead_unit, "lead_unit", "牵头单位", errors)
    if method and method not in TheftMethod.values:
        errors["method"] = "作案手段不在字典中"
    if goods and goods not in Goods.values:
        errors["goods"] = "侵害物品不在字典中"
    _raise(errors)
    operation = Operation.objects.create(name=name.strip()[:100], area=area, lead_unit=lead_unit, opened_on=opened_on,
                                         method=method or "", goods=goods or "", description=(description or "").strip(),
                                         created_by=_user(actor))
    linked = []
    for case in cases:
        case = _theft_case_for(actor, operation, case)
        Case.objects.filter(pk=case.pk).update(operation=operation)
        linked.append(case.number)
    audit_record(actor, AuditAction.CREATE, operation, after={**snapshot(operation), "cases": linked},
                 detail=f"启动合成作战，串并案件{len(linked)}起")
    return operation


@transaction.atomic
def operation_add_case(*, actor, operation: Operation, case: Case) -> Operation:
    operation = _managed_operation(actor, operation)
    if operation.status != OperationStatus.OPEN:
        raise ValidationError({"case": "合成作战已结束，不能再串并案件"})
    case = _theft_case_for(actor, operation, case)
    Case.objects.filter(pk=case.pk).update(operation=operation)
    audit_record(actor, AuditAction.UPDATE, operation, after={"added_case": case.number}, detail=f"串并案件{case.number}")
    return operation


@transaction.atomic
def operation_remove_case(*, actor, operation: Operation, case: Case) -> Operation:
    operation = _managed_operation(actor, operation)
    if operation.status != OperationStatus.OPEN:
        raise ValidationError({"case": "合成作战已结束，不能再移出案件"})
    if case.operation_id != operation.pk:
        raise ValidationError({"case": f"案件{case.number}不在本次作战中"})
    Case.objects.filter(pk=case.pk).update(operation=None)
    audit_record(actor, AuditAction.UPDATE, operation, after={"removed_case": case.number},
                 detail=f"移出案件{case.number}")
    return operation


@transaction.atomic
def operation_close(*, actor, operation: Operation, closed_on: dt.date | None, note: str = "") -> Operation:
    operation = _managed_operation(actor, operation)
    errors: dict = {}
    if operation.status != OperationStatus.OPEN:
        errors["closed_on"] = "合成作战已结束"
    else:
        _date(closed_on, "closed_on", "结束日期", errors, not_before=operation.opened_on, before_label="启动日期")
    _raise(errors)
    before = snapshot(operation)
    operation.status, operation.closed_on = OperationStatus.CLOSED, closed_on
    if note:
        operation.description = (operation.description + f"\n结束：{note.strip()}").strip()
    operation.save()
    audit_record(actor, AuditAction.UPDATE, operation, before=before, after=snapshot(operation), detail="结束合成作战")
    return operation
