"""Demo data: 乌拉特中旗's anti-fraud work in 2024, from individual records, so that the year report
prints the published figures — 国家反诈中心APP新增注册11380人, 安装率上升10.15个百分点, 劝阻1450余人次,
劝阻转账资金100余万元:

- quarterly app statistics for every village-level unit from 2023 to the first quarter of 2025 (a few
  communities only from 2024, so their year starts at their first figures; the 2025 figures must not
  count for 2024). The population base is the centre's (about 80% of the residents: the people the
  app is meant for), constant per village, and the village figures are drawn so that the sum of the
  year's increases is 11380 and the base totals 112118 — the rate change (11380 / 112118 = 10.150
  points) is computed by the report, not stored;
- 154 publicity events at supermarkets, streets, hotels, village offices, schools, markets …;
- about 1,600 warnings from the anti-fraud centre and others, each answered by a dissuasion record
  (most successful; some unreachable, some already defrauded, some not fraud at all), plus on-site
  dissuasions at bank counters without a warning, and a handful of late-December warnings still
  waiting; 1455 successful dissuasions keeping 1,036,850.00 yuan from being transferred.

Idempotent (nothing is added when the demo statistics are there) and deterministic (seeded).
"""

from __future__ import annotations

import datetime as dt
import decimal
import random

from django.db import transaction
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.demo.base import audit_batch
from pingan.demo.people import PeopleFactory
from pingan.org.models import POLICE_CATEGORIES, Agency, AgencyKind, Staff

