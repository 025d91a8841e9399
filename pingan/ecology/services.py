"""Writes of 林草湖警长. Each service is keyword-only, runs in one transaction, checks the rules,
re-checks the record against the actor's scope (``ensure_visible``) and writes the audit row.
Views, the API and the demo call these; none of them saves a record itself."""

from __future__ import annotations

import datetime as dt
import decimal
import re
import unicodedata
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction
from pingan.core.scope import ensure_visible, scope_of
from pingan.ecology.geojson import InvalidGeometry, validate_geometry
from pingan.ecology.models import (
    EcoCase,
    FindingKind,
    JointAction,
    Keeper,
    KeeperLevel,
    Patrol,
    SizeUnit,
    Zone,
    ZoneKind,
)
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory

# Who may stand at each level of the chain when they are on the staff register. Levels 1 to 3 are
# police and must be; level 4 (rangers, village cadres) may be a person who is not.
LEVEL_CATEGORIES = {
    KeeperLevel.BANNER: (StaffCategory.POLICE_OFFICER,),
    KeeperLevel.STATION: (StaffCategory.POLICE_OFFICER,),
    KeeperLevel.VILLAGE: (StaffCategory.POLICE_OFFICER, StaffCategory.AUXILIARY, StaffCategory.PART_TIME_ASSISTANT),
    KeeperLevel.GUARD: (StaffCategory.RANGER, StaffCategory.VILLAGE_CADRE, StaffCategory.PART_TIME_ASSISTANT,
                        StaffCategory.GRID_WORKER),
}
STAFF_REQUIRED = (KeeperLevel.BANNER, KeeperLevel.STATION, KeeperLevel.VILLAGE)
# Units that take part in joint enforcement: the administrative agencies (自然资源局, 林草局, 环保局,
# 水务 …), named in org as agencies of that kind.
PARTNER_KINDS = (AgencyKind.ADMIN_AGENCY,)
MAX_SIZE = decimal.Decimal("9999999999.99")


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _today() -> dt.date:
    return timezone.localdate()


