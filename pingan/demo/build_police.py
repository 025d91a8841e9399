"""乌拉特中旗公安局: 机关 departments, a 派出所 per township, 民警 and 辅警 with their careers,
一村一警 assignments, part-time assistants, village police rooms and leadership-team seats.

The acceptance figures for 2024 come out of individual rows, never stored as totals:
87 驻村辅警 on 87 村/嘎查 (the 19 communities and farm units stay gaps), 22 兼职警务助理,
2 高标准警务室, 45 officers seated on 45 village teams and 7 township teams (the 7 chiefs),
20 机关 people moved to stations in 2024 (4 in 2023), and every 2024 recruit posted first to
a station. Rows that must not count for 2024 (seats ended in 2023 or begun in 2025, a room
closed in 2023, hand-overs of 驻村辅警 during 2023/2024, transfers between stations in 2024)
are there on purpose, so the year and the rules actually matter.
"""

from __future__ import annotations

import datetime as dt
import itertools

from pingan.areas.models import ADMIN_VILLAGE_KINDS, Area, AreaKind, Level
from pingan.demo.base import (
    Career,
    DemoContext,
    DemoStep,
    audit_batch,
    career,
    day,
    make_staff,
    save_careers,
    year_day,
)
from pingan.demo.build_areas import URAT_MIDDLE
from pingan.org.models import (
    Agency,
    AgencyKind,
    AssignmentRole,
    PoliceRoom,
    Staff,
    StaffCategory,
    TeamSeat,
    VillageAssignment,
)

BUREAU_NAME = "乌拉特中旗公安局"
# 机关 departments: (short name, 民警, 辅警)
HQ_DEPARTMENTS = (
    ("指挥中心", 6, 4), ("政治处", 4, 1), ("警务保障室", 3, 2), ("法制大队", 4, 1), ("刑事侦查大队", 8, 4),
    ("治安管理大队", 6, 3), ("经济犯罪侦查大队", 3, 1), ("禁毒大队", 3, 2), ("网络安全保卫大队", 3, 2),
    ("交通管理大队", 7, 6),
)
HQ_HEAD_TITLE = {"指挥中心": "主任", "政治处": "主任", "警务保障室": "主任"}
BUREAU_LEADERS = ("局长", "政委", "副局长", "副局长", "副局长")
# Township code → (station name stem, 社区民警, station-duty 辅警). Every township-level unit has
# its station, the two state farms (4xx) included.
STATIONS = {
    "150824100000": ("海流图", 4, 4),
    "150824101000": ("乌加河", 3, 2),
    "150824102000": ("德岭山", 3, 2),
    "150824103000": ("石哈河", 4, 2),
    "150824104000": ("甘其毛都", 3, 3),
    "150824105000": ("温更", 3, 2),
    "150824200000": ("呼勒斯太", 4, 2),
    "150824201000": ("川井", 3, 2),
    "150824202000": ("巴音乌兰", 5, 2),
    "150824203000": ("新忽热", 4, 2),
    "150824400000": ("牧洋海", 2, 1),
    "150824401000": ("同和太", 1, 1),
}
# 所长进班子: the chiefs of these stations sit on their township's party committee.
SEAT_TOWNSHIPS = ("150824100000", "150824101000", "150824102000", "150824103000",
                  "150824200000", "150824202000", "150824203000")
VILLAGE_SEATS = 45  # village-level teams with a police officer on them (7 chiefs + 38 others)
# 一站式派出所 (一窗通办): two town stations earlier, two rural ones became one-stop in 2024.
ONE_STOP = {"150824100000": dt.date(2021, 6, 1), "150824101000": dt.date(2022, 9, 1),
            "150824102000": dt.date(2024, 5, 20), "150824104000": dt.date(2024, 9, 1)}
