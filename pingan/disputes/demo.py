"""Demo data of 乌拉特中旗 for 2024: field visits (走访), the hazards they found (隐患) and the disputes
(矛盾纠纷) of the year with their whole closed loop, for a banner of about 140,000 people.

Deterministic (``random.Random(2024)``) and idempotent (nothing is built when the 2024 disputes of
the banner are already there). The rules are the application's own: time limits and deadline moves
from ``pingan.disputes.rules``, threats in the text from ``pingan.disputes.warning``; a dispute is
raised on the same signals the live system uses, with the reason in words. When the incidents demo
has loaded 2024 incidents, a share of the disputes start from its 纠纷 incidents (the caller as the
applicant) and the parties' later calls are linked and raise the risk, as the live signal does.

Volumes, from what a banner of this size sees in a year: about 4,600 visits by the community police
with judicial-office staff and grid workers (roughly one a day per station, more in the town), one
in nine finding a hazard; about 700 disputes (5 per 1,000 people), most settled within their time
limit, some late, a few still open, some raised by signals. The stations, judicial offices and
people of the foundation demo are used; what is missing (the judicial offices of 乌拉特中旗 and their
mediators) is created.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pingan.areas.models import Area, AreaKind, Level
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.disputes import rules
from pingan.disputes.models import (
    Dispute,
    DisputeIncident,
    DisputeKind,
    DisputeParty,
    DisputeSource,
    DisputeStatus,
    Extension,
    FollowUp,
    Hazard,
    HazardCategory,
    HazardSeverity,
    HazardStatus,
    MediationOutcome,
    MediationSession,
    Notification,
    NotificationKind,
    PartyRole,
    PlaceKind,
    RiskChange,
    RiskLevel,
    RiskSignal,
    StatusChange,
    Supervision,
    Visit,
)
from pingan.disputes.services import HAZARD_DAYS, normalise_phone
from pingan.disputes.warning import threat_level
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory, VillageAssignment

BANNER = "150824000000"  # 乌拉特中旗
YEAR = 2024
SEED = 2024
VISITS = 4600
DISPUTES_OTHER_THAN_VISITS = 470  # plus the leads visits find (about 230)
LATEST = dt.date(2025, 3, 31)  # the loop of a late-2024 dispute may run into early 2025, never later
S = DisputeStatus
AUDIT_LOGIN = "demo"


def is_present() -> bool:
    return Dispute.objects.filter(number__startswith=f"{BANNER[:6]}JF{YEAR}").exists()


def build(stdout=None, *, scale: float = 1.0) -> None:
    """Load the 2024 disputes, visits and hazards of 乌拉特中旗 (``scale`` < 1 for quick tests)."""

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    banner = Area.objects.filter(code=BANNER).first()
    if banner is None:
        say("矛盾纠纷演示数据：未找到乌拉特中旗辖区（先运行 pingan areas load --banner 150824），跳过")
        return
    if is_present():
        say("矛盾纠纷演示数据：已存在，跳过")
        return
    with transaction.atomic():
        counts = _Builder(banner, scale).run()
    say("矛盾纠纷演示数据：" + "，".join(f"{k}{v}" for k, v in counts.items()))


# ---- text ---------------------------------------------------------------------------------------

KIND_WEIGHTS = ((DisputeKind.LAND, 24), (DisputeKind.NEIGHBOUR, 20), (DisputeKind.MARRIAGE, 16),
                (DisputeKind.DEBT, 11), (DisputeKind.LABOUR, 9), (DisputeKind.DAMAGES, 9), (DisputeKind.CONTRACT, 5),
                (DisputeKind.EXPROPRIATION, 3), (DisputeKind.OTHER, 3))
TITLES = {
    DisputeKind.LAND: ("{a}与{b}因草场界址不清发生争执", "{a}反映{b}越界放牧，啃食其承包草场", "两户因草场围栏位置发生纠纷",
                       "{a}与{b}因草场流转费用未付发生纠纷", "{a}与{b}因承包地边界发生争执"),
    DisputeKind.NEIGHBOUR: ("{a}与邻居{b}因院墙界址发生纠纷", "{a}与{b}因排水沟走向发生争执", "{a}家的狗咬伤{b}家羊羔引发纠纷",
                            "{a}与{b}因房前通道被占发生矛盾", "{a}与{b}因牲畜粪便堆放发生口角"),
    DisputeKind.MARRIAGE: ("{a}与{b}因家庭琐事发生矛盾", "{a}与{b}离婚财产分割纠纷", "兄弟间因赡养老人费用分担发生争执",
                           "{a}与{b}因子女抚养费发生纠纷"),
    DisputeKind.DEBT: ("{a}向{b}借款{m}元逾期未还", "{a}赊购{b}饲草料欠款{m}元未付", "{a}与{b}因合伙养殖分账发生纠纷"),
    DisputeKind.LABOUR: ("{c}拖欠{n}名工人工资约{w}万元", "牧民{b}拖欠雇工{a}放牧工资{m}元", "{c}拖欠{n}名农民工劳务费"),
    DisputeKind.DAMAGES: ("{b}的羊群啃食{a}的青苗", "{a}的牛被{b}驾驶的车辆撞死，赔偿有争议", "{a}与{b}因放火烧荒殃及草场索赔"),
    DisputeKind.CONTRACT: ("{a}与{b}草场租赁合同纠纷", "{a}与{b}农机作业费结算纠纷", "{a}与{b}牲畜买卖合同纠纷"),
    DisputeKind.EXPROPRIATION: ("{a}对{p}征地补偿标准有异议", "{a}对道路拓宽占地补偿有异议"),
    DisputeKind.OTHER: ("{a}与{b}因饮水井使用发生纠纷", "{a}反映矿区粉尘影响放牧引发纠纷"),
}
DESCRIPTIONS = ("双方多次协商未果，村委会已介入。", "当事人情绪尚稳定，希望尽快调解。", "双方各执一词，需实地查看。",
                "涉及多年遗留问题，需调取合同等材料。", "当事人要求村委会出面协调。")
THREATS = ("当事人情绪激动，扬言要同归于尽", "{a}称不解决就喝农药", "双方发生推搡，{b}打人", "{a}扬言要报复对方",
           "{a}拿刀威胁对方", "{a}称不解决就去旗里上访", "{a}称不解决就上访", "对方多次堵门滋扰",
           "{b}多次打电话威胁{a}")
PROJECTS = ("光伏电站项目", "风电场项目", "国道改扩建工程", "输变电工程", "矿区道路工程")
COMPANIES = ("乌拉特中旗恒达建筑工程有限公司", "巴彦淖尔市宏泰矿业有限公司", "乌拉特中旗鑫源砂石料场",
             "内蒙古北方路桥工程有限公司乌中旗项目部", "乌拉特中旗兴农牧业专业合作社")
PLACE_KINDS = ((PlaceKind.VILLAGE, 45), (PlaceKind.ENTERPRISE, 15), (PlaceKind.SITE, 10), (PlaceKind.SCHOOL, 10),
               (PlaceKind.COMMUNITY, 14), (PlaceKind.OTHER, 6))
ENTERPRISES = ("砂石料场", "养殖专业合作社", "加油站", "超市", "饭店", "洗煤厂", "物流公司", "饲草料加工厂", "汽修厂", "宾馆")
SITES = ("光伏电站施工现场", "风电场施工现场", "道路工程工地", "安置房建设工地", "水利工程工地")
SCHOOLS = ("中心校", "第一小学", "幼儿园", "民族小学")
OTHERS = ("卫生室", "敖包祭祀点", "集贸市场", "客运站", "党群服务中心")
NOTHING = ("未发现异常", "群众反映平稳，宣传反诈知识", "发放法律明白纸，解答法律咨询", "检查消防器材，正常",
           "了解生产经营情况，无矛盾纠纷", "走访留守老人，生活正常")
HAZARDS = {
    PlaceKind.ENTERPRISE: ((HazardCategory.FIRE, "灭火器过期，安全出口堆放杂物"), (HazardCategory.PRODUCTION, "配电箱无防护，电线私拉乱接"),
                           (HazardCategory.FOOD_DRUG, "货架有过期食品"), (HazardCategory.FIRE, "仓库电动车违规充电")),
    PlaceKind.SITE: ((HazardCategory.PRODUCTION, "高处作业未系安全带"), (HazardCategory.TRAFFIC, "施工车辆占道无警示标志"),
                     (HazardCategory.PRODUCTION, "基坑未设防护栏")),
    PlaceKind.SCHOOL: ((HazardCategory.CAMPUS, "校门口无减速带"), (HazardCategory.CAMPUS, "围墙破损"),
                       (HazardCategory.FIRE, "宿舍楼消防通道堵塞")),
    PlaceKind.VILLAGE: ((HazardCategory.FIRE, "柴草堆放紧邻住房"), (HazardCategory.NATURAL, "房屋墙体开裂，雨季有坍塌风险"),
                        (HazardCategory.TRAFFIC, "村道急弯无警示标志"), (HazardCategory.FIRE, "燃煤取暖烟道未清理，有中毒风险")),
    PlaceKind.COMMUNITY: ((HazardCategory.FIRE, "楼道堆放杂物"), (HazardCategory.ORDER, "小区监控损坏"),
                          (HazardCategory.FIRE, "电动车入户充电")),
    PlaceKind.OTHER: ((HazardCategory.FIRE, "灭火器缺失"), (HazardCategory.ORDER, "人员聚集场所无安保")),
}
EXTENSION_REASONS = ("当事人外出务工，需待其返乡后调解", "需等待草场确权资料", "涉及多户，需分别做工作",
                     "需司法鉴定损失金额", "当事人住院治疗")
SUPERVISION_NOTES = ("已超期，请抓紧组织调解并反馈进展", "该纠纷风险较高，请所长亲自过问，三日内反馈",
                     "请会同司法所联合化解，防止矛盾激化")


def _month_weight(kind: str, month: int) -> float:
    """Seasonal: grassland and land disputes in spring and summer, wages at year end, families
    around the Spring Festival."""
    if kind in (DisputeKind.LAND, DisputeKind.DAMAGES):
        return 2.0 if month in (4, 5, 6, 7) else 1.0
    if kind == DisputeKind.LABOUR:
        return 3.0 if month in (1, 11, 12) else 1.0
    if kind == DisputeKind.MARRIAGE:
        return 2.0 if month in (1, 2) else 1.0
    return 1.0


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _office_hours(at: dt.datetime) -> dt.datetime:
    """People mediate, call back and close files between 8:00 and 19:59."""
    local = timezone.localtime(at)
    if local.hour < 8:
        return local.replace(hour=8 + local.hour % 3)
    if local.hour >= 20:
        return local.replace(hour=17 + local.hour % 3)
    return local


@dataclass
class _Plan:
    """One dispute's life, planned before any row is written."""

    dispute: Dispute
    parties: list[DisputeParty]
    risk: int
    deadline: dt.date
    status: str = S.REGISTERED
    changes: list[RiskChange] = field(default_factory=list)
    statuses: list[StatusChange] = field(default_factory=list)
    links: list[DisputeIncident] = field(default_factory=list)
    sessions: list[MediationSession] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)
    supervisions: list[Supervision] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