def _raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def normalise_phone(raw: str) -> str:
    """Digits only (full-width too), a leading +86/0086 dropped."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", raw or ""))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


# ---- zones ----------------------------------------------------------------------------------


def common_area(places: Sequence[Area]) -> Area:
    """The lowest node of the tree that holds every place (the place itself when there is one)."""
    paths = [p.ancestor_codes() for p in places]
    common: list[str] = []
    for codes in zip(*paths, strict=False):
        if len(set(codes)) != 1:
            break
        common.append(codes[0])
    return Area.objects.get(code=common[-1])


def _places(actor, places: Sequence[Area]) -> tuple[list[Area], Area]:
    places = list({p.pk: p for p in places if p is not None}.values())
    if not places:
        raise ValidationError({"places": "请选择责任区覆盖的乡镇(苏木)或村(嘎查、社区)"})
    wrong = [p.short_name for p in places if p.level not in (Level.TOWNSHIP, Level.VILLAGE)]
    if wrong:
        raise ValidationError({"places": f"只能选择乡镇(苏木)或村(嘎查、社区)一级：{'、'.join(wrong)}"})
    scope = scope_of(actor)
    outside = [p.short_name for p in places if not scope.covers_path(p.path)]
    if outside:
        raise ValidationError({"places": f"超出您的辖区范围：{'、'.join(outside)}"})
    area = common_area(places)
    if area.level < Level.BANNER:
        raise ValidationError({"places": "一个责任区不能跨旗县"})
    return sorted(places, key=lambda p: p.code), area


def _geometry(text: str) -> str:
    try:
        return validate_geometry(text)
    except InvalidGeometry as exc:
        raise ValidationError({"geometry": f"范围(GeoJSON)有误：{exc}"}) from None


def _zone_fields(*, name, kind, size, size_unit, established_on, ended_on, geometry) -> dict:
    errors: dict[str, str] = {}
    name = _text(name, 60)
    if len(name) < 2:
        errors["name"] = "责任区名称至少2个字"
    if kind not in ZoneKind.values:
        errors["kind"] = "类型应为山、水、林、田、湖、草、沙之一"
    if size_unit not in SizeUnit.values:
        errors["size_unit"] = "面积单位应为亩或公顷"
    try:
        size = decimal.Decimal(str(size)).quantize(decimal.Decimal("0.01"))
    except (decimal.InvalidOperation, TypeError, ValueError):
        errors["size"] = "面积应为数字"
    else:
        if not decimal.Decimal(0) < size <= MAX_SIZE:
            errors["size"] = "面积应大于0"
    if established_on is None:
        errors["established_on"] = "请填写设立日期"
    elif established_on > _today():
        errors["established_on"] = "设立日期不能晚于今天"
    if ended_on is not None and established_on is not None and ended_on < established_on:
        errors["ended_on"] = "撤销日期不能早于设立日期"
    _raise_errors(errors)
    return {"name": name, "kind": kind, "size": size, "size_unit": size_unit, "established_on": established_on,
            "ended_on": ended_on, "geometry": _geometry(geometry)}


def _zone_audit(zone: Zone) -> dict:
    return {**snapshot(zone), "places": sorted(zone.places.values_list("code", flat=True))}


def _check_name_free(name: str, area: Area, exclude_pk=None) -> None:
    clash = Zone.objects.filter(name=name, area=area)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": f"{area.short_name}已有名为“{name}”的责任区"})


@transaction.atomic
def zone_create(*, actor, name: str, kind: str, places: Sequence[Area], size, size_unit: str = SizeUnit.MU,
                established_on: dt.date | None = None, geometry: str = "", description: str = "") -> Zone:
    """设立责任区. It hangs on the lowest node holding every place it covers."""
    fields = _zone_fields(name=name, kind=kind, size=size, size_unit=size_unit,
                          established_on=established_on or _today(), ended_on=None, geometry=geometry)
    places, area = _places(actor, places)
    _check_name_free(fields["name"], area)
    zone = Zone.objects.create(area=area, description=_text(description, 5000), created_by=_user(actor), **fields)
    zone.places.set(places)
    ensure_visible(actor, zone)
    audit_record(actor, AuditAction.CREATE, zone, after=_zone_audit(zone), detail=f"设立{zone.get_kind_display()}责任区")
    return zone


@transaction.atomic
def zone_update(*, actor, zone: Zone, name: str, kind: str, places: Sequence[Area], size, size_unit: str,
                established_on: dt.date, ended_on: dt.date | None = None, geometry: str = "",
                description: str = "") -> Zone:
    ensure_visible(actor, zone)
    zone = Zone.objects.select_for_update().get(pk=zone.pk)
    before = _zone_audit(zone)
    fields = _zone_fields(name=name, kind=kind, size=size, size_unit=size_unit, established_on=established_on,
                          ended_on=ended_on, geometry=geometry)
    places, area = _places(actor, places)
    _check_name_free(fields["name"], area, exclude_pk=zone.pk)
    first_record = min([d for d in (zone.patrols.order_by("patrolled_on").values_list("patrolled_on", flat=True).first(),
                                    zone.joint_actions.order_by("acted_on").values_list("acted_on", flat=True).first())
                        if d is not None], default=None)
    if first_record is not None and fields["established_on"] > first_record:
        raise ValidationError({"established_on": f"责任区在{first_record:%Y-%m-%d}已有巡护或执法记录，设立日期不能晚于该日"})
    for key, value in fields.items():
        setattr(zone, key, value)
    zone.area, zone.description = area, _text(description, 5000)
    zone.save()
    zone.places.set(places)
    ensure_visible(actor, zone)
    detail = "修改责任区"
    if zone.ended_on is not None and before.get("ended_on") is None:  # dissolved: the chain ends with it
        ended = Keeper.objects.filter(zone=zone, end__isnull=True, start__lte=zone.ended_on).update(end=zone.ended_on)
        detail = f"撤销责任区，责任链{ended}人同日结束"
    audit_record(actor, AuditAction.UPDATE, zone, before=before, after=_zone_audit(zone), detail=detail)
    return zone


# ---- the chain ------------------------------------------------------------------------------


def keeper_candidates(zone: Zone, level: int):
    """People on the staff register who may stand at ``level`` of this zone's chain: of the right
    category, working at the zone's node, above it (the banner chief) or inside it (village officers,
    rangers). Not cut by the reader's scope: a station chief names the banner chief above him."""
    from django.db.models import Q

    categories = LEVEL_CATEGORIES.get(level, ())
    return (Staff.objects.filter(active=True, category__in=categories)
            .filter(Q(area__code__in=zone.area.ancestor_codes()) | Q(area__path__startswith=zone.area.path))
            .select_related("agency", "area").order_by("area__code", "name"))


