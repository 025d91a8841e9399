"""Writes of the anti-fraud app. Each runs in one transaction, checks the place against the actor's
scope, re-checks the saved object (``ensure_visible``) and writes the audit row. Personal data is
masked in the audit snapshots (``PII_MASKS`` on the models)."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core import crypto, idcard
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction
from pingan.core.scope import NotVisible, ensure_visible, scope_of
from pingan.org.models import POLICE_CATEGORIES, Agency, AgencyKind, Staff

from .models import (
    ZERO,
    Dissuasion,
    DissuasionChannel,
    FraudWarning,
    Outcome,
    PlaceType,
    PublicityEvent,
    RegistrationSnapshot,
    RiskType,
    SnapshotSource,
    WarningChannel,
)

CENT = decimal.Decimal("0.01")


# ---------------------------------------------------------------------------------------- helpers

def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _visible_area(actor, area: Area, *, levels: tuple[int, ...], what: str) -> Area:
    if area is None:
        raise ValidationError({"area": f"请选择{what}"})
    if area.level not in levels:
        names = "、".join({Level.TOWNSHIP: "乡镇(苏木)", Level.VILLAGE: "村(嘎查、社区)"}[lv] for lv in levels)
        raise ValidationError({"area": f"{what}应为{names}，“{area.short_name}”不是"})
    if not Area.objects.visible_to(actor).filter(pk=area.pk).exists():
        raise NotVisible("所选辖区超出您的辖区范围")
    return area


def _not_future(day: dt.date, label: str) -> dt.date:
    if day is None:
        raise ValidationError(f"请填写{label}")
    if day > timezone.localdate():
        raise ValidationError(f"{label}不能晚于今天")
    return day


def _count(value, label: str) -> int:
    try:
        n = int(value or 0)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{label}应为整数") from exc
    if n < 0:
        raise ValidationError(f"{label}不能为负数")
    return n


def money(value, label: str = "金额") -> decimal.Decimal:
    """Decimal yuan with 2 places; refuses floats' cousins (more than 2 places), negatives, text."""
    if value in (None, ""):
        return ZERO
    try:
        amount = decimal.Decimal(str(value).replace(",", "").strip())
    except decimal.InvalidOperation as exc:
        raise ValidationError(f"{label}应为数字（元）") from exc
    if not amount.is_finite():
        raise ValidationError(f"{label}应为数字（元）")
    if amount < 0:
        raise ValidationError(f"{label}不能为负数")
    if amount != amount.quantize(CENT):
        raise ValidationError(f"{label}最多保留两位小数（元、角、分）")
    if amount >= decimal.Decimal("1e12"):
        raise ValidationError(f"{label}过大")
    return amount.quantize(CENT)


def station_for(area: Area) -> Agency | None:
    """The 派出所 whose area covers ``area`` (the township's station)."""
    return (Agency.objects.filter(kind=AgencyKind.POLICE_STATION, area__code__in=area.ancestor_codes())
            .order_by("-area__level", "pk").first())


def _create(actor, obj, detail: str = ""):
    audit_record(actor, AuditAction.CREATE, obj, after=snapshot(obj), detail=detail)


# ---------------------------------------------------------------------------------------- publicity

def _publicity_fields(actor, *, held_on, place_type, place, area, organiser, theme, posters, handbooks,
                      people_reached, participants, note) -> dict:
    if place_type not in PlaceType.values:
        raise ValidationError({"place_type": "请选择场所类型"})
    if not (place or "").strip():
        raise ValidationError({"place": "请填写活动地点"})
    area = _visible_area(actor, area, levels=(Level.TOWNSHIP, Level.VILLAGE), what="活动所在村(社区)或乡镇")
    if organiser is None or organiser.kind not in (AgencyKind.POLICE_STATION, AgencyKind.POLICE_HQ,
                                                   AgencyKind.POLICE_BUREAU):
        raise ValidationError({"organiser": "组织单位应为公安局、机关部门或派出所"})
    if not Agency.objects.visible_to(actor).filter(pk=organiser.pk).exists() and not _covers_agency(actor, organiser):
        raise ValidationError({"organiser": "组织单位不在您的辖区"})
    return {
        "held_on": _not_future(held_on, "活动日期"), "place_type": place_type, "place": place.strip()[:100],
        "area": area, "organiser": organiser, "theme": (theme or "").strip()[:100],
        "posters": _count(posters, "张贴海报数"), "handbooks": _count(handbooks, "发放手册数"),
        "people_reached": _count(people_reached, "受教育群众人次"), "participants": _count(participants, "参与民辅警人数"),
        "note": (note or "").strip(),
    }


def _covers_agency(actor, agency: Agency) -> bool:
    """A station chief organises under the bureau above his post too (宣传 with the 刑侦大队)."""
    scope = scope_of(actor)
    if scope.unrestricted:
        return True
    return bool(scope.path) and scope.path.startswith(agency.area.path)