HIGH_STANDARD_ROOMS = ("150824100202", "150824104210")  # 巴彦塔拉村, 巴音查干嘎查 (近甘其毛都口岸)
ORDINARY_ROOM_TOWNSHIPS = ("150824101000", "150824103000", "150824200000", "150824202000")
CLOSED_ROOM_TOWNSHIP = "150824102000"
PART_TIME = 22
PART_TIME_OUTSIDE_ADMIN_VILLAGES = 8  # part-time assistants in communities and farm units
MOVES_2024 = ((dt.date(2024, 3, 18), 8), (dt.date(2024, 7, 1), 7), (dt.date(2024, 10, 8), 5))  # 20 people
MOVES_2023 = ((dt.date(2023, 4, 3), 4),)
RECRUITS = {  # year → [(category, service start, how many)]; all are posted first to a station
    2023: [(StaffCategory.POLICE_OFFICER, dt.date(2023, 8, 1), 2), (StaffCategory.AUXILIARY, dt.date(2023, 3, 1), 2)],
    2024: [(StaffCategory.POLICE_OFFICER, dt.date(2024, 8, 5), 5), (StaffCategory.AUXILIARY, dt.date(2024, 3, 1), 7)],
    2025: [(StaffCategory.POLICE_OFFICER, dt.date(2025, 8, 4), 3), (StaffCategory.AUXILIARY, dt.date(2025, 3, 3), 3)],
}
# 驻村辅警 hand-overs: (how many, predecessor's last day); in 2024 the successors are 2024 recruits.
HANDOVERS = ((4, None), (2, dt.date(2024, 6, 30)))
HANDOVER_RECRUIT_START = dt.date(2024, 3, 1)

POLICE = StaffCategory.POLICE_OFFICER
AUX = StaffCategory.AUXILIARY


def is_present() -> bool:
    return Agency.objects.filter(name=BUREAU_NAME, area__code=URAT_MIDDLE).exists()


def _seat_title(area: Area) -> str:
    if area.level == Level.TOWNSHIP:
        return f"{area.kind}党委委员(派出所所长兼任)"
    return {
        AreaKind.VILLAGE: "村党支部副书记(兼)",
        AreaKind.GACHA: "嘎查党支部副书记(兼)",
        AreaKind.COMMUNITY: "社区党委委员(兼)",
    }.get(area.kind, "党支部委员(兼)")