@transaction.atomic
def keeper_add(*, actor, zone: Zone, level: int, staff: Staff | None = None, name: str = "", phone: str = "",
               post: str = "", start: dt.date | None = None) -> Keeper:
    """Put a person on the zone's chain at ``level`` (1 旗级警长 … 4 护林员/村干部)."""
    ensure_visible(actor, zone)
    errors: dict[str, str] = {}
    if level not in KeeperLevel.values:
        raise ValidationError({"level": "层级应为1(旗级警长)至4(护林员/村干部)"})
    level_name = KeeperLevel(level).label
    start = start or _today()
    if start > _today():
        errors["start"] = "起始日期不能晚于今天"
    if zone.ended_on is not None:
        errors["zone"] = "责任区已撤销，不能再调整责任链"
    phone = normalise_phone(phone)
    if staff is not None:
        if not keeper_candidates(zone, level).filter(pk=staff.pk).exists():
            allowed = "、".join(LEVEL_CATEGORIES[level])
            errors["staff"] = f"{staff.name}不能担任本责任区的{level_name}（须为在岗的{allowed}，且在责任区所在辖区工作）"
        name, phone = staff.name, ""
    else:
        name = _text(name, 40)
        if level in STAFF_REQUIRED:
            errors["staff"] = f"{level_name}须从人员台账中选择民警、辅警"
        elif len(name) < 2:
            errors["name"] = "请填写护林员、村干部的姓名（至少2个字）"
        if level not in STAFF_REQUIRED and not 7 <= len(phone) <= 12:
            errors["phone"] = "请填写联系电话（7至12位数字），以便联系到人"
    _raise_errors(errors)
    current = Keeper.objects.current().filter(zone=zone)
    duplicate = current.filter(staff=staff) if staff is not None else current.filter(staff__isnull=True, name=name,
                                                                                    phone=phone)
    if duplicate.exists():
        raise ValidationError({"staff" if staff else "name": f"{name}已在本责任区的责任链上"})
    keeper = Keeper.objects.create(zone=zone, level=level, staff=staff, name=name, phone=phone,
                                   post=_text(post, 40), start=start)
    audit_record(actor, AuditAction.CREATE, keeper, after=snapshot(keeper),
                 detail=f"责任区“{zone.name}”责任链增加{level_name}")
    return keeper


@transaction.atomic
def keeper_end(*, actor, keeper: Keeper, end: dt.date | None = None, reason: str = "") -> Keeper:
    """Take a person off the chain (kept in the history with the last day)."""
    ensure_visible(actor, keeper)
    keeper = Keeper.objects.select_for_update().get(pk=keeper.pk)
    before = snapshot(keeper)
    end = end or _today()
    if keeper.end is not None:
        raise ValidationError("该人员已不在责任链上")
    if end < keeper.start:
        raise ValidationError({"end": "结束日期不能早于起始日期"})
    if end > _today():
        raise ValidationError({"end": "结束日期不能晚于今天"})
    keeper.end = end
    keeper.save(update_fields=["end", "updated_at"])
    audit_record(actor, AuditAction.UPDATE, keeper, before=before, after=snapshot(keeper),
                 detail=f"调出责任链：{_text(reason, 200) or '人员调整'}")
    return keeper