@transaction.atomic
def publicity_record(*, actor, held_on: dt.date, place_type: str, place: str, area: Area, organiser: Agency,
                     theme: str = "", posters: int = 0, handbooks: int = 0, people_reached: int = 0,
                     participants: int = 0, note: str = "") -> PublicityEvent:
    fields = _publicity_fields(actor, held_on=held_on, place_type=place_type, place=place, area=area,
                               organiser=organiser, theme=theme, posters=posters, handbooks=handbooks,
                               people_reached=people_reached, participants=participants, note=note)
    event = PublicityEvent.objects.create(**fields, created_by=_user(actor))
    ensure_visible(actor, event)
    _create(actor, event, "登记反诈宣传活动")
    return event


@transaction.atomic
def publicity_update(*, actor, event: PublicityEvent, **changes) -> PublicityEvent:
    event = PublicityEvent.objects.select_for_update().get(pk=event.pk)
    ensure_visible(actor, event)
    before = snapshot(event)
    current = {k: getattr(event, k) for k in ("held_on", "place_type", "place", "area", "organiser", "theme",
                                              "posters", "handbooks", "people_reached", "participants", "note")}
    current.update(changes)
    for name, value in _publicity_fields(actor, **current).items():
        setattr(event, name, value)
    event.save()
    ensure_visible(actor, event)
    audit_record(actor, AuditAction.UPDATE, event, before=before, after=snapshot(event), detail="修改反诈宣传活动")
    return event


# ---------------------------------------------------------------------------------------- app statistics

def default_population(area: Area) -> int | None:
    return area.population or None


@transaction.atomic
def snapshot_record(*, actor, area: Area, on: dt.date, registered: int, population: int | None = None,
                    replace: bool = False, source: str = SnapshotSource.FORM,
                    source_file: str = "") -> tuple[RegistrationSnapshot, bool]:
    """Record the centre's figures for one village on one date. The population defaults to the
    village's population in the tree (stored on the snapshot, so a later change of the tree does not
    rewrite past rates). A second set of figures for the same village and date is refused unless
    ``replace`` (then the old figures are in the audit row). Returns (snapshot, replaced)."""
    area = _visible_area(actor, area, levels=(Level.VILLAGE,), what="统计的村(嘎查、社区)")
    _not_future(on, "统计日期")
    registered = _count(registered, "累计注册人数")
    from_area = population in (None, "")
    population = default_population(area) if from_area else _count(population, "人口基数")
    if not population:
        raise ValidationError({"population": f"请填写人口基数：统计表未给出，且{area.short_name}尚未登记人口"})
    if registered > population:
        raise ValidationError({"registered": f"累计注册人数{registered}超过人口基数{population}，请核对"})
    existing = RegistrationSnapshot.objects.select_for_update().filter(area=area, on=on).first()
    if existing is not None and not replace:
        raise ValidationError({"on": f"{area.short_name}{on:%Y-%m-%d}已有统计（累计注册{existing.registered}人），"
                                     "如需更正请勾选“替换同期已有数据”或在列表中修改"})
    values = {"registered": registered, "population": population, "population_from_area": from_area,
              "source": source, "source_file": source_file[:120], "created_by": _user(actor)}
    if existing is not None:
        ensure_visible(actor, existing)
        before = snapshot(existing)
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        audit_record(actor, AuditAction.UPDATE, existing, before=before, after=snapshot(existing),
                     detail="替换同期APP注册统计")
        return existing, True
    record = RegistrationSnapshot.objects.create(area=area, on=on, **values)
    ensure_visible(actor, record)
    _create(actor, record, "录入APP注册统计")
    return record, False


@transaction.atomic
def snapshot_update(*, actor, record: RegistrationSnapshot, registered: int,
                    population: int | None) -> RegistrationSnapshot:
    record = RegistrationSnapshot.objects.select_for_update().get(pk=record.pk)
    ensure_visible(actor, record)
    result, _ = snapshot_record(actor=actor, area=record.area, on=record.on, registered=registered,
                                population=population, replace=True, source=record.source,
                                source_file=record.source_file)
    return result


@transaction.atomic
def snapshot_delete(*, actor, record: RegistrationSnapshot) -> None:
    record = RegistrationSnapshot.objects.select_for_update().get(pk=record.pk)
    ensure_visible(actor, record)
    before = snapshot(record)
    audit_record(actor, AuditAction.DELETE, record, before=before, detail="删除APP注册统计")
    record.delete()


# ---------------------------------------------------------------------------------------- warnings

def normalise_phone(raw: str, label: str = "电话") -> str:
    value = (raw or "").strip().replace(" ", "").replace("-", "")
    if not value:
        return ""
    if value.startswith("+86"):
        value = value[3:]
    if not value.isdigit() or not 7 <= len(value) <= 12:
        raise ValidationError({"phone": f"{label}应为7至12位数字"})
    if len(value) == 11 and not value.startswith("1"):
        raise ValidationError({"phone": f"{label}：11位手机号码应以1开头"})
    return value


_seq = itertools.count(1)


def _warning_number() -> str:
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    while True:
        number = f"YJ{stamp}{next(_seq) % 1000:03d}"
        if not FraudWarning.objects.filter(number=number).exists():
            return number


