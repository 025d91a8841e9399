"""Demo data of 林草湖警长 for 乌拉特中旗, 2024: responsibility zones of 山水林田湖草沙 with their
four-level chains, a year of patrols, the joint-enforcement actions with 自然资源局, 林草局, 环保局 and
水务局, and the ecological cases of the cases demo linked to the zones they happened in.

The people of the chains are the foundation demo's: the bureau's leaders as 旗级警长, the station
chiefs, the 驻村辅警 of the villages a zone covers; rangers and village cadres are named with a phone
(they are not on the staff register). Rows that must not count for 2024 are there on purpose: a
zone dissolved in 2023, a zone set up in 2025, patrols and an action of late 2023, a ranger who left
in 2024 (so one zone's chain has a gap at year end), a village officer handed over mid-year.

Deterministic (``random.Random("2024/ecology")``) and idempotent (nothing is built when the banner
already has zones).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import random

from django.db import transaction

from pingan.areas.models import Area
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.demo.people import PeopleFactory
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
from pingan.org.models import Agency, AgencyKind, AssignmentRole, Staff, StaffCategory, VillageAssignment

BANNER = "150824000000"
YEAR = 2024
AUDIT_LOGIN = "demo"
D = dt.date
K = ZoneKind

# The administrative agencies of joint enforcement (looked up by name, created when missing).
PARTNERS = (
    ("乌拉特中旗自然资源局", "自然资源局"),
    ("乌拉特中旗林业和草原局", "林草局"),
    ("巴彦淖尔市生态环境局乌拉特中旗分局", "环保局"),
    ("乌拉特中旗水务局", "水务局"),
)

# (name, kind, place codes (villages, or townships for the banner-level zone), size, unit, established,
#  ended, description)
ZONES = (
    ("海流图镇城郊草原责任区", K.GRASSLAND, ("150824100201", "150824100202"), "12500", SizeUnit.MU, D(2021, 5, 10),
     None, "镇区周边打草场和放牧场，禁牧休牧期易发偷牧"),
    ("原海流图镇城区绿地责任区", K.FOREST, ("150824100201",), "860", SizeUnit.MU, D(2021, 5, 10), D(2023, 6, 30),
     "2023年并入城郊草原责任区"),
    ("乌加河(乌加河镇段)河道责任区", K.WATER, ("150824101201", "150824101202", "150824101203"), "8600", SizeUnit.MU,
     D(2021, 6, 1), None, "乌加河干流及两岸护堤林，重点防范非法采砂、倾倒垃圾"),
    ("乌加河镇河套灌区耕地责任区", K.FARMLAND, ("150824101204", "150824101205", "150824101206", "150824101207"),
     "46000", SizeUnit.MU, D(2021, 6, 1), None, "基本农田，重点防范非法占用耕地、私挖乱采"),
    ("德岭山镇农田防护林责任区", K.FOREST, ("150824102201", "150824102202", "150824102203"), "9800", SizeUnit.MU,
     D(2021, 6, 15), None, "农田防护林网，重点防范滥伐林木、野外用火"),
    ("德岭山镇湖泊湿地责任区", K.LAKE, ("150824102206", "150824102207"), "3200", SizeUnit.MU, D(2022, 4, 1), None,
     "季节性湖泊及周边湿地，候鸟迁徙停歇地"),
    ("阴山(狼山)北麓山地责任区", K.MOUNTAIN, ("150824101000", "150824102000", "150824103000"), "68000", SizeUnit.MU,
     D(2021, 5, 10), None, "跨乌加河、德岭山、石哈河三镇的山地，重点防范私采乱挖、野外用火"),
    ("石哈河镇耕地责任区", K.FARMLAND, ("150824103206", "150824103207", "150824103208", "150824103209"), "38500",
     SizeUnit.MU, D(2021, 7, 1), None, "旱作农田，重点防范毁草开垦后复垦、非法占用"),
    ("甘其毛都镇口岸周边草原责任区", K.GRASSLAND, ("150824104209", "150824104210", "150824104211", "150824104212",
                                                 "150824104213"), "8400", SizeUnit.HECTARE, D(2021, 8, 1), None,
     "口岸物流通道两侧荒漠草原，重点防范车辆碾压、乱倒废渣"),
    ("温更镇草原责任区", K.GRASSLAND, ("150824105201", "150824105202", "150824105203", "150824105204", "150824105205",
                                       "150824105206", "150824105207", "150824105208"), "23400", SizeUnit.HECTARE,
     D(2021, 8, 1), None, "典型草原，草畜平衡区"),
    ("呼勒斯太苏木草原责任区", K.GRASSLAND, ("150824200201", "150824200202", "150824200203", "150824200204",
                                             "150824200205", "150824200206", "150824200207"), "31200", SizeUnit.HECTARE,
     D(2021, 8, 15), None, "荒漠草原，禁牧与草畜平衡区交错"),
    ("川井苏木荒漠责任区", K.DESERT, ("150824201201", "150824201202", "150824201204", "150824201205", "150824201207",
                                      "150824201208"), "52600", SizeUnit.HECTARE, D(2021, 9, 1), None,
     "戈壁荒漠，重点防范非法采挖肉苁蓉、锁阳，非法猎捕野生动物"),
    ("川井苏木梭梭林责任区", K.FOREST, ("150824201203", "150824201206"), "6800", SizeUnit.HECTARE, D(2022, 3, 20),
     None, "人工和天然梭梭林"),
    ("巴音乌兰苏木荒漠草原责任区", K.GRASSLAND, ("150824202201", "150824202202", "150824202203", "150824202204",
                                                 "150824202205", "150824202206", "150824202207", "150824202208"),
     "41500", SizeUnit.HECTARE, D(2021, 9, 1), None, "荒漠草原"),
    ("巴音乌兰苏木沙地责任区", K.DESERT, ("150824202209", "150824202210", "150824202211", "150824202212",
                                          "150824202213"), "27800", SizeUnit.HECTARE, D(2024, 3, 20), None,
     "流动、半固定沙地，防沙治沙工程区"),
    ("新忽热苏木草原责任区", K.GRASSLAND, ("150824203201", "150824203202", "150824203203", "150824203204",
                                           "150824203206", "150824203207", "150824203209", "150824203210",
                                           "150824203211"), "36700", SizeUnit.HECTARE, D(2021, 9, 15), None, "典型草原"),
    ("新忽热苏木湖泊湿地责任区", K.LAKE, ("150824203205", "150824203208"), "1850", SizeUnit.HECTARE, D(2023, 4, 10),
     None, "淖尔湿地，候鸟栖息地"),
    ("巴音乌兰苏木新建防沙林责任区", K.FOREST, ("150824202214", "150824202215", "150824202216"), "2100",
     SizeUnit.HECTARE, D(2025, 4, 1), None, "2025年新建防沙治沙工程林"),
)
# Rough outlines (WGS 84) where a boundary was drawn; the rest are not yet mapped.
OUTLINES = {
    "海流图镇城郊草原责任区": [[108.44, 41.53], [108.62, 41.53], [108.62, 41.64], [108.44, 41.64], [108.44, 41.53]],
    "乌加河(乌加河镇段)河道责任区": [[107.95, 41.18], [108.32, 41.21], [108.32, 41.24], [107.95, 41.21], [107.95, 41.18]],
    "德岭山镇湖泊湿地责任区": [[108.90, 41.33], [108.96, 41.33], [108.96, 41.37], [108.90, 41.37], [108.90, 41.33]],
}
# 旗级警长 by kind: the leader who answers for that kind of zone.
BANNER_CHIEF = {K.GRASSLAND: "副局长#1", K.DESERT: "副局长#1", K.MOUNTAIN: "局长", K.FOREST: "副局长#2",
                K.WATER: "副局长#3", K.LAKE: "副局长#3", K.FARMLAND: "副局长#2"}
GUARD_POSTS = {K.GRASSLAND: ("草原管护员", "嘎查长", "嘎查党支部书记"), K.DESERT: ("生态护林员", "嘎查长"),
               K.FOREST: ("生态护林员", "护林员"), K.WATER: ("河道管护员", "村党支部书记"),
               K.LAKE: ("湿地管护员", "嘎查长"), K.FARMLAND: ("村委会主任", "村党支部书记"),
               K.MOUNTAIN: ("生态护林员", "村委会主任")}
FINDINGS = {
    K.GRASSLAND: ((FindingKind.GRAZING, "禁牧期内发现羊群约{n}只在禁牧区放牧", "现场责令驱离，通报苏木(镇)林草站"),
                  (FindingKind.RECLAMATION, "发现新开垦草原约{n}亩", "拍照取证，移交林草部门核查"),
                  (FindingKind.OCCUPATION, "发现车辆碾压草原形成新便道", "设置警示牌，通知相关企业恢复植被")),
    K.DESERT: ((FindingKind.HUNTING, "发现有人在梭梭林下非法采挖肉苁蓉", "当场制止，收缴工具，登记人员信息"),
               (FindingKind.HUNTING, "发现猎夹{n}个", "收缴猎夹，加强巡护"),
               (FindingKind.DIGGING, "发现私挖砂石坑一处", "拍照取证，移交自然资源部门")),
    K.FOREST: ((FindingKind.LOGGING, "发现防护林被砍伐{n}株", "现场勘查，登记受案"),
               (FindingKind.FIRE, "发现有人在林地边缘焚烧秸秆", "当场扑灭，批评教育"),
               (FindingKind.OCCUPATION, "发现林地内私搭圈舍", "责令限期拆除")),
    K.WATER: ((FindingKind.DIGGING, "发现河道内有挖掘机非法采砂", "当场制止，扣押机械，移交水务部门"),
              (FindingKind.POLLUTION, "发现河岸倾倒建筑垃圾约{n}方", "责令清运，通报镇政府")),
    K.LAKE: ((FindingKind.HUNTING, "发现湖边架设粘网捕鸟", "拆除粘网，放飞候鸟{n}只"),
             (FindingKind.POLLUTION, "发现养殖废水排入湿地", "取样，移交环保部门")),
    K.FARMLAND: ((FindingKind.OCCUPATION, "发现在基本农田上建房", "拍照取证，移交自然资源部门"),
                 (FindingKind.FIRE, "发现焚烧秸秆", "当场扑灭，宣传禁烧规定")),
    K.MOUNTAIN: ((FindingKind.DIGGING, "发现山体私采石料痕迹", "设置警示标志，移交自然资源部门"),
                 (FindingKind.FIRE, "发现上坟烧纸未熄灭余火", "当场扑灭，批评教育")),
}
QUIET = ("巡护正常，未发现异常", "沿围栏巡查一圈，围栏完好", "走访牧户，宣传禁牧休牧和草原防火规定",
         "检查管护标识牌完好", "巡查未发现偷牧、开垦等行为", "发放生态保护宣传单，未发现异常")
ROUTES = ("沿{a}至{b}一线", "{a}—{b}—{a}环线", "{a}北侧围栏沿线", "{a}、{b}两地交界处")
# Joint actions: (month, day, zone, title, partner short names, participants, findings, result)
ACTIONS = (
    (D(2023, 10, 18), "温更镇草原责任区", "秋季草原防火联合检查", ("林草局",), 12, "检查牧户、企业防火措施23处，发现隐患4处",
     "现场整改3处，限期整改1处"),
    (D(2023, 11, 22), "川井苏木荒漠责任区", "冬季打击非法猎捕野生动物联合巡查", ("林草局",), 9, "发现猎夹6个", "收缴猎夹"),
    (D(2024, 3, 26), "呼勒斯太苏木草原责任区", "春季禁牧休牧联合检查", ("林草局", "自然资源局"), 16,
     "检查嘎查7个、牧户42户，发现禁牧期放牧3起", "责令整改，移交林草部门依法处理"),
    (D(2024, 4, 9), "温更镇草原责任区", "春季禁牧休牧联合检查", ("林草局",), 14, "检查牧户35户，发现偷牧2起",
     "批评教育并责令圈养"),
    (D(2024, 4, 23), "乌加河(乌加河镇段)河道责任区", "河道非法采砂联合整治", ("水务局", "自然资源局"), 18,
     "发现非法采砂点2处，挖掘机1台", "扣押机械，移交水务部门依法处理"),
    (D(2024, 5, 7), "川井苏木荒漠责任区", "保护梭梭林暨打击非法采挖肉苁蓉联合执法", ("林草局", "自然资源局"), 20,
     "查获非法采挖人员5名，肉苁蓉约40公斤", "收缴，对采挖人员批评教育，移交林草部门处罚"),
    (D(2024, 5, 14), "巴音乌兰苏木荒漠草原责任区", "打击非法开垦草原专项行动", ("自然资源局", "林草局"), 14,
     "核查卫片图斑6处，发现新开垦草原1处", "现场固定证据，依法查处"),
    (D(2024, 5, 29), "德岭山镇湖泊湿地责任区", "候鸟迁徙期湿地保护联合巡查", ("林草局", "环保局"), 11,
     "拆除粘网3张，救助候鸟12只", "放飞候鸟，对架网人员批评教育"),
    (D(2024, 6, 18), "石哈河镇耕地责任区", "打击非法开垦草原、占用耕地专项行动", ("自然资源局", "林草局"), 15,
     "核查卫片图斑9处，发现违法开垦2处约60亩", "责令恢复植被，移交自然资源部门依法处理"),
    (D(2024, 7, 10), "甘其毛都镇口岸周边草原责任区", "口岸通道沿线草原保护联合检查", ("林草局", "环保局"), 13,
     "发现乱倒煤矸石2处，车辆碾压便道3条", "责令运输企业清运恢复"),
    (D(2024, 7, 30), "德岭山镇农田防护林责任区", "打击滥伐盗伐林木联合行动", ("林草局",), 10, "发现滥伐防护林1起，涉及杨树37株",
     "依法查处"),
    (D(2024, 8, 21), "新忽热苏木湖泊湿地责任区", "湿地生态环境联合检查", ("环保局", "水务局"), 9, "检查养殖场3家，1家排污未达标",
     "移交环保部门处罚"),
    (D(2024, 9, 12), "阴山(狼山)北麓山地责任区", "矿山生态修复和私采乱挖联合检查", ("自然资源局", "环保局", "林草局"), 22,
     "检查矿点6处，发现私采石料1处", "责令停止开采、限期修复"),
    (D(2024, 10, 16), "巴音乌兰苏木沙地责任区", "秋季防沙治沙工程区联合巡查", ("林草局", "自然资源局"), 12,
     "检查治沙工程区3片，发现围栏损毁2处", "通知工程管护单位修复"),
    (D(2024, 10, 29), "温更镇草原责任区", "秋冬季森林草原防火联合检查", ("林草局",), 17,
     "检查牧户、企业防火措施31处，发现隐患5处", "现场整改4处，限期整改1处"),
    (D(2024, 11, 2), "川井苏木荒漠责任区", "冬季打击非法猎捕野生动物联合巡查", ("林草局",), 10, "发现猎夹11个、收缴气枪1支",
     "收缴，依法查处"),
    (D(2024, 12, 11), "乌加河(乌加河镇段)河道责任区", "冬季河道采砂回头看", ("水务局",), 8, "未发现新的采砂行为",
     "保持高压态势"),
)


def build(stdout=None) -> None:
    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    banner = Area.objects.filter(code=BANNER).first()
    if banner is None:
        say("林草湖警长演示数据：未找到乌拉特中旗辖区，跳过")
        return
    if Zone.objects.filter(area__path__startswith=banner.path).exists():
        with transaction.atomic():
            linked = _link_new_cases(banner)
        say(f"林草湖警长演示数据：已存在，新关联生态案件{linked}起" if linked else "林草湖警长演示数据：已存在，跳过")
        return
    if not Agency.objects.filter(kind=AgencyKind.POLICE_STATION, area__path__startswith=banner.path).exists():
        say("林草湖警长演示数据：未找到乌拉特中旗公安局的派出所（先运行基础演示数据），跳过")
        return
    with transaction.atomic():
        counts = _Builder(banner).run()
    say("林草湖警长演示数据：" + "，".join(f"{k}{v}" for k, v in counts.items()))


def _link_new_cases(banner: Area) -> int:
    """On a later run: link the ecological cases that appeared since (the cases demo ran after)."""
    builder = _Builder(banner)
    zones = list(Zone.objects.filter(area__path__startswith=banner.path).order_by("id"))
    patrols = list(Patrol.objects.filter(zone__in=zones).order_by("patrolled_on", "id"))
    actions = list(JointAction.objects.filter(zone__in=zones).order_by("acted_on", "id"))
    return len(builder.cases(zones, patrols, actions))


class _Builder:
    def __init__(self, banner: Area):
        self.banner = banner
        self.rng = random.Random(f"{YEAR}/ecology")
        self.people = PeopleFactory(random.Random(f"{YEAR}/ecology/people"), taken_ids=set(), taken_phones=set(
            Staff.objects.exclude(phone="").values_list("phone", flat=True)))
        self.areas = {a.code: a for a in Area.objects.filter(path__startswith=banner.path)}
        police = Staff.objects.filter(agency__area__path__startswith=banner.path, category=StaffCategory.POLICE_OFFICER,
                                      active=True)
        leaders = list(police.filter(agency__kind=AgencyKind.POLICE_BUREAU).order_by("id"))
        deputies = [s for s in leaders if s.note == "副局长"]
        self.leaders = {"局长": next((s for s in leaders if s.note == "局长"), leaders[0] if leaders else None)}
        for i, s in enumerate(deputies, start=1):
            self.leaders[f"副局长#{i}"] = s
        self.chiefs = {s.agency.area.code: s for s in police.filter(note="所长", agency__kind=AgencyKind.POLICE_STATION)
                       .select_related("agency__area")}
        self.community = {}
        for s in police.filter(agency__kind=AgencyKind.POLICE_STATION).exclude(note__in=("所长", "教导员")).select_related(
                "agency__area").order_by("id"):
            self.community.setdefault(s.agency.area.code, []).append(s)
        self.village_aux: dict[str, list[VillageAssignment]] = {}  # village code → its 驻村辅警, in order
        for a in (VillageAssignment.objects.filter(role=AssignmentRole.AUXILIARY, village__path__startswith=banner.path)
                  .select_related("staff", "village").order_by("start", "id")):
            self.village_aux.setdefault(a.village.code, []).append(a)

    # -- agencies -----------------------------------------------------------------------------
    def partners(self) -> dict[str, Agency]:
        out = {}
        for name, short in PARTNERS:
            agency, _ = Agency.objects.get_or_create(name=name, area=self.banner,
                                                     defaults={"short_name": short, "kind": AgencyKind.ADMIN_AGENCY})
            out[short] = agency
        return out

    # -- zones and chains ---------------------------------------------------------------------
    def zones(self) -> list[Zone]:
        from pingan.ecology.services import common_area

        zones = []
        for name, kind, codes, size, unit, established, ended, description in ZONES:
            places = [self.areas[c] for c in codes]
            outline = OUTLINES.get(name)
            geometry = json.dumps({"type": "Polygon", "coordinates": [outline]}, separators=(",", ":")) if outline else ""
            zone = Zone.objects.create(name=name, kind=kind, area=common_area(places), size=decimal.Decimal(size),
                                       size_unit=unit, established_on=established, ended_on=ended,
                                       description=description, geometry=geometry)
            zone.places.set(places)
            zones.append(zone)
        return zones

    def guard(self, zone: Zone, post: str, start: dt.date, end: dt.date | None = None) -> Keeper:
        mongol = zone.area.code[6:9] in ("200", "201", "202", "203", "104", "105")
        p = self.people.person(banner6=BANNER[:6], born_from=1962, born_to=1992, mongol_share=0.7 if mongol else 0.2,
                               male_share=0.8, local_share=0.97)
        return Keeper(zone=zone, level=KeeperLevel.GUARD, name=p.name, phone=p.phone, post=post, start=start, end=end)

    def chain(self, zone: Zone) -> list[Keeper]:
        rng = self.rng
        start = zone.established_on
        rows: list[Keeper] = []
        leader = self.leaders.get(BANNER_CHIEF[zone.kind]) or self.leaders["局长"]
        if leader is not None:
            rows.append(Keeper(zone=zone, level=KeeperLevel.BANNER, staff=leader, name=leader.name,
                               post=leader.note or "旗级警长", start=start))
        places = list(zone.places.all())
        townships = sorted({p.code if p.level == 3 else p.parent.code for p in places})
        for code in townships:
            chief = self.chiefs.get(code)
            if chief is not None:
                rows.append(Keeper(zone=zone, level=KeeperLevel.STATION, staff=chief, name=chief.name, post="派出所所长",
                                   start=start))
        villages = [p for p in places if p.code in self.village_aux][:4]
        for village in villages:  # each village's 驻村辅警 over time (a hand-over ends one and starts the next)
            for a in self.village_aux[village.code]:
                begin = max(start, a.start)
                if a.end is not None and a.end < begin:
                    continue
                rows.append(Keeper(zone=zone, level=KeeperLevel.VILLAGE, staff=a.staff, name=a.staff.name,
                                   post=f"{village.short_name}驻村辅警", start=begin, end=a.end))
        if not villages:  # a zone on townships: the stations' community officers
            for s in [s for code in townships for s in self.community.get(code, [])[:1]]:
                rows.append(Keeper(zone=zone, level=KeeperLevel.VILLAGE, staff=s, name=s.name, post="社区民警",
                                   start=max(start, s.service_start or start)))
        posts = GUARD_POSTS[zone.kind]
        for i in range(rng.randint(2, 3) if len(places) > 2 else rng.randint(1, 2)):
            rows.append(self.guard(zone, posts[i % len(posts)], start))
        return rows

    def chains(self, zones: list[Zone]) -> list[Keeper]:
        rows = []
        for zone in zones:
            chain = self.chain(zone)
            if zone.ended_on:  # a dissolved zone's chain ended with it
                chain = [k for k in chain if k.start <= zone.ended_on]
                for k in chain:
                    k.end = min(k.end or zone.ended_on, zone.ended_on)
            rows += chain
        # The wetland's only keeper left in August 2024 and nobody replaced them by year end: a gap.
        wetland = next(z for z in zones if z.name == "新忽热苏木湖泊湿地责任区")
        for k in rows:
            if k.zone is wetland and k.level == KeeperLevel.GUARD:
                k.end = D(2024, 8, 15)
        # A ranger of the grassland handed over mid-year.
        grass = next(z for z in zones if z.name == "温更镇草原责任区")
        old = next(k for k in rows if k.zone is grass and k.level == KeeperLevel.GUARD)
        old.end = D(2024, 6, 30)
        rows.append(self.guard(grass, old.post, D(2024, 7, 1)))
        return Keeper.objects.bulk_create(rows)

    # -- patrols ------------------------------------------------------------------------------
    def patrols(self, zones: list[Zone], keepers: list[Keeper]) -> list[Patrol]:
        rng = self.rng
        by_zone: dict[int, list[Keeper]] = {}
        for k in keepers:
            by_zone.setdefault(k.zone_id, []).append(k)
        rows: list[tuple[Patrol, list[Keeper]]] = []
        for zone in zones:
            places = [p.short_name for p in zone.places.all()]
            first = max(zone.established_on, D(2023, 10, 1))
            last = min(zone.ended_on or D(2024, 12, 31), D(2024, 12, 31))
            day = first + dt.timedelta(days=rng.randint(0, 6))
            while day <= last:
                growing = 4 <= day.month <= 10
                on_chain = [k for k in by_zone.get(zone.pk, []) if k.start <= day and (k.end is None or k.end >= day)
                            and k.level >= KeeperLevel.VILLAGE]
                people = rng.sample(on_chain, min(len(on_chain), rng.randint(1, 3))) if on_chain else []
                if rng.random() < 0.12:
                    people += [k for k in by_zone.get(zone.pk, []) if k.level == KeeperLevel.STATION][:1]
                others = rng.randint(0, 3) if rng.random() < 0.35 else 0
                if not people and not others:
                    others = 2
                found = rng.random() < (0.11 if growing else 0.05)
                if found:
                    kind, text, handling = rng.choice(FINDINGS[zone.kind])
                    findings, handling = text.format(n=rng.randint(3, 180)), handling
                else:
                    kind, findings, handling = FindingKind.NONE, rng.choice(QUIET), ""
                a, b = (rng.sample(places, 2) if len(places) > 1 else (places[0], "责任区边界"))
                rows.append((Patrol(zone=zone, patrolled_on=day, others_count=others,
                                    others="嘎查牧民义务巡护员" if others else "",
                                    route=rng.choice(ROUTES).format(a=a, b=b),
                                    distance_km=decimal.Decimal(rng.randint(80, 650)) / 10, finding_kind=kind,
                                    findings=findings, handling=handling), people))
                day += dt.timedelta(days=rng.randint(6, 11) if growing else rng.randint(12, 20))
        patrols = Patrol.objects.bulk_create([p for p, _ in rows])
        through = Patrol.people.through
        through.objects.bulk_create([through(patrol_id=p.pk, keeper_id=k.pk)
                                     for p, (_, people) in zip(patrols, rows, strict=True) for k in people])
        return patrols

    # -- joint actions ------------------------------------------------------------------------
    def actions(self, zones: list[Zone], partners: dict[str, Agency]) -> list[JointAction]:
        by_name = {z.name: z for z in zones}
        rows = []
        for on, zone_name, title, who, participants, findings, result in ACTIONS:
            action = JointAction.objects.create(zone=by_name[zone_name], acted_on=on, title=title,
                                                participants=participants, findings=findings, result=result)
            action.agencies.set([partners[w] for w in who if w in partners])
            rows.append(action)
        return rows

    # -- cases --------------------------------------------------------------------------------
    def cases(self, zones: list[Zone], patrols: list[Patrol], actions: list[JointAction]) -> list[EcoCase]:
        """Link the ecological cases of the cases demo (when it ran) to the zone they happened in:
        to a joint action in that zone up to 10 days before, else to a patrol that found something."""
        try:
            from pingan.cases.categories import ECOLOGY, group_q
            from pingan.cases.models import Case
        except ImportError:  # pragma: no cover
            return []
        cases = list(Case.objects.filter(group_q(ECOLOGY)).filter(area__path__startswith=self.banner.path)
                     .filter(eco_links__isnull=True).select_related("area").order_by("accepted_on", "id"))
        links = []
        for case in cases:
            zone = self._zone_for(case, zones)
            if zone is None:
                continue
            action = next((a for a in actions if a.zone_id == zone.pk
                           and a.acted_on <= case.accepted_on <= a.acted_on + dt.timedelta(days=10)), None)
            patrol = None
            if action is None:
                patrol = next((p for p in reversed(patrols) if p.zone_id == zone.pk and p.found_problem
                               and p.patrolled_on <= case.accepted_on <= p.patrolled_on + dt.timedelta(days=14)),
                              None)
            links.append(EcoCase(zone=zone, case=case, joint_action=action, patrol=patrol,
                                 note="演示数据：按发案地关联"))
        return EcoCase.objects.bulk_create(links)

    @staticmethod
    def _zone_for(case, zones: list[Zone]) -> Zone | None:
        """The zone in force on the case's date covering its place, the most specific first."""
        fits = []
        for zone in zones:
            if zone.established_on > case.accepted_on or (zone.ended_on and zone.ended_on < case.accepted_on):
                continue
            paths = [p.path for p in zone.places.all()]
            if any(case.area.path.startswith(p) for p in paths):
                fits.append((len(zone.area.path), zone))
        return max(fits, key=lambda f: (f[0], -f[1].pk))[1] if fits else None

    def run(self) -> dict[str, int]:
        partners = self.partners()
        zones = self.zones()
        keepers = self.chains(zones)
        patrols = self.patrols(zones, keepers)
        actions = self.actions(zones, partners)
        links = self.cases(zones, patrols, actions)
        counts = {"责任区": len(zones), "责任链人员": len(keepers), "巡护": len(patrols), "联合执法": len(actions),
                  "关联生态案件": len(links)}
        audit_record(None, AuditAction.IMPORT, zones[0], object_type="ecology.Zone", object_repr="乌拉特中旗林草湖警长",
                     detail="演示数据：林草湖责任区、责任链、巡护、联合执法、生态案件关联", after=counts, login=AUDIT_LOGIN)
        return counts