# ---- patrols --------------------------------------------------------------------------------


def _zone_open_on(zone: Zone, on: dt.date, field: str, what: str) -> dict:
    if on is None:
        return {field: f"请填写{what}日期"}
    if on > _today():
        return {field: f"{what}日期不能晚于今天"}
    if on < zone.established_on:
        return {field: f"{what}日期早于责任区设立日期（{zone.established_on:%Y-%m-%d}）"}
    if zone.ended_on is not None and on > zone.ended_on:
        return {field: f"责任区已于{zone.ended_on:%Y-%m-%d}撤销"}
    return {}


@transaction.atomic
def patrol_log(*, actor, zone: Zone, patrolled_on: dt.date, people: Sequence[Keeper] = (), others: str = "",
               others_count: int = 0, route: str = "", distance_km=None, finding_kind: str = FindingKind.NONE,
               findings: str = "", handling: str = "") -> Patrol:
    """巡护: who of the chain went (and others), where, what was found and done."""
    ensure_visible(actor, zone)
    errors = _zone_open_on(zone, patrolled_on, "patrolled_on", "巡护")
    people = list({k.pk: k for k in people}.values())
    if patrolled_on is not None and not errors:
        on_chain = set(Keeper.objects.current(patrolled_on).filter(zone=zone).values_list("pk", flat=True))
        strangers = [k.name for k in people if k.pk not in on_chain]
        if strangers:
            errors["people"] = f"{'、'.join(strangers)}在巡护当日不在本责任区的责任链上，请填入“其他参加人员”"
    others_count = others_count or 0
    if others_count < 0:
        errors["others_count"] = "其他参加人数不能为负数"
    if not people and others_count <= 0:
        errors["people"] = "请选择巡护人员或填写其他参加人数"
    if finding_kind not in FindingKind.values:
        errors["finding_kind"] = "发现问题的类型不正确"
    elif finding_kind != FindingKind.NONE and not (findings or "").strip():
        errors["findings"] = "发现问题时须填写巡护情况"
    if distance_km is not None:
        try:
            distance_km = decimal.Decimal(str(distance_km)).quantize(decimal.Decimal("0.1"))
        except (decimal.InvalidOperation, ValueError):
            errors["distance_km"] = "巡护里程应为数字"
        else:
            if not decimal.Decimal(0) <= distance_km <= decimal.Decimal(2000):
                errors["distance_km"] = "巡护里程应在0至2000公里之间"
    _raise_errors(errors)
    patrol = Patrol.objects.create(zone=zone, patrolled_on=patrolled_on, others=_text(others, 200),
                                   others_count=others_count, route=_text(route, 200), distance_km=distance_km,
                                   finding_kind=finding_kind, findings=_text(findings, 5000),
                                   handling=_text(handling, 300), logged_by=_user(actor))
    patrol.people.set(people)
    audit_record(actor, AuditAction.CREATE, patrol, after={**snapshot(patrol), "people": [k.pk for k in people]},
                 detail=f"责任区“{zone.name}”巡护" + ("" if finding_kind == FindingKind.NONE else f"，发现{finding_kind}"))
    return patrol


# ---- joint enforcement ----------------------------------------------------------------------


def partner_agencies(zone: Zone):
    """Administrative agencies that may join an action in the zone: those whose area is the zone's
    node or above it (the banner's 自然资源局, 林草局, 水务局; the league's 生态环境局)."""
    return (Agency.objects.filter(kind__in=PARTNER_KINDS, area__code__in=zone.area.ancestor_codes())
            .select_related("area").order_by("-area__level", "name"))