class _Builder:
    def __init__(self, banner: Area, scale: float):
        from pingan.demo.base import DemoContext

        self.rng = random.Random(SEED)
        self.people = DemoContext().people("disputes")
        self.scale = scale
        self.banner = banner
        self.today = timezone.localdate()
        self.townships = list(banner.children.filter(level=Level.TOWNSHIP).order_by("code"))
        villages = list(Area.objects.filter(path__startswith=banner.path, level=Level.VILLAGE).order_by("code"))
        self.villages = {t.pk: [v for v in villages if v.parent_id == t.pk] for t in self.townships}
        self.all_villages = [v for t in self.townships for v in self.villages[t.pk]]
        self.township_of = {v.pk: t for t in self.townships for v in self.villages[t.pk]}
        self.counts: dict[str, int] = {}

    # ---- people and units -------------------------------------------------------------------

    def _person(self, born_from=1960, born_to=1998, **kw):
        return self.people.person(banner6=BANNER[:6], born_from=born_from, born_to=born_to, **kw)

    def _staff(self, person, *, category, agency, area, note="") -> Staff:
        from pingan.demo.base import make_staff

        return make_staff(person, category=category, agency=agency, area=area,
                          service_start=dt.date(self.rng.randint(2008, 2022), 3, 1), note=note)

    def organisation(self) -> None:
        """Stations, judicial offices, their people and mediators: found, or made if missing."""
        made: list[Staff] = []
        self.stations: dict[int, Agency] = {}
        self.offices: dict[int, Agency] = {}
        bureau = Agency.objects.filter(kind=AgencyKind.JUSTICE_BUREAU, area=self.banner).first()
        for t in self.townships:
            stem = t.short_name.removesuffix("苏木").removesuffix("镇").removesuffix("乡")
            station = Agency.objects.filter(kind=AgencyKind.POLICE_STATION, area=t).order_by("pk").first()
            if station is None:
                station = Agency.objects.create(name=f"乌拉特中旗公安局{stem}派出所", short_name=f"{stem}派出所",
                                                kind=AgencyKind.POLICE_STATION, area=t)
            self.stations[t.pk] = station
            office = Agency.objects.filter(kind=AgencyKind.JUDICIAL_OFFICE, area=t).order_by("pk").first()
            if office is None:
                if bureau is None:
                    bureau = Agency.objects.create(name="乌拉特中旗司法局", short_name="司法局",
                                                   kind=AgencyKind.JUSTICE_BUREAU, area=self.banner)
                office = Agency.objects.create(name=f"乌拉特中旗司法局{stem}司法所", short_name=f"{stem}司法所",
                                               kind=AgencyKind.JUDICIAL_OFFICE, parent=bureau, area=t)
            self.offices[t.pk] = office
            if not Staff.objects.filter(agency=office, category=StaffCategory.JUSTICE_STAFF).exists():
                for title in ("所长", "司法助理员"):
                    made.append(self._staff(self._person(1975, 1995, male_share=0.55), note=title, agency=office,
                                            category=StaffCategory.JUSTICE_STAFF, area=t))
            if not Staff.objects.filter(agency=station, category__in=(StaffCategory.POLICE_OFFICER,
                                                                      StaffCategory.AUXILIARY)).exists():
                for note in ("社区民警", "社区民警"):
                    made.append(self._staff(self._person(1980, 1998, male_share=0.85), note=note, agency=station,
                                            category=StaffCategory.POLICE_OFFICER, area=t))
            if not Staff.objects.filter(category=StaffCategory.MEDIATOR, area__path__startswith=t.path).exists():
                villages = self.villages[t.pk]
                for v in sorted(self.rng.sample(villages, max(1, len(villages) // 3)), key=lambda a: a.code):
                    committee = "嘎查" if v.kind == AreaKind.GACHA else "社区" if v.kind == AreaKind.COMMUNITY else "村"
                    made.append(self._staff(self._person(1958, 1985, male_share=0.65), category=StaffCategory.MEDIATOR,
                                            agency=office, area=v, note=f"{v.short_name}人民调解委员会{committee}调解员"))
        Staff.objects.bulk_create(made)
        self.counts["新增司法所人员和人民调解员"] = len(made)

        def by_township(qs) -> dict[int, list[Staff]]:
            out: dict[int, list[Staff]] = defaultdict(list)
            for s in qs.select_related("area").order_by("pk"):
                t = next((t for t in self.townships if s.area.path.startswith(t.path)), None)
                if t is not None:
                    out[t.pk].append(s)
            return out

        active = Staff.objects.filter(active=True, area__path__startswith=self.banner.path)
        self.police = by_township(active.filter(agency__kind=AgencyKind.POLICE_STATION,
                                                category__in=(StaffCategory.POLICE_OFFICER, StaffCategory.AUXILIARY)))
        self.justice = by_township(active.filter(agency__kind=AgencyKind.JUDICIAL_OFFICE))
        self.mediators = by_township(active.filter(category__in=(StaffCategory.MEDIATOR, StaffCategory.LEGAL_LITERATE,
                                                                 StaffCategory.LEGAL_ADVISER)))
        self.grid: dict[int, list[Staff]] = defaultdict(list)
        for s in active.filter(category=StaffCategory.GRID_WORKER).select_related("area"):
            village = s.area.parent_id if s.area.level == Level.GRID else s.area_id
            self.grid[village].append(s)
        self.village_police: dict[int, Staff] = {}
        for a in (VillageAssignment.objects.filter(village__path__startswith=self.banner.path, end__isnull=True)
                  .select_related("staff").order_by("pk")):
            self.village_police.setdefault(a.village_id, a.staff)
        from pingan.accounts.models import User

        self.user_of = {u.staff_id: u for u in User.objects.filter(staff__isnull=False)}
        self.leader = User.objects.filter(username="zhihui").first()

    # ---- dates and places -------------------------------------------------------------------

    def _day(self, weights=None) -> dt.date:
        rng = self.rng
        while True:
            month = rng.choices(range(1, 13), weights=weights)[0] if weights else rng.randint(1, 12)
            day = dt.date(YEAR, month, 1) + dt.timedelta(days=rng.randrange(28 if month == 2 else 30))
            if day.weekday() < 5 or rng.random() < 0.25:  # mostly working days
                return day

    def _village(self, township: Area | None = None) -> Area:
        pool = self.villages[township.pk] if township else self.all_villages
        return self.rng.choices(pool, weights=[max(v.population or 800, 200) for v in pool])[0]

    def _place(self, village: Area, kind: str) -> str:
        rng, t = self.rng, self.township_of[village.pk]
        stem = t.short_name.removesuffix("苏木").removesuffix("镇")
        if kind == PlaceKind.ENTERPRISE:
            return f"{village.short_name.removesuffix('村民委员会')}{rng.choice(ENTERPRISES)}"
        if kind == PlaceKind.SITE:
            return f"{stem}{rng.choice(SITES)}"
        if kind == PlaceKind.SCHOOL:
            return f"{stem}{rng.choice(SCHOOLS)}"
        if kind == PlaceKind.COMMUNITY:
            return f"{village.short_name}{rng.randint(1, 12)}号楼" if village.kind == AreaKind.COMMUNITY \
                else f"{village.short_name}党群服务中心"
        if kind == PlaceKind.OTHER:
            return f"{stem}{rng.choice(OTHERS)}"
        return f"{self._person().name}家{'牧户' if village.kind == AreaKind.GACHA else '农户'}"

    def _team(self, village: Area) -> list[Staff]:
        rng, t = self.rng, self.township_of[village.pk]
        team = []
        officer = self.village_police.get(village.pk)
        if officer is None or rng.random() < 0.35:
            officer = rng.choice(self.police[t.pk]) if self.police.get(t.pk) else officer
        if officer is not None:
            team.append(officer)
        if rng.random() < 0.5 and (self.justice.get(t.pk) or self.mediators.get(t.pk)):
            team.append(rng.choice(self.justice.get(t.pk) or self.mediators[t.pk]))
        if self.grid.get(village.pk) and rng.random() < 0.85:
            team.append(rng.choice(self.grid[village.pk]))
        return list(dict.fromkeys(team)) or [rng.choice(self.justice[t.pk])]

    # ---- visits and hazards -----------------------------------------------------------------

    def visits(self) -> None:
        rng = self.rng
        n = round(VISITS * self.scale)
        # Roughly one visit a day per station, more in the town (海流图镇 is about a third of the people).
        weights = [max(t.population or 0, 3000) ** 0.7 for t in self.townships]
        plans: list[tuple[Visit, list[Staff], bool, tuple | None]] = []
        for _ in range(n):
            t = rng.choices(self.townships, weights=weights)[0]
            village = self._village(t)
            kind = rng.choices([k for k, _ in PLACE_KINDS], weights=[w for _, w in PLACE_KINDS])[0]
            if kind == PlaceKind.COMMUNITY and village.kind != AreaKind.COMMUNITY and rng.random() < 0.7:
                kind = PlaceKind.VILLAGE
            team = self._team(village)
            lead = rng.random() < 0.05
            hazard = rng.choice(HAZARDS[kind]) if rng.random() < 0.11 else None
            findings = rng.choice(NOTHING) if not (lead or hazard) else "；".join(
                x for x in ("发现矛盾纠纷线索" if lead else "", f"发现隐患：{hazard[1]}" if hazard else "") if x)
            logger = next((self.user_of[s.pk] for s in team if s.pk in self.user_of), None)
            visit = Visit(area=village, place_kind=kind, place_name=self._place(village, kind), visited_on=self._day(),
                          findings=findings, logged_by=logger)
            plans.append((visit, team, lead, hazard))
        plans.sort(key=lambda p: (p[0].visited_on, p[0].area.code))
        visits = Visit.objects.bulk_create([p[0] for p in plans], batch_size=1000)
        Through = Visit.team.through
        Through.objects.bulk_create([Through(visit_id=v.pk, staff_id=s.pk) for v, (_, team, _, _) in
                                     zip(visits, plans, strict=True) for s in team], batch_size=2000)
        self.leads = [v for v, p in zip(visits, plans, strict=True) if p[2]]
        hazards = [self._hazard(v, p[3]) for v, p in zip(visits, plans, strict=True) if p[3]]
        Hazard.objects.bulk_create(hazards, batch_size=1000)
        self.counts["走访"] = len(visits)
        self.counts["隐患"] = len(hazards)
        self.counts["超期未整改隐患"] = sum(1 for h in hazards if h.status == HazardStatus.OPEN)

    def _hazard(self, visit: Visit, found: tuple) -> Hazard:
        rng = self.rng
        category, text = found
        severity = rng.choices(HazardSeverity.values, weights=(75, 20, 5))[0]
        deadline = visit.visited_on + dt.timedelta(days=HAZARD_DAYS[HazardSeverity(severity)])
        h = Hazard(area=visit.area, visit=visit, place_kind=visit.place_kind, place_name=visit.place_name,
                   category=category, severity=severity, description=text, found_on=visit.visited_on,
                   found_by=visit.logged_by, deadline=deadline,
                   responsible=visit.place_name if visit.place_kind != PlaceKind.VILLAGE else "户主及村委会")
        roll = rng.random()
        if roll < 0.96:
            limit = (deadline - visit.visited_on).days
            days = rng.randint(1, limit) if roll < 0.9 else limit + rng.randint(3, 40)
            done = min(visit.visited_on + dt.timedelta(days=days), self.today, LATEST)
            h.status, h.rectified_on, h.rectified_by = HazardStatus.RECTIFIED, done, visit.logged_by
            h.evidence = rng.choice(("已整改，现场复查合格", "已更换，留存照片", "责任单位已整改到位，复查销号"))
        return h

    # ---- disputes ---------------------------------------------------------------------------

    def incidents(self) -> None:
        """2024 incidents of the banner (from the incidents demo, if it ran): 纠纷 ones to start from,
        and every call indexed by phone for the repeat signal."""
        from pingan.incidents.models import Incident

        qs = Incident.objects.filter(banner=self.banner, received_at__year=YEAR).exclude(caller_phone="")
        self.calls: dict[str, list] = defaultdict(list)
        dispute_calls = []
        for inc in qs.select_related("area", "category__parent").order_by("received_at", "pk"):
            self.calls[normalise_phone(inc.caller_phone)].append(inc)
            top = inc.category.parent or inc.category
            if top.name == "纠纷" and inc.area.level == Level.VILLAGE and len(inc.caller_name or "") >= 2:
                dispute_calls.append(inc)
        self.call_times = {p: [i.received_at for i in calls] for p, calls in self.calls.items()}
        share = min(len(dispute_calls), round(240 * self.scale))
        self.sources = sorted(self.rng.sample(dispute_calls, share), key=lambda i: i.received_at) if share else []

    def _parties(self, kind: str, village: Area, caller=None) -> tuple[list[DisputeParty], dict]:
        rng = self.rng
        mongol = 0.65 if village.kind == AreaKind.GACHA else 0.25
        a = self._person(mongol_share=mongol, male_share=0.6)
        b = self._person(mongol_share=mongol, male_share=0.6)
        names = {"a": caller.caller_name if caller else a.name, "b": b.name, "m": rng.randrange(3, 80) * 1000,
                 "n": 0, "w": 0, "c": rng.choice(COMPANIES), "p": rng.choice(PROJECTS)}
        first = DisputeParty(name=names["a"], role=PartyRole.APPLICANT,
                             phone=normalise_phone(caller.caller_phone) if caller else a.phone,
                             id_number="" if caller or rng.random() < 0.6 else a.id_number)
        parties = [first]
        if kind == DisputeKind.LABOUR and rng.random() < 0.6:
            names["n"] = rng.choice((3, 4, 6, 8, 12, 15, 23, 36))
            names["w"] = round(names["n"] * rng.uniform(0.6, 2.5), 1)
            parties.append(DisputeParty(name=names["c"], role=PartyRole.RESPONDENT))
        elif kind != DisputeKind.EXPROPRIATION:
            parties.append(DisputeParty(name=b.name, role=PartyRole.RESPONDENT, phone=b.phone,
                                        id_number=b.id_number if rng.random() < 0.4 else ""))
        return parties, names

    def _spec(self, source: str, *, village: Area, when: dt.datetime, caller=None, visit=None, reporter=None) -> _Plan:
        rng = self.rng
        kind = rng.choices([k for k, _ in KIND_WEIGHTS],
                           weights=[w * _month_weight(k, when.month) for k, w in KIND_WEIGHTS])[0]
        parties, names = self._parties(kind, village, caller)
        title = rng.choice(TITLES[kind]).format(**names)[:100]
        description = rng.choice(DESCRIPTIONS)
        if rng.random() < 0.07:
            description = rng.choice(THREATS).format(**names) + "。" + description
        estimate = rng.choices(RiskLevel.values, weights=(75, 20, 4, 1))[0]
        on = timezone.localdate(when)
        d = Dispute(title=title, description=description, kind=kind, source=source, source_incident=caller,
                    source_visit=visit, reporter=reporter, area=village, people_involved=names["n"],
                    amount=Decimal(names["m"]) if kind in (DisputeKind.DEBT, DisputeKind.CONTRACT) else None,
                    risk=estimate, risk_reason="登记时初步判断", status=S.REGISTERED, registered_at=when,
                    deadline=rules.initial_deadline(on, estimate))
        plan = _Plan(d, parties, estimate, d.deadline)
        plan.statuses.append(StatusChange(from_status="", to_status=S.REGISTERED, at=when,
                                          note=f"来源：{DisputeSource(source).label}"))
        return plan

    def _raise(self, plan: _Plan, level, *, signal: str, reason: str, at: dt.datetime, incident=None) -> None:
        if level is None or level <= plan.risk or plan.status == S.CLOSED:
            return
        d = plan.dispute
        plan.changes.append(RiskChange(from_risk=plan.risk, to_risk=level, signal=signal, reason=reason[:300], at=at,
                                       incident=incident))
        plan.risk = level
        d.risk_reason = reason[:300]
        plan.deadline = rules.deadline_after_raise(plan.deadline, timezone.localdate(at), level)
        plan.notifications.append(Notification(
            kind=NotificationKind.RISK_RAISED, created_at=at, agency=d.assigned_agency, staff=d.assigned_staff,
            text=f"风险由{RiskLevel(plan.changes[-1].from_risk).label}升为{RiskLevel(level).label}：{reason}"[:300]))

    def _registration_signals(self, plan: _Plan) -> None:
        d, at = plan.dispute, plan.dispute.registered_at
        level, reason = threat_level(f"{d.title}\n{d.description}")
        self._raise(plan, level, signal=RiskSignal.THREAT_WORDS, reason=f"登记内容{reason}", at=at)
        people = max(d.people_involved, len(plan.parties))
        level = rules.head_count_level(people)
        if level is not None:
            self._raise(plan, level, signal=RiskSignal.MANY_PARTIES, at=at,
                        reason=f"涉及讨薪人数{people}人（{rules.MANY_PARTIES}人以上），有引发群体性事件风险")

    def _calls_of(self, plan: _Plan, start: dt.datetime, end: dt.datetime) -> list:
        found = []
        for p in plan.parties:
            phone = p.phone
            if len(phone) < 7 or phone not in self.calls:
                continue
            times = self.call_times[phone]
            for inc in self.calls[phone][bisect.bisect_right(times, start):bisect.bisect_right(times, end)]:
                if inc != plan.dispute.source_incident:
                    found.append((inc, p.name))
        return sorted(found, key=lambda x: x[0].received_at)

    def _link_calls(self, plan: _Plan, until: dt.datetime) -> None:
        """Calls by the parties: in the 30 days before registration and while the dispute is open."""
        d = plan.dispute
        window = dt.timedelta(days=rules.REPEAT_WINDOW_DAYS)
        linked = [d.source_incident] if d.source_incident else []
        for inc, name in self._calls_of(plan, d.registered_at - window, until):
            before = inc.received_at <= d.registered_at
            plan.links.append(DisputeIncident(incident=inc, linked_at=max(inc.received_at, d.registered_at),
                                              reasons=f"报警电话与当事人{name}一致" + ("（登记前）" if before else "")))
            linked.append(inc)
            calls = sum(1 for i in linked if inc.received_at - window <= i.received_at <= inc.received_at)
            at = max(inc.received_at, d.registered_at)
            self._raise(plan, rules.repeat_level(calls - 1), signal=RiskSignal.REPEAT_INCIDENT, incident=inc, at=at,
                        reason=f"当事人{rules.REPEAT_WINDOW_DAYS}天内第{calls}次报警（警情{inc.number}：报警电话与当事人{name}一致）")
            level, reason = threat_level(inc.content or "")
            self._raise(plan, level, signal=RiskSignal.THREAT_WORDS, incident=inc, at=at,
                        reason=f"警情{inc.number}内容{reason}")

    def _handler(self, plan: _Plan) -> tuple[Agency, Staff | None]:
        rng, village = self.rng, plan.dispute.area
        t = self.township_of[village.pk]
        if plan.dispute.kind in (DisputeKind.LABOUR, DisputeKind.DAMAGES) or rng.random() < 0.4:
            officer = self.village_police.get(village.pk) if rng.random() < 0.6 else None
            return self.stations[t.pk], officer
        near = [m for m in self.mediators.get(t.pk, []) if m.area_id == village.pk] or self.mediators.get(t.pk, [])
        staff = rng.choice(near) if near and rng.random() < 0.7 else None
        return self.offices[t.pk], staff

    def _move(self, plan: _Plan, to: str, at: dt.datetime, note: str = "", by=None) -> None:
        plan.statuses.append(StatusChange(from_status=plan.status, to_status=to, at=at, note=note[:300], by=by))
        plan.status = to

    def _life(self, plan: _Plan) -> None:
        """研判定级 → 分派 → 化解 → 回访 → 办结, with the time limits the rules give; some late, some
        extended, a few still open; 督办 on the late and the red ones."""
        rng, d = self.rng, plan.dispute
        at = d.registered_at
        self._registration_signals(plan)
        end_of_demo = _local(min(LATEST, self.today), 18)
        # 研判定级 within a day or two: the assessor confirms the level (never below the signals)
        urgent = plan.risk >= RiskLevel.ORANGE
        graded = at + dt.timedelta(hours=rng.randint(1, 6) if urgent else rng.randint(2, 40))
        level = max(plan.risk, rng.choices(RiskLevel.values, weights=(66, 27, 6, 1))[0])
        if level != plan.risk:
            plan.changes.append(RiskChange(from_risk=plan.risk, to_risk=level, signal=RiskSignal.MANUAL, at=graded,
                                           reason="研判：双方对立情绪较重，需重点关注"))
        plan.risk = level
        plan.deadline = min(plan.deadline, rules.initial_deadline(d.registered_on, level))
        self._move(plan, S.ASSESSED, graded, f"定为{RiskLevel(level).label}色")
        agency, staff = self._handler(plan)
        assigned = graded + dt.timedelta(hours=rng.randint(1, 6) if urgent or level >= RiskLevel.ORANGE
                                         else rng.randint(1, 20))
        d.assigned_agency, d.assigned_staff, d.assigned_at = agency, staff, assigned
        self._move(plan, S.ASSIGNED, assigned, f"分派至{agency}{'（' + staff.name + '）' if staff else ''}")
        plan.notifications.append(Notification(kind=NotificationKind.ASSIGNED, created_at=assigned, agency=agency,
                                               staff=staff, text=f"“{d.title}”已分派，办结时限{plan.deadline:%Y-%m-%d}"))
        # how long mediation takes, against the time limit
        limit = max((plan.deadline - d.registered_on).days, 1)
        roll = rng.random()
        stuck = roll < 0.035  # still unresolved
        late = 0.035 <= roll < 0.17
        days = rng.uniform(0.35, 0.95) * limit if not late else rng.uniform(1.1, 2.0) * limit + 1
        # the whole loop (mediation, 回访, 办结) runs within ``days`` of registration
        closed = max(at + dt.timedelta(days=days), assigned + dt.timedelta(hours=8))
        concluded = _office_hours(assigned + (closed - assigned) * rng.uniform(0.4, 0.75))
        visited = _office_hours(max(concluded + (closed - concluded) * rng.uniform(0.5, 0.9),
                                    concluded + dt.timedelta(hours=1)))
        closed = _office_hours(max(closed, visited + dt.timedelta(minutes=30)))
        self._link_calls(plan, min(concluded, end_of_demo) if not stuck else end_of_demo)
        limit_end = _local(plan.deadline, 18)
        if late and rng.random() < 0.5:  # asked for more time before the deadline
            ext_days = rng.randint(5, 15)
            old = plan.deadline
            plan.deadline = old + dt.timedelta(days=ext_days)
            plan.extensions.append(Extension(days=ext_days, reason=rng.choice(EXTENSION_REASONS), old_deadline=old,
                                             new_deadline=plan.deadline,
                                             at=max(limit_end - dt.timedelta(days=1), assigned)))
        if (late or stuck or plan.risk == RiskLevel.RED) and rng.random() < 0.6:
            when = min(max(_local(plan.deadline, 9) + dt.timedelta(days=rng.randint(1, 4)), assigned),
                       end_of_demo) if (late or stuck) else assigned + dt.timedelta(hours=6)
            answered = rng.random() < 0.8 and not stuck
            by_name = "乌拉特中旗公安局指挥中心" if agency.kind == AgencyKind.POLICE_STATION else "乌拉特中旗司法局"
            s = Supervision(note=rng.choice(SUPERVISION_NOTES), at=when, by=self.leader, by_name=by_name,
                            answer="已组织调解，进展见调解记录" if answered else "",
                            answered_at=when + dt.timedelta(days=rng.randint(1, 3)) if answered else None)
            plan.supervisions.append(s)
            plan.notifications.append(Notification(kind=NotificationKind.SUPERVISED, created_at=when, agency=agency,
                                                   staff=staff, text=f"{by_name}督办：{s.note}"))
        mediator = staff if staff and staff.category != StaffCategory.AUXILIARY else None
        start = assigned + dt.timedelta(hours=rng.randint(4, 48))
        if stuck or concluded > end_of_demo:
            if start < end_of_demo:
                self._session(plan, start, MediationOutcome.FAILED, mediator, first=True)
            return
        if rng.random() < 0.25 and start < concluded - dt.timedelta(days=1):
            self._session(plan, start, MediationOutcome.FAILED, mediator, first=True)
        outcome = rng.choices((MediationOutcome.SUCCESS, MediationOutcome.LITIGATION, MediationOutcome.CASE),
                              weights=(90, 8, 2))[0]
        self._session(plan, concluded, outcome, mediator, first=not plan.sessions)
        d.result = outcome
        if visited > end_of_demo:
            return
        if rng.random() < 0.04:  # the settlement did not hold: back to mediation, settled again
            plan.follow_ups.append(FollowUp(on=timezone.localdate(visited), stable=False, satisfied=False,
                                            note="回访发现双方又起争执"))
            self._move(plan, S.MEDIATING, visited, "回访发现纠纷反复，重新化解")
            d.result = ""
            again = visited + dt.timedelta(days=rng.randint(2, 8))
            if again > end_of_demo:
                return
            self._session(plan, again, MediationOutcome.SUCCESS, mediator, first=False)
            d.result = MediationOutcome.SUCCESS
            visited = again + dt.timedelta(days=rng.randint(3, 10))
            closed = visited + dt.timedelta(hours=rng.randint(1, 48))
            if visited > end_of_demo:
                return
        plan.follow_ups.append(FollowUp(on=timezone.localdate(visited), stable=True, satisfied=rng.random() < 0.95,
                                        method=rng.choice(("电话", "上门")), note="双方已按协议履行，关系缓和"))
        if closed > end_of_demo:
            return
        self._move(plan, S.CLOSED, closed, "化解办结")
        d.closed_at, d.close_note = closed, "化解办结"

    def _session(self, plan: _Plan, at: dt.datetime, outcome: str, mediator, *, first: bool) -> None:
        at = max(at, plan.statuses[-1].at + dt.timedelta(minutes=30))
        on = timezone.localdate(at)
        if plan.status == S.ASSIGNED:
            self._move(plan, S.MEDIATING, at, "开始化解")
        summary = {MediationOutcome.SUCCESS: "组织双方面对面调解，释法明理，双方互谅互让达成协议",
                   MediationOutcome.FAILED: "双方分歧较大，未达成一致，约定再次调解",
                   MediationOutcome.LITIGATION: "调解未果，引导当事人依法向人民法院起诉",
                   MediationOutcome.CASE: "涉嫌违法，移交派出所依法处理"}[outcome]
        plan.sessions.append(MediationSession(held_on=on, mediator=mediator, outcome=outcome, summary=summary,
                                              place=f"{plan.dispute.area.short_name}调解室",
                                              agreement="双方按协议履行" if outcome == MediationOutcome.SUCCESS else "",
                                              created_at=at))
        if outcome != MediationOutcome.FAILED:
            self._move(plan, S.FOLLOW_UP, at, f"调解结果：{MediationOutcome(outcome).label}")

    def disputes(self) -> None:
        rng = self.rng
        plans: list[_Plan] = []
        for inc in self.sources:
            when = inc.received_at + dt.timedelta(hours=rng.randint(2, 30))
            plans.append(self._spec(DisputeSource.INCIDENT, village=inc.area, when=when, caller=inc))
        for visit in self.leads:
            plans.append(self._spec(DisputeSource.VISIT, village=visit.area, visit=visit,
                                    when=_local(visit.visited_on, rng.randint(15, 18), rng.randrange(60)),
                                    reporter=next(iter(visit.team.all()), None)))
        # the incident-sourced ones take the place of others (110 calls are a third of the sources)
        others = max(round(DISPUTES_OTHER_THAN_VISITS * self.scale) - len(self.sources),
                     round(DISPUTES_OTHER_THAN_VISITS * self.scale * 0.4))
        sources = ((DisputeSource.HOTLINE, 25), (DisputeSource.LEGAL_LITERATE, 18), (DisputeSource.WALK_IN, 50),
                   (DisputeSource.OTHER, 7))
        if not self.sources:
            sources = ((DisputeSource.INCIDENT, 40), *sources)  # 110 calls not in the system (no incidents loaded)
        for _ in range(max(others, 0)):
            village = self._village()
            source = rng.choices([s for s, _ in sources], weights=[w for _, w in sources])[0]
            t = self.township_of[village.pk]
            reporter = rng.choice(self.mediators[t.pk]) if source == DisputeSource.LEGAL_LITERATE and \
                self.mediators.get(t.pk) else None
            when = _local(self._day(), rng.randint(8, 18), rng.randrange(60))
            plans.append(self._spec(source, village=village, when=when, reporter=reporter))
        plans.sort(key=lambda p: p.dispute.registered_at)
        for n, plan in enumerate(plans, start=1):
            plan.dispute.number = f"{BANNER[:6]}JF{YEAR}{n:05d}"
            self._life(plan)
            d = plan.dispute
            d.risk, d.deadline, d.status = plan.risk, plan.deadline, plan.status
            for note in plan.notifications:
                if note.agency is None and note.staff is None:
                    note.agency = d.assigned_agency or self.stations[self.township_of[d.area_id].pk]
                    note.staff = d.assigned_staff
                note.read_at = note.created_at + dt.timedelta(hours=rng.randint(1, 30)) if d.closed_at else None
        self._save(plans)

    def _save(self, plans: list[_Plan]) -> None:
        disputes = Dispute.objects.bulk_create([p.dispute for p in plans], batch_size=500)
        rows: dict[type, list] = defaultdict(list)
        for d, p in zip(disputes, plans, strict=True):
            for party in p.parties:
                party.dispute = d
                rows[DisputeParty].append(party)
            for kind in ("changes", "statuses", "links", "sessions", "follow_ups", "extensions", "supervisions",
                         "notifications"):
                for row in getattr(p, kind):
                    row.dispute = d
                    rows[type(row)].append(row)
        for model, items in rows.items():
            model.objects.bulk_create(items, batch_size=1000)
        today = self.today
        self.counts.update({
            "矛盾纠纷": len(disputes),
            "其中已办结": sum(1 for d in disputes if d.status == S.CLOSED),
            "调解成功": sum(1 for d in disputes if d.result == MediationOutcome.SUCCESS),
            "超期未办结": sum(1 for d in disputes if d.status != S.CLOSED and d.deadline < today),
            "超期办结": sum(1 for d in disputes if d.closed_at and timezone.localdate(d.closed_at) > d.deadline),
            "系统预警升级": len({c.dispute_id for c in rows[RiskChange] if c.signal != RiskSignal.MANUAL}),
            "关联警情": len(rows[DisputeIncident]),
            "延期": len(rows[Extension]),
            "督办": len(rows[Supervision]),
        })

    def run(self) -> dict[str, int]:
        self.organisation()
        self.visits()
        self.incidents()
        self.disputes()
        audit_record(None, AuditAction.IMPORT, self.banner, object_repr="乌拉特中旗2024年矛盾纠纷、走访、隐患",
                     detail="演示数据：乌拉特中旗2024年走访、隐患和矛盾纠纷", after=self.counts, login=AUDIT_LOGIN)
        return self.counts