class _Builder:
    def __init__(self, ctx: DemoContext):
        self.rng = ctx.rng("police")
        self.people = ctx.people("police")
        self.banner = Area.objects.get(code=URAT_MIDDLE)
        self.townships = list(self.banner.children.filter(level=Level.TOWNSHIP).order_by("code"))
        villages = Area.objects.filter(path__startswith=self.banner.path, level=Level.VILLAGE).order_by("code")
        self.villages: dict[int, list[Area]] = {t.pk: [] for t in self.townships}
        for v in villages:
            self.villages[v.parent_id].append(v)
        self.careers: list[Career] = []
        self.assignments: list[VillageAssignment] = []
        self.seats: list[TeamSeat] = []

    # -- people ------------------------------------------------------------------------------
    def person(self, service_year: int, *, mongol_share: float = 0.35, male_share: float = 0.8):
        return self.people.person(banner6=URAT_MIDDLE[:6], born_from=service_year - 27, born_to=service_year - 21,
                                  mongol_share=mongol_share, male_share=male_share)

    def mongol_share(self, township: Area) -> float:
        return 0.65 if township.kind == AreaKind.SUMU else 0.4 if township.kind == AreaKind.OTHER else 0.3

    def add(self, c: Career) -> Career:
        self.careers.append(c)
        return c

    # -- agencies -----------------------------------------------------------------------------
    def agencies(self) -> None:
        self.bureau = Agency.objects.create(name=BUREAU_NAME, short_name="公安局", kind=AgencyKind.POLICE_BUREAU,
                                            area=self.banner)
        self.depts = {name: Agency.objects.create(name=f"{BUREAU_NAME}{name}", short_name=name,
                                                  kind=AgencyKind.POLICE_HQ, parent=self.bureau, area=self.banner)
                      for name, _, _ in HQ_DEPARTMENTS}
        self.stations: dict[str, Agency] = {}
        for t in self.townships:
            stem = STATIONS[t.code][0]
            self.stations[t.code] = Agency.objects.create(
                name=f"{BUREAU_NAME}{stem}派出所", short_name=f"{stem}派出所", kind=AgencyKind.POLICE_STATION,
                parent=self.bureau, area=t, one_stop_since=ONE_STOP.get(t.code))
        self.township_of = {s.pk: t for t in self.townships for s in [self.stations[t.code]]}
        audit_batch(self.bureau, f"{BUREAU_NAME}机关部门{len(self.depts)}个、派出所{len(self.stations)}个",
                    {"departments": len(self.depts), "stations": len(self.stations)})

    def other_station(self, station: Agency) -> Agency:
        return self.rng.choice([s for s in self.stations.values() if s.pk != station.pk])

    # -- 机关 -----------------------------------------------------------------------------------
    def headquarters(self) -> None:
        rng = self.rng
        for i, title in enumerate(BUREAU_LEADERS):
            sy = rng.randint(1994, 2004)
            first = self.stations[rng.choice(list(STATIONS))]
            dept = rng.choice(list(self.depts.values()))
            self.add(career(self.person(sy, male_share=0.9 if i else 1.0), category=POLICE, note=title, segments=[
                (first, year_day(rng, sy, 7, 9), "参加工作"),
                (dept, year_day(rng, sy + rng.randint(5, 9)), ""),
                (self.bureau, year_day(rng, rng.randint(2017, 2022)), title),
            ]))
        for name, officers, auxiliaries in HQ_DEPARTMENTS:
            dept = self.depts[name]
            for n in range(officers + auxiliaries):
                category = POLICE if n < officers else AUX
                sy = rng.randint(2005, 2021) if category == POLICE else rng.randint(2012, 2021)
                start = year_day(rng, sy, 3, 9)
                title = (HQ_HEAD_TITLE.get(name, "大队长") if n == 0 else "") if category == POLICE else ""
                pattern = rng.random()
                if pattern < 0.15:  # 机关 since joining: no grassroots experience
                    segments = [(dept, start, "参加工作")]
                elif pattern < 0.3:  # about a year at a station, then 机关: under 2 years
                    station = self.stations[rng.choice(list(STATIONS))]
                    segments = [(station, start, "参加工作"), (dept, start + dt.timedelta(days=rng.randint(200, 600)), "")]
                else:  # 3 to 8 years at stations first
                    station = self.stations[rng.choice(list(STATIONS))]
                    years = rng.randint(3, max(3, min(8, 2023 - sy)))
                    segments = [(station, start, "参加工作"), (dept, start + dt.timedelta(days=365 * years + 30), "")]
                self.add(career(self.person(sy, male_share=0.75), category=category, segments=segments, note=title))

    # -- 派出所 --------------------------------------------------------------------------------
    def stations_staff(self) -> None:
        rng = self.rng
        self.chiefs: dict[str, Career] = {}
        self.community: dict[str, list[Career]] = {code: [] for code in STATIONS}
        for t in self.townships:
            station, (_, n_community, n_duty) = self.stations[t.code], STATIONS[t.code]
            share = self.mongol_share(t)
            sy = rng.randint(2003, 2011)
            self.chiefs[t.code] = self.add(career(self.person(sy, mongol_share=share, male_share=0.9), category=POLICE,
                                                  note="所长", segments=[
                (self.other_station(station), year_day(rng, sy, 7, 9), "参加工作"),
                (rng.choice(list(self.depts.values())), year_day(rng, sy + rng.randint(3, 6)), ""),
                (station, year_day(rng, rng.randint(2018, 2022)), "任所长"),
            ]))
            sy = rng.randint(2008, 2015)
            self.add(career(self.person(sy, mongol_share=share), category=POLICE, note="教导员",
                            segments=[(station, year_day(rng, sy, 7, 9), "参加工作")]))
            for _ in range(n_community):
                sy = rng.randint(2010, 2022)
                start = year_day(rng, sy, 7, 9)
                if rng.random() < 0.3:  # transferred from another station (some during 2024: not 下沉)
                    moved = day(rng, start + dt.timedelta(days=700), dt.date(2024, 10, 31))
                    segments = [(self.other_station(station), start, "参加工作"), (station, moved, "所际交流")]
                else:
                    segments = [(station, start, "参加工作")]
                self.community[t.code].append(self.add(
                    career(self.person(sy, mongol_share=share), category=POLICE, note="社区民警", segments=segments)))
            for _ in range(n_duty):
                sy = rng.randint(2014, 2022)
                self.add(career(self.person(sy, mongol_share=share, male_share=0.7), category=AUX,
                                segments=[(station, year_day(rng, sy, 3, 9), "参加工作")]))

    def moves(self) -> None:
        """机关警力下沉: HQ people whose next posting is at a station."""
        rng = self.rng
        codes = itertools.cycle(sorted(STATIONS, key=lambda c: -len(self.villages[self._township(c).pk])))
        for batches, year in ((MOVES_2024, 2024), (MOVES_2023, 2023)):
            for moved, how_many in batches:
                for n in range(how_many):
                    code = next(codes)
                    station, township = self.stations[code], self._township(code)
                    category = POLICE if n % 3 != 2 else AUX
                    sy = rng.randint(2012, year - 3)
                    start = year_day(rng, sy, 3, 9)
                    dept = rng.choice(list(self.depts.values()))
                    if rng.random() < 0.3 and sy <= year - 5:
                        segments = [(self.other_station(station), start, "参加工作"),
                                    (dept, start + dt.timedelta(days=rng.randint(400, 700)), ""),
                                    (station, moved, "机关警力下沉")]
                    else:
                        segments = [(dept, start, "参加工作"), (station, moved, "机关警力下沉")]
                    c = self.add(career(self.person(sy, mongol_share=self.mongol_share(township)), category=category,
                                        segments=segments, note="机关下沉"))
                    if category == POLICE:
                        self.community[code].append(c)

    def recruits(self) -> None:
        codes = itertools.cycle(sorted(STATIONS))
        for year, batches in RECRUITS.items():
            for category, start, how_many in batches:
                for _ in range(how_many):
                    code = next(codes)
                    self.add(career(self.person(year, mongol_share=self.mongol_share(self._township(code)),
                                                male_share=0.7), category=category, note=f"{year}年新招录",
                                    segments=[(self.stations[code], start, "新招录，首岗派出所")]))

    def _township(self, code: str) -> Area:
        return next(t for t in self.townships if t.code == code)

    # -- 一村一警 --------------------------------------------------------------------------------
    def village_officers(self) -> None:
        rng = self.rng
        admin = [(t, v) for t in self.townships for v in self.villages[t.pk] if v.kind in ADMIN_VILLAGE_KINDS]
        handovers = rng.sample(range(len(admin)), sum(n for n, _ in HANDOVERS))
        handover_end: dict[int, dt.date] = {}
        i = 0
        for how_many, last_day in HANDOVERS:
            for _ in range(how_many):
                handover_end[handovers[i]] = last_day or year_day(rng, 2023, 2, 11)
                i += 1
        for index, (t, v) in enumerate(admin):
            station, share = self.stations[t.code], self.mongol_share(t)
            end = handover_end.get(index)
            if end is not None:
                sy = rng.randint(2014, 2019)
                start = year_day(rng, sy, 3, 9)
                before = self.add(career(self.person(sy, mongol_share=share), category=AUX, note="原驻村辅警",
                                         segments=[(station, start, "参加工作")]))
                self.assignments.append(VillageAssignment(staff=before.staff, village=v, role=AssignmentRole.AUXILIARY,
                                                          start=max(start, dt.date(2019, 1, 1)), end=end))
            if end is not None and end.year == 2024:
                start = HANDOVER_RECRUIT_START
                c = self.add(career(self.person(2024, mongol_share=share), category=AUX, area=v,
                                    note="驻村辅警(2024年新招录)", segments=[(station, start, "新招录，首岗派出所")]))
            else:
                sy = rng.randint(2015, 2022)
                start = year_day(rng, sy, 3, 9)
                c = self.add(career(self.person(sy, mongol_share=share), category=AUX, area=v, note="驻村辅警",
                                    segments=[(station, start, "参加工作")]))
            begin = end + dt.timedelta(days=1) if end else day(rng, max(start, dt.date(2019, 3, 1)), dt.date(2024, 4, 30))
            self.assignments.append(VillageAssignment(staff=c.staff, village=v, role=AssignmentRole.AUXILIARY,
                                                      start=max(begin, start)))

    def part_time(self) -> tuple[list[Staff], list[tuple]]:
        rng = self.rng
        units = [(t, v) for t in self.townships for v in self.villages[t.pk]]
        others = [u for u in units if u[1].kind not in ADMIN_VILLAGE_KINDS]
        admin = [u for u in units if u[1].kind in ADMIN_VILLAGE_KINDS]
        chosen = rng.sample(others, PART_TIME_OUTSIDE_ADMIN_VILLAGES) + rng.sample(
            admin, PART_TIME - PART_TIME_OUTSIDE_ADMIN_VILLAGES)
        ended = rng.sample([u for u in admin if u not in chosen], 2)  # stepped down in 2023
        notes = {AreaKind.VILLAGE: "村委委员兼任", AreaKind.GACHA: "嘎查委员兼任", AreaKind.COMMUNITY: "社区干部兼任",
                 AreaKind.OTHER: "分场职工兼任"}
        staff, pairs = [], []
        for (t, v), end in [(u, None) for u in sorted(chosen, key=lambda u: u[1].code)] + [
                (u, year_day(rng, 2023, 3, 11)) for u in ended]:
            start = day(rng, dt.date(2020, 3, 1), dt.date(2022, 12, 31) if end else dt.date(2024, 9, 30))
            person = self.people.person(banner6=URAT_MIDDLE[:6], born_from=1965, born_to=1995,
                                        mongol_share=self.mongol_share(t), male_share=0.7, local_share=0.95)
            s = make_staff(person, category=StaffCategory.PART_TIME_ASSISTANT, agency=self.stations[t.code], area=v,
                           service_start=start, note=notes.get(v.kind, ""), active=end is None)
            staff.append(s)
            pairs.append((s, v, start, end))
        return staff, pairs

    # -- 所长进班子 -----------------------------------------------------------------------------
    def team_seats(self) -> None:
        rng = self.rng
        free = {t.code: rng.sample(self.villages[t.pk], len(self.villages[t.pk])) for t in self.townships}

        def seat(c: Career, area: Area, start: dt.date, end: dt.date | None = None) -> None:
            self.seats.append(TeamSeat(staff=c.staff, area=area, position=_seat_title(area), start=start, end=end))

        def since(c: Career, latest: dt.date) -> dt.date:
            begin = max(c.segments[-1][1] + dt.timedelta(days=30), dt.date(2021, 1, 1))
            return day(rng, min(begin, latest), latest)

        seated = 0
        for code in SEAT_TOWNSHIPS:
            chief, township = self.chiefs[code], self._township(code)
            start = since(chief, dt.date(2023, 6, 30))
            seat(chief, township, start)
            seat(chief, free[code].pop(0), start)
            seated += 1
        queues = {code: list(self.community[code]) for code in STATIONS}
        while seated < VILLAGE_SEATS:
            progress = False
            for code in STATIONS:
                if seated < VILLAGE_SEATS and queues[code] and free[code]:
                    officer = queues[code].pop(0)
                    seat(officer, free[code].pop(0), since(officer, dt.date(2024, 12, 20)))
                    seated += 1
                    progress = True
            if not progress:
                raise RuntimeError("not enough officers or villages for the team seats")
        # Seats outside 2024, so the year matters: two ended in 2023, two begin in 2025.
        spare = [(code, c) for code in STATIONS for c in queues[code]]
        for start, end in ((dt.date(2021, 3, 1), dt.date(2023, 6, 30)), (dt.date(2021, 3, 1), dt.date(2023, 12, 31)),
                           (dt.date(2025, 3, 1), None), (dt.date(2025, 4, 15), None)):
            fits = [(code, c) for code, c in spare if free[code] and c.segments[-1][1] < start]
            code, officer = fits[rng.randrange(len(fits))]
            spare.remove((code, officer))
            seat(officer, free[code].pop(0), start, end)

    # -- rooms ---------------------------------------------------------------------------------
    def rooms(self) -> list[PoliceRoom]:
        rng = self.rng
        by_code = {v.code: (t, v) for t in self.townships for v in self.villages[t.pk]}
        rows = []
        for code in HIGH_STANDARD_ROOMS:
            t, v = by_code[code]
            rows.append(PoliceRoom(name=f"{v.short_name}高标准警务室", village=v, station=self.stations[t.code],
                                   high_standard=True, opened=year_day(rng, rng.choice((2022, 2023)))))
        for tcode in ORDINARY_ROOM_TOWNSHIPS + (CLOSED_ROOM_TOWNSHIP,):
            t = self._township(tcode)
            v = next(x for x in self.villages[t.pk] if x.kind in ADMIN_VILLAGE_KINDS and x.code not in HIGH_STANDARD_ROOMS)
            closed = year_day(rng, 2023, 5, 10) if tcode == CLOSED_ROOM_TOWNSHIP else None
            rows.append(PoliceRoom(name=f"{v.short_name}警务室", village=v, station=self.stations[t.code],
                                   opened=year_day(rng, rng.randint(2016, 2021)), closed=closed))
        return rows


def build(ctx: DemoContext) -> dict[str, int]:
    b = _Builder(ctx)
    b.agencies()
    b.headquarters()
    b.stations_staff()
    b.moves()
    b.recruits()
    b.village_officers()
    part_time_staff, part_time_pairs = b.part_time()
    b.team_seats()
    staff, postings = save_careers(b.careers)
    Staff.objects.bulk_create(part_time_staff)
    b.assignments += [VillageAssignment(staff=s, village=v, role=AssignmentRole.PART_TIME, start=start, end=end)
                      for s, v, start, end in part_time_pairs]
    assignments = VillageAssignment.objects.bulk_create(b.assignments)
    seats = TeamSeat.objects.bulk_create(b.seats)
    rooms = PoliceRoom.objects.bulk_create(b.rooms())
    counts = {"民辅警及兼职警务助理": len(staff) + len(part_time_staff), "任职经历": len(postings),
              "驻村警务": len(assignments), "进班子": len(seats), "警务室": len(rooms)}
    audit_batch(b.bureau, f"{BUREAU_NAME}人员、任职经历、驻村警务、进班子、警务室", counts)
    return counts


STEP = DemoStep("police", "乌拉特中旗公安局：机关、派出所、民辅警、一村一警、进班子", is_present, build)