@transaction.atomic
def warning_register(*, actor, received_at: dt.datetime, risk_type: str, area: Area, number: str = "",
                     channel: str = WarningChannel.CENTRE, target_name: str = "", target_phone: str = "",
                     content: str = "") -> FraudWarning:
    area = _visible_area(actor, area, levels=(Level.VILLAGE,), what="预警对象所在村(社区)")
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": "接收时间不能晚于当前时间"})
    if risk_type not in RiskType.values:
        raise ValidationError({"risk_type": "请选择风险类型"})
    if channel not in WarningChannel.values:
        raise ValidationError({"channel": "请选择预警来源"})
    try:
        phone = normalise_phone(target_phone, "预警对象电话")
    except ValidationError as exc:
        raise ValidationError({"target_phone": exc.messages}) from exc
    if not (target_name or "").strip() and not phone:
        raise ValidationError({"target_phone": "请填写预警对象的姓名或电话"})
    number = (number or "").strip() or _warning_number()
    if FraudWarning.objects.filter(number=number).exists():
        raise ValidationError({"number": f"预警编号{number}已存在"})
    warning = FraudWarning.objects.create(
        number=number[:40], received_at=received_at, channel=channel, risk_type=risk_type,
        target_name=(target_name or "").strip()[:40], target_phone=phone, area=area, station=station_for(area),
        content=(content or "").strip(), created_by=_user(actor))
    ensure_visible(actor, warning)
    _create(actor, warning, "登记反诈预警")
    return warning


# ---------------------------------------------------------------------------------------- dissuasions

def person_key(id_number: str, phone: str) -> str:
    """Who the one-success-per-person-per-day rule counts: the keyed hash of the ID number, else of
    the phone (never the number itself: it is encrypted at rest)."""
    return crypto.id_hash(id_number) if id_number else crypto.phone_hash(phone)


@transaction.atomic
def dissuasion_record(*, actor, on: dt.date, person_name: str, channel: str, outcome: str = Outcome.SUCCESS,
                      area: Area | None = None, warning: FraudWarning | None = None, id_number: str = "",
                      phone: str = "", risk_type: str = "", amount_kept=ZERO, officer: Staff | None = None,
                      note: str = "") -> Dissuasion:
    """One person on one occasion. Area and risk type default to the warning's. A successful record is
    one person-time: a second successful record for the same person on the same day is refused."""
    if warning is not None:
        warning = FraudWarning.objects.visible_to(actor).filter(pk=warning.pk).first()
        if warning is None:
            raise NotVisible("对应预警不存在或超出您的辖区范围")
        area = area or warning.area
        risk_type = risk_type or warning.risk_type
        if on is not None and on < timezone.localdate(warning.received_at):
            raise ValidationError({"on": "劝阻日期不能早于预警接收日期"})
    area = _visible_area(actor, area, levels=(Level.VILLAGE,), what="劝阻对象所在村(社区)")
    _not_future(on, "劝阻日期")
    if not (person_name or "").strip():
        raise ValidationError({"person_name": "请填写劝阻对象姓名"})
    if channel not in DissuasionChannel.values:
        raise ValidationError({"channel": "请选择劝阻方式"})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择劝阻结果"})
    if risk_type and risk_type not in RiskType.values:
        raise ValidationError({"risk_type": "风险类型不在字典中"})
    number = ""
    if (id_number or "").strip():
        try:
            number = idcard.validate(id_number)
        except idcard.InvalidIdNumber as exc:
            raise ValidationError({"id_number": str(exc)}) from exc
    phone = normalise_phone(phone, "手机号码")
    if not number and not phone:
        raise ValidationError({"id_number": "请至少填写劝阻对象的身份证号码或手机号码（用于按人计次）"})
    try:
        amount = money(amount_kept, "避免转账金额")
    except ValidationError as exc:
        raise ValidationError({"amount_kept": exc.messages}) from exc
    if amount and outcome != Outcome.SUCCESS:
        raise ValidationError({"amount_kept": "劝阻未成功时避免转账金额应为0"})
    if officer is not None and (officer.category not in POLICE_CATEGORIES
                                or not Staff.objects.visible_to(actor).filter(pk=officer.pk).exists()):
        raise ValidationError({"officer": "劝阻民(辅)警不在您的辖区或不是公安人员"})
    key = person_key(number, phone)
    if outcome == Outcome.SUCCESS and Dissuasion.objects.filter(person_key=key, on=on, outcome=Outcome.SUCCESS).exists():
        raise ValidationError({"on": "该对象当天已有成功劝阻记录：同一人同一天只计一人次，请勿重复登记"})
    try:
        with transaction.atomic():
            record = Dissuasion.objects.create(
                warning=warning, on=on, area=area, person_name=person_name.strip()[:40], id_number=number,
                phone=phone, person_key=key, channel=channel, risk_type=risk_type, outcome=outcome,
                amount_kept=amount, officer=officer, station=station_for(area), note=(note or "").strip(),
                created_by=_user(actor))
    except IntegrityError as exc:
        raise ValidationError({"on": "该对象当天已有成功劝阻记录：同一人同一天只计一人次"}) from exc
    ensure_visible(actor, record)
    _create(actor, record, "登记反诈劝阻")
    return record