from .models import (
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
from .services import person_key

BANNER = "150824000000"
YEAR = 2024
PREFIX = f"YJ1508{YEAR}"
NEW_REGISTRATIONS = 11380
POPULATION_BASE = 112_118  # 11380 / 112118 = 10.150 percentage points
SUCCESSES = 1455
KEPT_TOTAL = decimal.Decimal("1036850.00")
QUARTERS = [dt.date(2023, 3, 31), dt.date(2023, 6, 30), dt.date(2023, 9, 30), dt.date(2023, 12, 31),
            dt.date(2024, 3, 31), dt.date(2024, 6, 30), dt.date(2024, 9, 30), dt.date(2024, 12, 31),
            dt.date(2025, 3, 31)]
LATE_STARTERS = 3  # communities whose figures begin in 2024

PLACE_COUNTS = ((PlaceType.SUPERMARKET, 36), (PlaceType.STREET, 30), (PlaceType.HOTEL, 24),
                (PlaceType.VILLAGE_OFFICE, 20), (PlaceType.SCHOOL, 16), (PlaceType.MARKET, 14),
                (PlaceType.BANK, 8), (PlaceType.ENTERPRISE, 6))
PLACE_NAMES = {
    PlaceType.SUPERMARKET: ("华联超市", "惠民超市", "利客来超市", "万家福超市", "家家乐便民超市"),
    PlaceType.STREET: ("步行街", "商业街", "团结路", "人民路", "乌拉特大街"),
    PlaceType.HOTEL: ("宾馆", "商务酒店", "旅店", "快捷酒店"),
    PlaceType.SCHOOL: ("中心小学", "中学", "幼儿园", "民族学校"),
    PlaceType.MARKET: ("牲畜交易市场", "农贸集市", "大集"),
    PlaceType.BANK: ("农村信用社", "农业银行网点", "邮政储蓄网点"),
    PlaceType.ENTERPRISE: ("矿业公司", "光伏电站", "物流园区"),
}
THEMES = ("防范刷单返利诈骗", "警惕虚假投资理财", "识破冒充客服退款", "守护老年人“钱袋子”", "国家反诈中心APP推广注册",
          "防范虚假网络贷款", "校园反诈第一课", "牧区反诈宣讲")
RISK_WEIGHTS = ((RiskType.REBATE, 25), (RiskType.INVESTMENT, 18), (RiskType.LOAN, 15),
                (RiskType.CUSTOMER_SERVICE, 14), (RiskType.CREDIT, 8), (RiskType.POLICE, 6), (RiskType.GAME, 5),
                (RiskType.ROMANCE, 5), (RiskType.ACQUAINTANCE, 3), (RiskType.OTHER, 1))
CHANNEL_WEIGHTS = ((WarningChannel.CENTRE, 70), (WarningChannel.PROVINCE, 15), (WarningChannel.HOTLINE, 5),
                   (WarningChannel.BANK, 5), (WarningChannel.TELECOM, 3), (WarningChannel.PUBLIC, 2))
WAY_WEIGHTS = ((DissuasionChannel.PHONE, 55), (DissuasionChannel.VISIT, 25), (DissuasionChannel.FACE, 12),
               (DissuasionChannel.SMS, 3), (DissuasionChannel.VIDEO, 3), (DissuasionChannel.BANK, 2))
# Warnings answered without success, and successes with no warning (at a bank counter).
FAILED = ((Outcome.UNREACHABLE, 82), (Outcome.DEFRAUDED, 37), (Outcome.NOT_FRAUD, 46))
WALK_IN_SUCCESSES = 55
PENDING = 5
NOTES = {
    Outcome.SUCCESS: ("经民警耐心讲解诈骗手法，当事人认识到被骗风险，放弃转账。", "当事人已下载诈骗APP，民警协助卸载并开启国家反诈中心APP预警。",
                      "民警上门见面劝阻，当事人当场删除对方联系方式。", "经电话劝阻，当事人停止向对方账户转账，已告知家属共同看护。"),
    Outcome.UNREACHABLE: ("多次拨打电话无人接听，已通知村警务助理上门核实。", "电话关机，已推送至属地派出所跟进。"),
    Outcome.DEFRAUDED: ("民警联系时当事人已完成转账，已引导报案并开展止付。",),
    Outcome.NOT_FRAUD: ("经核实为正常网购交易，非诈骗。", "经核实为亲属间正常转账。"),
}


def is_present() -> bool:
    return RegistrationSnapshot.objects.filter(source=SnapshotSource.DEMO, area__path__contains=f"/{BANNER}/").exists()


def _stations(banner: Area) -> dict[int, Agency]:
    """Township id → its 派出所: the foundation demo's, or made here when it is not there."""
    out = {}
    for township in Area.objects.filter(parent=banner, level=Level.TOWNSHIP).order_by("code"):
        station = Agency.objects.filter(kind=AgencyKind.POLICE_STATION, area=township).first()
        if station is None:
            stem = township.short_name.removesuffix("镇").removesuffix("苏木")[:8]
            station, _ = Agency.objects.get_or_create(
                name=f"乌拉特中旗公安局{stem}派出所", area=township,
                defaults={"kind": AgencyKind.POLICE_STATION, "short_name": f"{stem}派出所"})
        out[township.pk] = station
    return out


def _weights(rng: random.Random, villages: list[Area]) -> list[float]:
    return [(v.population or rng.randint(300, 2500)) * rng.uniform(0.85, 1.15) for v in villages]


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` in whole parts proportional to ``weights`` (largest remainders), summing exactly."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[:total - sum(parts)]:
        parts[i] += 1
    return parts


def _snapshots(rng: random.Random, villages: list[Area]) -> list[RegistrationSnapshot]:
    bases = _split(POPULATION_BASE, _weights(rng, villages))
    news = _split(NEW_REGISTRATIONS, [b * rng.uniform(0.7, 1.3) for b in bases])
    late = {v.pk for v in sorted((v for v in villages if v.kind == "社区"), key=lambda v: v.code)[-LATE_STARTERS:]}
    rows = []
    for village, base, new in zip(villages, bases, news, strict=True):
        starts_late = village.pk in late
        start = int(base * rng.uniform(0.32, 0.45) if starts_late else base * rng.uniform(0.12, 0.30))
        new = min(new, base - start)  # never above the base (rare; the shortfall is moved below)
        end = start + new
        rows.append((village, base, start, end, starts_late))
    shortfall = NEW_REGISTRATIONS - sum(r[3] - r[2] for r in rows)
    for i, (village, base, start, end, late_) in enumerate(rows):  # give any shortfall to villages with room
        if shortfall <= 0:
            break
        room = min(shortfall, base - end)
        rows[i] = (village, base, start, end + room, late_)
        shortfall -= room
    snapshots = []
    for village, base, start, end, starts_late in rows:
        # 2023: climbing towards the start figure; 2024: from start to end; 2025 Q1: a little more.
        before = [int(start * f) for f in (0.55, 0.7, 0.85)] + [start]
        steps = sorted(rng.uniform(0, 1) for _ in range(3))
        during = [start + int((end - start) * s) for s in steps] + [end]
        after = [min(base, end + int((end - start) * rng.uniform(0.05, 0.15)))]
        values = dict(zip(QUARTERS, before + during + after, strict=True))
        if starts_late:  # no figures before the first quarter of 2024: that quarter is the year's start
            values = {dt.date(2024, 3, 31): start, **{d: v for d, v in values.items() if d > dt.date(2024, 3, 31)}}
        for on, registered in values.items():
            snapshots.append(RegistrationSnapshot(area=village, on=on, registered=registered, population=base,
                                                  source=SnapshotSource.DEMO, source_file="国家反诈中心季度统计（演示）"))
    return snapshots


def _events(rng: random.Random, villages: list[Area], stations: dict[int, Agency]) -> list[PublicityEvent]:
    kinds = [k for k, n in PLACE_COUNTS for _ in range(n)]
    rng.shuffle(kinds)
    townships = {v.parent_id: v.parent for v in villages}
    rows = []
    for kind in kinds:
        village = rng.choice(villages)
        township = townships[village.parent_id]
        town = township.short_name
        at_village = kind in (PlaceType.VILLAGE_OFFICE, PlaceType.MARKET) or (
            kind != PlaceType.STREET and rng.random() < 0.25)
        area = village if at_village else township
        if kind == PlaceType.VILLAGE_OFFICE:
            place = f"{village.short_name}村部" if not village.short_name.endswith("社区") else f"{village.short_name}服务站"
        else:
            place = f"{village.short_name if at_village else town}{rng.choice(PLACE_NAMES[kind])}"
        people = {PlaceType.SCHOOL: (150, 600), PlaceType.MARKET: (120, 400), PlaceType.STREET: (80, 300)}.get(
            kind, (30, 160))
        reached = rng.randint(*people)
        rows.append(PublicityEvent(
            held_on=dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(366)), place_type=kind, place=place,
            area=area, organiser=stations[township.pk], theme=rng.choice(THEMES),
            posters=rng.randint(5, 40), handbooks=rng.randint(reached // 3, reached), people_reached=reached,
            participants=rng.randint(2, 8),
            note="张贴反诈宣传海报、发放宣传手册，现场讲解常见诈骗手法，指导群众下载注册国家反诈中心APP。"))
    return rows


def _amounts(rng: random.Random, n: int) -> list[decimal.Decimal]:
    """``n`` amounts kept (whole yuan, a few with jiao) adding up to exactly KEPT_TOTAL."""
    raw = [rng.lognormvariate(7.6, 1.0) for _ in range(n)]
    scale = float(KEPT_TOTAL) / sum(raw)
    amounts = [decimal.Decimal(max(100, int(x * scale))) + (decimal.Decimal("0.50") if rng.random() < 0.1 else 0)
               for x in raw]
    amounts[-1] += KEPT_TOTAL - sum(amounts)
    assert amounts[-1] > 0 and sum(amounts) == KEPT_TOTAL
    return amounts


def _pick(rng: random.Random, table):
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _warnings_and_dissuasions(rng, people: PeopleFactory, villages, stations, officers):
    weights = _weights(rng, villages)
    failed = [o for o, n in FAILED for _ in range(n)]
    answered = SUCCESSES - WALK_IN_SUCCESSES + len(failed)
    outcomes = [Outcome.SUCCESS] * (SUCCESSES - WALK_IN_SUCCESSES) + failed
    rng.shuffle(outcomes)
    amounts = _amounts(rng, 600)
    with_amount = set(rng.sample(range(SUCCESSES), len(amounts)))
    warnings, pairs = [], []
    last = dt.datetime(YEAR, 12, 31, 20, 0)
    for k in range(answered + PENDING):
        village = rng.choices(villages, weights=weights)[0]
        person = people.person(banner6=BANNER[:6], born_from=1950, born_to=2005, male_share=0.45)
        if k >= answered:  # the last few: late on 31 December, not yet answered
            received = last - dt.timedelta(minutes=37 * (k - answered))
        else:
            received = dt.datetime(YEAR, 1, 1, 8) + dt.timedelta(days=rng.randrange(365), minutes=rng.randrange(13 * 60))
        warning = FraudWarning(
            number=f"{PREFIX}{k + 1:05d}", received_at=timezone.make_aware(received), channel=_pick(rng, CHANNEL_WEIGHTS),
            risk_type=_pick(rng, RISK_WEIGHTS), target_name=person.name, target_phone=person.phone, area=village,
            station=stations.get(village.parent_id),
            content="国家反诈中心推送：该号码近期与涉诈号码频繁通话，疑似正在被骗，请立即劝阻。")
        warnings.append(warning)
        if k < answered:
            pairs.append((warning, person, outcomes[k]))
    rows = []
    success_index = 0
    for warning, person, outcome in pairs:
        received = timezone.localtime(warning.received_at)
        on = received.date()
        if received.hour >= 20 and on < dt.date(YEAR, 12, 31):  # an evening warning: the visit is the next day
            on += dt.timedelta(days=1)
        kept = decimal.Decimal("0.00")
        if outcome == Outcome.SUCCESS:
            if success_index in with_amount:
                kept = amounts.pop()
            success_index += 1
        rows.append(_dissuasion(rng, warning=warning, person=person, on=on, area=warning.area, outcome=outcome,
                                kept=kept, risk=warning.risk_type, station=warning.station, officers=officers))
    for _ in range(WALK_IN_SUCCESSES):
        village = rng.choices(villages, weights=weights)[0]
        person = people.person(banner6=BANNER[:6], born_from=1945, born_to=1990, male_share=0.4)
        kept = decimal.Decimal("0.00")
        if success_index in with_amount:
            kept = amounts.pop()
        success_index += 1
        rows.append(_dissuasion(rng, warning=None, person=person, on=dt.date(YEAR, 1, 1) + dt.timedelta(
            days=rng.randrange(366)), area=village, outcome=Outcome.SUCCESS, kept=kept, risk=_pick(rng, RISK_WEIGHTS),
            station=stations.get(village.parent_id), officers=officers, channel=DissuasionChannel.BANK))
    assert not amounts
    return warnings, rows


def _dissuasion(rng, *, warning, person, on, area, outcome, kept, risk, station, officers, channel=None):
    pool = officers.get(station.pk if station else None) or [None]
    with_id = rng.random() < 0.7 or warning is None
    return Dissuasion(
        warning=warning, on=on, area=area, person_name=person.name, id_number=person.id_number if with_id else "",
        phone=person.phone, person_key=person_key(person.id_number if with_id else "", person.phone),
        channel=channel or _pick(rng, WAY_WEIGHTS), risk_type=risk, outcome=outcome, amount_kept=kept,
        officer=rng.choice(pool), station=station, note=rng.choice(NOTES[outcome]))


@transaction.atomic
def build(stdout=None) -> None:
    out = stdout.write if stdout is not None else (lambda s: None)
    if is_present():
        out("反诈演示数据已存在，跳过\n")
        return
    banner = Area.objects.filter(code=BANNER).first()
    if banner is None:
        out("乌拉特中旗辖区不存在，跳过反诈演示数据\n")
        return
    rng = random.Random(f"{YEAR}/antifraud")
    villages = list(Area.objects.filter(path__startswith=banner.path, level=Level.VILLAGE).select_related("parent")
                    .order_by("code"))
    stations = _stations(banner)
    officers: dict[int | None, list[Staff]] = {}
    for staff in Staff.objects.filter(agency__in=stations.values(), category__in=POLICE_CATEGORIES, active=True) \
            .order_by("pk"):
        officers.setdefault(staff.agency_id, []).append(staff)
    taken_ids = set(Staff.objects.values_list("id_number", flat=True))
    taken_phones = set(Staff.objects.exclude(phone="").values_list("phone", flat=True))
    people = PeopleFactory(random.Random(f"{YEAR}/antifraud/people"), taken_ids=taken_ids, taken_phones=taken_phones)

    snapshots = RegistrationSnapshot.objects.bulk_create(_snapshots(rng, villages), batch_size=1000)
    events = PublicityEvent.objects.bulk_create(_events(rng, villages, stations), batch_size=1000)
    warnings, dissuasions = _warnings_and_dissuasions(rng, people, villages, stations, officers)
    FraudWarning.objects.bulk_create(warnings, batch_size=1000)
    Dissuasion.objects.bulk_create(dissuasions, batch_size=1000)
    counts = {"APP注册统计": len(snapshots), "宣传活动": len(events), "预警": len(warnings), "劝阻": len(dissuasions)}
    audit_batch(banner, f"乌拉特中旗{YEAR}年反诈：" + "，".join(f"{k}{v}条" for k, v in counts.items()), counts)
    out("乌拉特中旗2024年反诈：" + "，".join(f"{k}{v}条" for k, v in counts.items()) + "\n")