@transaction.atomic
def joint_action_record(*, actor, zone: Zone, acted_on: dt.date, title: str, agencies: Sequence[Agency],
                        findings: str, participants: int = 0, result: str = "") -> JointAction:
    """联合执法 with the administrative agencies; the cases it opened are linked afterwards."""
    ensure_visible(actor, zone)
    errors = _zone_open_on(zone, acted_on, "acted_on", "执法")
    title = _text(title, 100)
    if len(title) < 2:
        errors["title"] = "请填写行动名称"
    agencies = list({a.pk: a for a in agencies}.values())
    if not agencies:
        errors["agencies"] = "请选择参加联合执法的部门（自然资源、林草、生态环境、水务等）"
    else:
        allowed = set(partner_agencies(zone).values_list("pk", flat=True))
        wrong = [a.name for a in agencies if a.pk not in allowed]
        if wrong:
            errors["agencies"] = f"{'、'.join(wrong)}不是本责任区所在旗县(盟市)的行政机关"
    if not (findings or "").strip():
        errors["findings"] = "请填写检查发现"
    if participants is None or participants < 0:
        errors["participants"] = "出动人数不能为负数"
    _raise_errors(errors)
    action = JointAction.objects.create(zone=zone, acted_on=acted_on, title=title, participants=participants or 0,
                                        findings=_text(findings, 5000), result=_text(result, 5000),
                                        logged_by=_user(actor))
    action.agencies.set(agencies)
    audit_record(actor, AuditAction.CREATE, action,
                 after={**snapshot(action), "agencies": [a.pk for a in agencies]},
                 detail=f"联合执法：{'、'.join(a.short_name or a.name for a in agencies)}")
    return action


# ---- ecological cases -----------------------------------------------------------------------


@transaction.atomic
def eco_case_link(*, actor, zone: Zone, case, patrol: Patrol | None = None, joint_action: JointAction | None = None,
                  note: str = "") -> EcoCase:
    """Link an ecological case to the zone it happened in — with the patrol that found it or the
    joint action that opened it. The case must be one the actor may see, of the 生态环境 category,
    at a place that overlaps the zone."""
    from pingan.cases.categories import ECOLOGY
    from pingan.cases.models import Case

    ensure_visible(actor, zone)
    if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise ValidationError({"case": "案件不存在或超出您的辖区范围"})
    errors: dict[str, str] = {}
    if case.category.top.code != ECOLOGY:
        errors["case"] = f"案件{case.number}的类别是“{case.category.label}”，不是生态环境案件"
    elif not (case.area.path.startswith(zone.area.path) or zone.area.path.startswith(case.area.path)):
        errors["case"] = f"案件{case.number}的发案地（{case.area.short_name}）不在责任区“{zone.name}”的范围内"
    if patrol is not None and patrol.zone_id != zone.pk:
        errors["patrol"] = "巡护记录不属于该责任区"
    if joint_action is not None and joint_action.zone_id != zone.pk:
        errors["joint_action"] = "联合执法记录不属于该责任区"
    if joint_action is not None and case.accepted_on < joint_action.acted_on:
        errors["joint_action"] = (f"案件受案日期（{case.accepted_on:%Y-%m-%d}）早于联合执法日期"
                                  f"（{joint_action.acted_on:%Y-%m-%d}），不是该次执法立的案")
    if patrol is not None and case.accepted_on < patrol.patrolled_on:
        errors["patrol"] = f"案件受案日期（{case.accepted_on:%Y-%m-%d}）早于巡护日期（{patrol.patrolled_on:%Y-%m-%d}）"
    _raise_errors(errors)
    if EcoCase.objects.filter(zone=zone, case=case).exists():
        raise ValidationError({"case": f"案件{case.number}已关联到该责任区"})
    link = EcoCase.objects.create(zone=zone, case=case, patrol=patrol, joint_action=joint_action,
                                  note=_text(note, 200), linked_by=_user(actor))
    audit_record(actor, AuditAction.CREATE, link, after=snapshot(link),
                 detail=f"生态案件{case.number}关联责任区“{zone.name}”")
    return link
