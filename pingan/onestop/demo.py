"""Demo data of 放管服 for 乌拉特中旗, 2024: the one-stop stations (一站式派出所) with the dates they
became one, and a year of requests registered at the stations' windows.

The acceptance figure: ``services.one_stop_stations_added`` = 2 for 2024 — the two stations the
foundation demo dates 2024 (德岭山, 甘其毛都). The two town stations made one-stop in 2021 and 2022,
and 石哈河, made one-stop in July 2023, must not count. Each station's record takes the date the
foundation demo wrote on the station (``Agency.one_stop_since``), so the two never disagree.

Requests, from what a banner of about 140,000 people brings to its police windows in a year (a
share of it registered here): 户政 most, then 车驾管 (only at one-stop stations, from the day they
became one, and at the town's station), 治安管理, 出入境; by 窗口, 一网通办 or 跨省通办; nearly all
办结, a few 不予受理 or 转办, a handful received in the last days of December still open. Times to
completion follow the matter (minutes for a 户籍证明, days for a 户口迁移, about two weeks for a
passport). Late-2023 requests are there so the year matters.

Deterministic (``random.Random("2024/onestop")``) and idempotent.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from pingan.areas.models import Area
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.demo.people import PeopleFactory
from pingan.onestop.models import Channel, OneStopStation, Outcome, ServiceKind, ServiceRequest
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory

BANNER = "150824000000"
YEAR = 2024
AUDIT_LOGIN = "demo"
EXTRA_ONE_STOP = {"150824103000": dt.date(2023, 7, 18)}  # 石哈河: one-stop since 2023 (not counted for 2024)
TOWN = "150824100000"  # 海流图镇, the banner's seat: its station has always had a 车驾管 window
ALL_SERVICES = [ServiceKind.HOUSEHOLD, ServiceKind.VEHICLE, ServiceKind.EXIT_ENTRY, ServiceKind.PUBLIC_ORDER]
RURAL_SERVICES = [ServiceKind.HOUSEHOLD, ServiceKind.VEHICLE, ServiceKind.PUBLIC_ORDER]
# Requests per station for the year, by township (the town most); 2023's last quarter is a quarter of it.
VOLUME = {"150824100000": 2100, "150824101000": 520, "150824102000": 480, "150824103000": 360, "150824104000": 420,
          "150824105000": 240, "150824200000": 180, "150824201000": 120, "150824202000": 160, "150824203000": 150,
          "150824400000": 90, "150824401000": 70}
# (item, weight, window minutes (lo, hi) or days (lo, hi) when the second value is "d")
ITEMS = {
    ServiceKind.HOUSEHOLD: (("身份证换领", 30, (15, 40)), ("身份证补领", 10, (15, 40)), ("身份证首次申领", 8, (20, 45)),
                            ("临时身份证", 6, (30, 90)), ("户籍证明", 14, (5, 20)), ("出生登记", 8, (1, 2, "d")),
                            ("户口迁入", 7, (1, 5, "d")), ("户口迁出", 5, (1, 3, "d")), ("户口簿补换", 4, (20, 60)),
                            ("姓名变更", 1, (5, 15, "d")), ("居住证办理", 3, (3, 10, "d"))),
    ServiceKind.VEHICLE: (("驾驶证期满换证", 30, (20, 50)), ("驾驶证补证", 10, (20, 50)), ("驾驶证审验", 8, (15, 30)),
                          ("机动车注册登记", 10, (1, 3, "d")), ("机动车转移登记", 10, (1, 2, "d")),
                          ("检验合格标志核发", 18, (10, 30)), ("交通违法处理", 10, (10, 25)),
                          ("农用车(拖拉机)登记", 4, (1, 3, "d"))),
    ServiceKind.EXIT_ENTRY: (("普通护照", 45, (7, 15, "d")), ("往来港澳通行证", 35, (7, 12, "d")),
                             ("港澳签注", 15, (20, 40)), ("往来台湾通行证", 5, (7, 15, "d"))),
    ServiceKind.PUBLIC_ORDER: (("无犯罪记录证明", 60, (30, 240)), ("犬只登记", 15, (15, 30)),
                               ("旅馆业特种行业许可", 8, (10, 20, "d")), ("大型活动安全许可", 7, (3, 7, "d")),
                               ("保安员证", 10, (2, 5, "d"))),
    ServiceKind.OTHER: (("政策咨询", 70, (5, 20)), ("开具其他证明", 30, (10, 40))),
}
CROSS_PROVINCE_ITEMS = ("身份证换领", "身份证补领", "户籍证明", "户口迁入", "驾驶证期满换证", "无犯罪记录证明")
REFUSALS = ("材料不全，一次性告知补正", "不符合办理条件", "非本辖区户籍，告知到户籍地办理")
TRANSFERS = {ServiceKind.HOUSEHOLD: "乌拉特中旗公安局户政科", ServiceKind.VEHICLE: "乌拉特中旗公安局交通管理大队车管所",
             ServiceKind.EXIT_ENTRY: "巴彦淖尔市公安局出入境管理支队", ServiceKind.PUBLIC_ORDER: "乌拉特中旗公安局治安管理大队",
             ServiceKind.OTHER: "乌拉特中旗政务服务中心"}


def build(stdout=None) -> None:
    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    banner = Area.objects.filter(code=BANNER).first()
    if banner is None:
        say("放管服演示数据：未找到乌拉特中旗辖区，跳过")
        return
    stations = list(Agency.objects.filter(kind=AgencyKind.POLICE_STATION, area__path__startswith=banner.path)
                    .select_related("area").order_by("area__code"))
    if not stations:
        say("放管服演示数据：未找到乌拉特中旗的派出所（先运行基础演示数据），跳过")
        return
    if OneStopStation.objects.filter(station__in=stations).exists():
        say("放管服演示数据：已存在，跳过")
        return
    with transaction.atomic():
        counts = _Builder(banner, stations).run()
    say("放管服演示数据：" + "，".join(f"{k}{v}" for k, v in counts.items()))


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes))


class _Builder:
    def __init__(self, banner: Area, stations: list[Agency]):
        self.banner = banner
        self.stations = stations
        self.rng = random.Random(f"{YEAR}/onestop")
        self.people = PeopleFactory(random.Random(f"{YEAR}/onestop/people"), taken_ids=set(), taken_phones=set())
        self.clerks: dict[int, list[Staff]] = {}
        for s in Staff.objects.filter(agency__in=stations, active=True,
                                      category__in=(StaffCategory.AUXILIARY, StaffCategory.POLICE_OFFICER)).order_by("id"):
            self.clerks.setdefault(s.agency_id, []).append(s)

    def one_stop(self) -> list[OneStopStation]:
        rows = []
        for station in self.stations:
            since = station.one_stop_since or EXTRA_ONE_STOP.get(station.area.code)
            if since is None:
                continue
            town = station.area.code == TOWN
            rows.append(OneStopStation(station=station, since=since, windows=3 if town else 1,
                                       services=ALL_SERVICES if town or since.year <= 2022 else RURAL_SERVICES,
                                       note="综合窗口“一窗通办”" + ("，设出入境自助签注机" if town else "")))
            if station.one_stop_since != since:  # the station itself says when it became one-stop
                Agency.objects.filter(pk=station.pk).update(one_stop_since=since)
                station.one_stop_since = since
        return OneStopStation.objects.bulk_create(rows)

    def _kinds(self, station: Agency, day: dt.date) -> list[tuple[str, int]]:
        one_stop = station.one_stop_since is not None and station.one_stop_since <= day
        town = station.area.code == TOWN
        kinds = [(ServiceKind.HOUSEHOLD, 56), (ServiceKind.PUBLIC_ORDER, 10), (ServiceKind.OTHER, 5)]
        if one_stop or town:
            kinds.append((ServiceKind.VEHICLE, 26))
        if town:
            kinds.append((ServiceKind.EXIT_ENTRY, 7))
        return kinds

    def _pick(self, choices):
        return self.rng.choices([c[0] for c in choices], weights=[c[1] for c in choices])[0]

    def _duration(self, spec, channel: str) -> dt.timedelta:
        rng = self.rng
        if len(spec) == 3:  # days
            days = rng.randint(spec[0], spec[1])
            return dt.timedelta(days=days, minutes=rng.randint(-120, 240))
        minutes = rng.randint(spec[0], spec[1])
        if channel != Channel.WINDOW:  # online: checked and answered within the working day or the next
            minutes += rng.randint(60, 1500)
        return dt.timedelta(minutes=minutes)

    def requests(self) -> list[ServiceRequest]:
        rng = self.rng
        rows: list[ServiceRequest] = []
        seq: dict[int, int] = {}
        last_day = dt.date(YEAR, 12, 31)
        for station in self.stations:
            clerks = self.clerks.get(station.pk, [])
            volume = VOLUME.get(station.area.code, 100)
            for year, share in ((2023, 0.25), (YEAR, 1.0)):
                first = dt.date(2023, 10, 1) if year == 2023 else dt.date(YEAR, 1, 1)
                last = dt.date(2023, 12, 31) if year == 2023 else last_day
                span = (last - first).days + 1
                for _ in range(round(volume * share)):
                    day = first + dt.timedelta(days=rng.randrange(span))
                    kind = self._pick(self._kinds(station, day))
                    item, _, spec = rng.choices(ITEMS[kind], weights=[i[1] for i in ITEMS[kind]])[0]
                    channel = self._pick([(Channel.WINDOW, 72), (Channel.ONLINE, 23), (Channel.CROSS_PROVINCE, 5)])
                    if channel == Channel.CROSS_PROVINCE and item not in CROSS_PROVINCE_ITEMS:
                        channel = Channel.WINDOW
                    if channel == Channel.WINDOW:
                        while day.weekday() >= 5:  # windows open on working days
                            day -= dt.timedelta(days=1)
                        received = _at(day, rng.randint(8 * 60 + 30, 17 * 60 + 20))
                    else:
                        received = _at(day, rng.randint(7 * 60, 23 * 60))
                    roll = rng.random()
                    outcome, completed, transferred, note = Outcome.DONE, received + self._duration(spec, channel), "", ""
                    if roll < 0.025:
                        outcome, completed = Outcome.REFUSED, received + dt.timedelta(minutes=rng.randint(5, 30))
                        note = rng.choice(REFUSALS)
                    elif roll < 0.05:
                        outcome, completed = Outcome.TRANSFERRED, received + dt.timedelta(minutes=rng.randint(10, 120))
                        transferred = TRANSFERS[kind]
                    if year == YEAR and day >= dt.date(YEAR, 12, 27) and rng.random() < 0.3:
                        outcome, completed = "", None  # still open at the year's end
                    person = self.people.person(banner6=BANNER[:6], born_from=1950, born_to=2006, mongol_share=0.3,
                                                male_share=0.55, local_share=0.85)
                    seq[year] = seq.get(year, 0) + 1
                    rows.append(ServiceRequest(
                        number=f"{station.area.code[:6]}FW{year}{seq[year]:06d}", station=station, kind=kind,
                        item=item, channel=channel, received_at=received, completed_at=completed, outcome=outcome,
                        transferred_to=transferred, applicant_name=person.name, applicant_id_number=person.id_number,
                        applicant_phone=person.phone if rng.random() < 0.9 else "",
                        handler=rng.choice(clerks) if clerks else None, note=note))
        return ServiceRequest.objects.bulk_create(rows, batch_size=1000)

    def run(self) -> dict[str, int]:
        stations = self.one_stop()
        requests = self.requests()
        counts = {"一站式派出所": len(stations), "窗口业务": len(requests)}
        audit_record(None, AuditAction.IMPORT, object_type="onestop.ServiceRequest", object_repr="乌拉特中旗放管服",
                     detail="演示数据：一站式派出所、窗口业务", after=counts, login=AUDIT_LOGIN)
        return counts
