"""Demo data of 打击整治 for 乌拉特中旗 2024, built from individual records through the services: cases
with their trail, persons, dispositions, losses and recoveries; the 2024 “大清查大整治大收缴” and
夏季行动 campaigns with their inspections and seizures; one synthetic operation over a series of
sheep thefts across two stations.

What the 2024 report then prints (the bureau's figures), each from the rows below:
- 涉黄: criminal cases 1, administrative 3, persons dealt with 5 (7 person-times: two people are
  dealt with in two cases each);
- 涉赌: administrative cases 13 with 53 person-times (48 persons: five gamblers caught twice; one
  case's offender let off without a measure, one witness — neither counts);
- 盗窃: 29 cases solved in 2024 (one accepted in December 2023), 21 suspects caught (a series of five
  sheep thefts by two men, three burglaries by one, two crop thefts by two, two e-bike thefts by
  one, fifteen single cases; two cases solved with the suspect still at large);
- 诈骗: 842518.00 yuan recovered in 2024 (one of the recoveries on a 2023 case).
Rows that must not count are there on purpose: 2023 cases, dispositions, catches and recoveries
(one of the 2023 thieves caught again in 2024), theft cases not solved, a case dropped, a 2023
campaign. Theft cases are also opened from 2024 incidents when the incidents demo is there.

Idempotent (nothing is added when the 2024 campaign is there) and deterministic (fixed data and
``random.Random`` seeded for the people).
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
from dataclasses import dataclass, field

from django.db import transaction

from pingan.areas.models import Area, AreaKind, Level
from pingan.cases import services
from pingan.cases.models import (
    Campaign,
    CaseCategory,
    CaseKind,
    CaseStatus,
    DispositionKind,
    Goods,
    ItemKind,
    Metric,
    PartyRole,
    Person,
    PlaceKind,
    TheftMethod,
)
from pingan.demo.people import PeopleFactory
from pingan.org.models import Agency, AgencyKind, Staff

BANNER = "150824"
BANNER_CODE = "150824000000"
BUREAU = "乌拉特中旗公安局"
CLEARANCE = f"{BUREAU}2024年“大清查大整治大收缴”专项行动"
SUMMER = f"{BUREAU}2024年夏季治安打击整治行动"
D = dt.date
S = CaseStatus
K = DispositionKind
R = PartyRole
STEMS = {"150824100000": "海流图", "150824101000": "乌加河", "150824102000": "德岭山", "150824103000": "石哈河",
         "150824104000": "甘其毛都", "150824105000": "温更", "150824200000": "呼勒斯太", "150824201000": "川井",
         "150824202000": "巴音乌兰", "150824203000": "新忽热", "150824400000": "牧洋海", "150824401000": "同和太"}
T = {stem: code for code, stem in STEMS.items()}  # 海流图 → 150824100000


def is_present() -> bool:
    return Campaign.objects.filter(name=CLEARANCE).exists()


# ------------------------------------------------------------------------------------ specs

@dataclass
class P:
    """A person in a case: role, who (a key: the same key is the same person), caught on, measures."""

    role: str
    who: str
    caught: dt.date | None = None
    measures: tuple = ()  # (kind, date, amount, days)


@dataclass
class Spec:
    kind: str
    cat: str
    town: str
    village: int | None  # index among the township's 村/嘎查 (None: the township itself)
    accepted: dt.date
    title: str
    summary: str = ""
    steps: tuple = ()  # (status, date)
    parties: tuple = ()
    losses: tuple = ()  # (item, quantity, value)
    recoveries: tuple = ()  # (date, amount, description)
    campaigns: tuple = ()  # "clearance", "summer", "c2023"
    method: str = ""
    goods: str = ""
    series: bool = False
    note: str = ""


def solved(filed: dt.date, solved_on: dt.date, *, prosecuted: dt.date | None = None,
           closed: dt.date | None = None) -> tuple:
    steps = [(S.FILED, filed), (S.INVESTIGATING, filed), (S.SOLVED, solved_on)]
    if prosecuted:
        steps.append((S.PROSECUTED, prosecuted))
    if closed:
        steps.append((S.CLOSED, closed))
    return tuple(steps)


def decided(inquiry: dt.date, decided_on: dt.date, closed: dt.date | None = None) -> tuple:
    steps = [(S.INQUIRY, inquiry), (S.DECIDED, decided_on)]
    if closed:
        steps.append((S.CLOSED, closed))
    return tuple(steps)


def detained(on: dt.date, days: int = 10, fine: int | None = None) -> tuple:
    out = [(K.ADMIN_DETENTION, on, None, days)]
    if fine:
        out.append((K.FINE, on, fine, None))
    return tuple(out)


def criminal_custody(caught: dt.date, bail: dt.date | None = None, arrest: dt.date | None = None) -> tuple:
    out = [(K.CRIMINAL_DETENTION, caught, None, None)]
    if arrest:
        out.append((K.ARREST, arrest, None, None))
    if bail:
        out.append((K.BAIL, bail, None, None))
    return tuple(out)


def _porn() -> list[Spec]:
    return [
        Spec(CaseKind.CRIMINAL, "porn", "海流图", None, D(2024, 4, 12), "海流图镇某足疗店容留卖淫案",
             "大清查行动中检查发现，某足疗店经营者在店内多次容留他人从事卖淫活动。",
             solved(D(2024, 4, 13), D(2024, 4, 20), prosecuted=D(2024, 6, 15)),
             (P(R.SUSPECT, "H1", D(2024, 4, 20), criminal_custody(D(2024, 4, 20), bail=D(2024, 5, 18))),
              P(R.WITNESS, "H9")), campaigns=("clearance",)),
        Spec(CaseKind.ADMINISTRATIVE, "porn", "海流图", None, D(2024, 4, 12), "海流图镇某足疗店卖淫嫖娼案",
             "检查中当场查获卖淫嫖娼人员二人。", decided(D(2024, 4, 12), D(2024, 4, 13), D(2024, 4, 20)),
             (P(R.OFFENDER, "H2", None, detained(D(2024, 4, 13), 10, 500)),
              P(R.OFFENDER, "H3", None, detained(D(2024, 4, 13), 10))), campaigns=("clearance",)),
        Spec(CaseKind.ADMINISTRATIVE, "porn", "乌加河", 0, D(2024, 7, 8), "乌加河镇某宾馆卖淫嫖娼案",
             "夏季行动夜查中查获。", decided(D(2024, 7, 8), D(2024, 7, 9), D(2024, 7, 20)),
             (P(R.OFFENDER, "H4", None, detained(D(2024, 7, 9), 5, 500)),
              P(R.OFFENDER, "H1", None, detained(D(2024, 7, 9), 10))), campaigns=("clearance", "summer")),
        Spec(CaseKind.ADMINISTRATIVE, "porn", "甘其毛都", None, D(2024, 9, 21), "甘其毛都镇某出租屋卖淫嫖娼案",
             "群众举报，民警查获。", decided(D(2024, 9, 21), D(2024, 9, 22), D(2024, 10, 8)),
             (P(R.OFFENDER, "H5", None, ((K.FINE, D(2024, 9, 22), 3000, None),)),
              P(R.OFFENDER, "H3", None, detained(D(2024, 9, 22), 15))), campaigns=("clearance",)),
        # 2023: must not count for 2024.
        Spec(CaseKind.ADMINISTRATIVE, "porn", "海流图", None, D(2023, 11, 5), "海流图镇某KTV卖淫嫖娼案",
             "", decided(D(2023, 11, 5), D(2023, 12, 31), D(2023, 12, 31)),
             (P(R.OFFENDER, "H6", None, detained(D(2023, 12, 31), 10, 1000)),)),
    ]


GAMBLING_SIZES = (6, 5, 4, 3, 4, 5, 3, 4, 2, 5, 4, 3, 5)  # 53 person-times
GAMBLING_TOWNS = ("海流图", "乌加河", "德岭山", "石哈河", "海流图", "甘其毛都", "温更", "呼勒斯太", "川井",
                  "巴音乌兰", "新忽热", "海流图", "德岭山")
GAMBLING_DAYS = (D(2024, 1, 20), D(2024, 2, 11), D(2024, 2, 14), D(2024, 3, 22), D(2024, 5, 6), D(2024, 6, 18),
                 D(2024, 7, 3), D(2024, 7, 27), D(2024, 8, 15), D(2024, 9, 9), D(2024, 10, 2), D(2024, 11, 16),
                 D(2024, 12, 28))
GAMES = ("“推对子”", "麻将", "扑克“炸金花”", "“牛牛”", "麻将", "扑克“斗地主”", "“推对子”", "麻将", "扑克",
         "“牛牛”", "麻将", "扑克“炸金花”", "麻将")


def _gambling(rng: random.Random) -> list[Spec]:
    specs, seq, earlier = [], 1, []
    for k, size in enumerate(GAMBLING_SIZES):
        day = GAMBLING_DAYS[k]
        keys = []
        if 7 <= k <= 11:  # five gamblers caught again in a later case
            keys.append(earlier[k * 3 % len(earlier)])
        while len(keys) < size:
            keys.append(f"G{seq}")
            seq += 1
        earlier += [x for x in keys if x not in earlier]
        parties = []
        for n, key in enumerate(keys):
            if n == 0:  # the organiser: detained and fined
                measures = detained(day + dt.timedelta(days=1), rng.choice((10, 12, 15)), rng.choice((1000, 2000, 3000)))
            elif rng.random() < 0.6:
                measures = detained(day + dt.timedelta(days=1), rng.choice((3, 5, 5, 7)), rng.choice((None, 500)))
            else:
                measures = ((K.WARNING, day + dt.timedelta(days=1), None, None),
                            (K.FINE, day + dt.timedelta(days=1), rng.choice((200, 300, 500)), None))
            parties.append(P(R.OFFENDER, key, None, measures))
        if k == 4:  # a bystander let off (情节轻微) and a witness: neither is dealt with
            parties.append(P(R.OFFENDER, "G-let-off"))
            parties.append(P(R.WITNESS, "G-witness"))
        tags = ["clearance"] if D(2024, 3, 1) <= day <= D(2024, 11, 30) else []
        if D(2024, 6, 1) <= day <= D(2024, 8, 31):
            tags.append("summer")
        town = GAMBLING_TOWNS[k]
        specs.append(Spec(CaseKind.ADMINISTRATIVE, "gambling", town, k % 3 if town != "海流图" else None, day,
                          f"{town}{'镇' if T[town] < '150824200000' else '苏木'}{size}人聚众赌博案",
                          f"接群众举报，民警在一民房内当场查获{size}人以{GAMES[k]}方式赌博，收缴赌资及赌具。",
                          decided(day, day + dt.timedelta(days=1), day + dt.timedelta(days=3) if k < 12 else None),
                          tuple(parties), campaigns=tuple(tags)))
    specs.append(Spec(CaseKind.CRIMINAL, "gambling", "海流图", None, D(2023, 8, 2), "海流图镇某棋牌室开设赌场案",
                      "2023年查处。", solved(D(2023, 8, 3), D(2023, 8, 20), prosecuted=D(2023, 10, 9)),
                      (P(R.SUSPECT, "G-2023", D(2023, 8, 20), criminal_custody(D(2023, 8, 20), arrest=D(2023, 9, 1))),)))
    return specs


def _theft() -> list[Spec]:
    L, B, C = "theft_livestock", "theft_burglary", "theft_crops"
    specs = []
    # a) The series: five sheep thefts at night, 海流图 and 乌加河, by two men — the operation.
    series = [("海流图", 0, D(2024, 1, 29), 14), ("乌加河", 2, D(2024, 2, 8), 11), ("海流图", 1, D(2024, 2, 19), 9),
              ("乌加河", 4, D(2024, 3, 2), 16), ("海流图", 0, D(2024, 3, 9), 12)]
    for n, (town, village, day, sheep) in enumerate(series):
        value = sheep * 1100
        back = sheep - (2 if n % 2 else 0)
        specs.append(Spec(
            CaseKind.CRIMINAL, L, town, village, day, f"{town}系列盗窃羊只案（{n + 1}）",
            f"夜间有人剪断围栏将{sheep}只羊赶出圈外，用货车运走。", solved(day + dt.timedelta(days=1), D(2024, 3, 28),
                                                               prosecuted=D(2024, 5, 10)),
            (P(R.SUSPECT, "T1", D(2024, 3, 28), criminal_custody(D(2024, 3, 28), arrest=D(2024, 4, 30))),
             P(R.SUSPECT, "T2", D(2024, 3, 28), criminal_custody(D(2024, 3, 28), arrest=D(2024, 4, 30))),
             P(R.VICTIM, f"TV{n}")),
            losses=((f"羊{sheep}只", f"{sheep}只", value),),
            recoveries=((D(2024, 4, 3), back * 1100, f"追回羊{back}只，发还失主"),),
            method=TheftMethod.NIGHT_HERD, goods=Goods.SHEEP, series=True))
    # b) Three burglaries in 德岭山 by one man.
    for n, (village, day, cash) in enumerate(((1, D(2024, 4, 2), 3200), (3, D(2024, 4, 19), 5600),
                                              (5, D(2024, 5, 3), 1800))):
        specs.append(Spec(CaseKind.CRIMINAL, B, "德岭山", village, day, f"德岭山镇入户盗窃案（{n + 1}）",
                          "趁户主外出撬锁入室，盗走现金、首饰。",
                          solved(day, D(2024, 5, 10), prosecuted=D(2024, 6, 20)),
                          (P(R.SUSPECT, "T3", D(2024, 5, 10), criminal_custody(D(2024, 5, 10), arrest=D(2024, 6, 14))),
                           P(R.VICTIM, f"TB{n}")),
                          losses=(("现金、首饰", "", cash),),
                          recoveries=((D(2024, 5, 15), cash // 2, "追缴赃款发还"),), method=TheftMethod.PRY_LOCK,
                          goods=Goods.CASH, campaigns=("clearance",)))
    # c) Two crop thefts in 石哈河 by two men.
    for n, (village, day) in enumerate(((2, D(2024, 9, 24)), (6, D(2024, 10, 6)))):
        specs.append(Spec(CaseKind.CRIMINAL, C, "石哈河", village, day, f"石哈河镇盗窃葵花案（{n + 1}）",
                          "夜间驾车盗割地头晾晒的葵花盘。", solved(day, D(2024, 10, 12), closed=D(2024, 12, 2)),
                          (P(R.SUSPECT, "T4", D(2024, 10, 12), criminal_custody(D(2024, 10, 12), bail=D(2024, 11, 10))),
                           P(R.SUSPECT, "T5", D(2024, 10, 12), criminal_custody(D(2024, 10, 12), bail=D(2024, 11, 10)))),
                          losses=(("葵花", "1.2吨", 6800),), recoveries=((D(2024, 10, 14), 6800, "追回葵花发还"),),
                          method=TheftMethod.REAP, goods=Goods.GRAIN, campaigns=("clearance",)))
    # d) Two e-bike thefts in 海流图 by one man.
    for n, day in enumerate((D(2024, 6, 3), D(2024, 6, 17))):
        specs.append(Spec(CaseKind.CRIMINAL, "theft_other", "海流图", None, day, f"海流图镇盗窃电动车案（{n + 1}）",
                          "小区楼下停放的电动车被盗。", solved(day, D(2024, 6, 25), closed=D(2024, 8, 1)),
                          (P(R.SUSPECT, "T6", D(2024, 6, 25), criminal_custody(D(2024, 6, 25), bail=D(2024, 7, 20))),),
                          losses=(("电动车", "1辆", 2600),), recoveries=((D(2024, 6, 26), 2600, "追回电动车发还"),),
                          method=TheftMethod.OTHER, goods=Goods.VEHICLE, campaigns=("clearance", "summer")))
    # e) Fifteen single cases, one man each (T7 was caught for a theft in 2023 too).
    singles = [
        (L, "温更", 1, D(2023, 12, 18), D(2024, 1, 8), "盗窃牛2头", 16000, Goods.CATTLE, TheftMethod.VEHICLE),
        (B, "海流图", 0, D(2024, 1, 15), D(2024, 1, 22), "入户盗窃现金", 4800, Goods.CASH, TheftMethod.UNLOCKED),
        (L, "川井", 2, D(2024, 2, 26), D(2024, 3, 15), "盗窃羊6只", 6600, Goods.SHEEP, TheftMethod.VEHICLE),
        (L, "巴音乌兰", 1, D(2024, 3, 18), D(2024, 4, 6), "盗窃骆驼1峰", 9000, Goods.HORSE_CAMEL, TheftMethod.VEHICLE),
        ("theft_other", "甘其毛都", None, D(2024, 4, 9), D(2024, 4, 11), "盗窃手机", 3500, Goods.PHONE,
         TheftMethod.PICKPOCKET),
        (B, "乌加河", 3, D(2024, 5, 21), D(2024, 5, 30), "入户盗窃金项链", 7200, Goods.CASH, TheftMethod.WINDOW),
        (L, "新忽热", 0, D(2024, 6, 9), D(2024, 7, 2), "盗窃马2匹", 12000, Goods.HORSE_CAMEL, TheftMethod.CUT_FENCE),
        ("theft_other", "德岭山", 2, D(2024, 6, 30), D(2024, 7, 4), "盗窃电缆", 5400, Goods.CABLE, TheftMethod.OTHER),
        (L, "呼勒斯太", 1, D(2024, 7, 14), D(2024, 8, 2), "盗窃羊9只", 9900, Goods.SHEEP, TheftMethod.CUT_FENCE),
        (L, "石哈河", 4, D(2024, 7, 29), D(2024, 8, 6), "盗窃鸡鸭30只", 1800, Goods.POULTRY, TheftMethod.NIGHT_HERD),
        ("theft_other", "海流图", None, D(2024, 8, 12), D(2024, 8, 14), "盗窃柴油", 2100, Goods.FUEL, TheftMethod.OTHER),
        (B, "温更", 2, D(2024, 9, 3), D(2024, 9, 18), "入户盗窃现金", 3600, Goods.CASH, TheftMethod.PRY_LOCK),
        (C, "乌加河", 5, D(2024, 9, 16), D(2024, 9, 27), "盗窃玉米", 4300, Goods.GRAIN, TheftMethod.VEHICLE),
        (L, "海流图", 0, D(2024, 10, 21), D(2024, 11, 5), "盗窃羊4只", 4400, Goods.SHEEP, TheftMethod.NIGHT_HERD),
        ("theft_other", "甘其毛都", None, D(2024, 11, 19), D(2024, 12, 3), "盗窃手机", 4100, Goods.PHONE,
         TheftMethod.PICKPOCKET),
    ]
    for n, (cat, town, village, day, solved_on, what, value, goods, method) in enumerate(singles):
        who = f"T{7 + n}"
        back = value if n % 3 == 0 else value // 2 if n % 3 == 1 else 0
        specs.append(Spec(CaseKind.CRIMINAL, cat, town, village, day, f"{town}{what}案", f"{what}，价值{value}元。",
                          solved(day, solved_on, closed=solved_on + dt.timedelta(days=25)
                                 if solved_on < D(2024, 11, 1) else None),
                          (P(R.SUSPECT, who, solved_on, criminal_custody(solved_on, bail=solved_on + dt.timedelta(days=20)
                                                                        if solved_on < D(2024, 12, 1) else None)),
                           P(R.VICTIM, f"TS{n}")),
                          losses=((what.removeprefix("盗窃").removeprefix("入户盗窃"), "", value),),
                          recoveries=((solved_on + dt.timedelta(days=2), back, "追回赃物发还"),) if back else (),
                          method=method, goods=goods,
                          campaigns=("clearance",) if D(2024, 3, 1) <= day <= D(2024, 11, 30) else ()))
    # f) Two solved with the suspect identified but still at large (网上追逃).
    for n, (town, day, solved_on) in enumerate((("川井", D(2024, 8, 20), D(2024, 9, 10)),
                                                ("巴音乌兰", D(2024, 10, 3), D(2024, 11, 20)))):
        specs.append(Spec(CaseKind.CRIMINAL, L, town, n, day, f"{town}苏木盗窃牛案（{n + 1}）",
                          "经侦查锁定犯罪嫌疑人，已上网追逃。", solved(day, solved_on),
                          (P(R.SUSPECT, f"TF{n}"), P(R.VICTIM, f"TFV{n}")), losses=(("牛1头", "1头", 8500),),
                          method=TheftMethod.VEHICLE, goods=Goods.CATTLE))
    # g) 2023: solved and caught in 2023 (T7 again); not counted for 2024.
    specs.append(Spec(CaseKind.CRIMINAL, L, "温更", 0, D(2023, 10, 11), "温更镇盗窃羊只案（2023）", "",
                      solved(D(2023, 10, 11), D(2023, 11, 2), closed=D(2023, 12, 5)),
                      (P(R.SUSPECT, "T7", D(2023, 11, 2), criminal_custody(D(2023, 11, 2), bail=D(2023, 11, 30))),),
                      losses=(("羊5只", "5只", 5000),), recoveries=((D(2023, 11, 4), 5000, "追回羊5只"),),
                      method=TheftMethod.VEHICLE, goods=Goods.SHEEP))
    # h) 2024 theft cases not solved (two of them look like the series: the operation's candidates).
    open_cases = [
        (L, "乌加河", 1, D(2024, 5, 14), "乌加河镇盗窃羊只案", TheftMethod.NIGHT_HERD, Goods.SHEEP),
        (L, "海流图", 1, D(2024, 5, 27), "海流图镇盗窃羊只案", TheftMethod.NIGHT_HERD, Goods.SHEEP),
        (B, "德岭山", 4, D(2024, 8, 8), "德岭山镇入户盗窃案", TheftMethod.WINDOW, Goods.CASH),
        (C, "石哈河", 3, D(2024, 9, 30), "石哈河镇盗窃玉米案", TheftMethod.REAP, Goods.GRAIN),
        ("theft_other", "海流图", None, D(2024, 11, 2), "海流图镇盗窃电动车案", TheftMethod.OTHER, Goods.VEHICLE),
        (L, "新忽热", 2, D(2024, 12, 12), "新忽热苏木盗窃羊只案", TheftMethod.CUT_FENCE, Goods.SHEEP),
    ]
    for cat, town, village, day, title, method, goods in open_cases:
        specs.append(Spec(CaseKind.CRIMINAL, cat, town, village, day, title, "侦查中。",
                          ((S.FILED, day), (S.INVESTIGATING, day + dt.timedelta(days=2))),
                          (P(R.VICTIM, f"TO{day:%m%d}"),), losses=(("被盗财物", "", 3000),), method=method, goods=goods))
    specs.append(Spec(CaseKind.CRIMINAL, "theft_other", "海流图", None, D(2024, 7, 6), "海流图镇报称手机被盗案",
                      "经查系手机遗失后被拾得归还，不构成盗窃。", ((S.DROPPED, D(2024, 7, 8)),),
                      note="经查系遗失，不予立案"))
    return specs


FRAUD = [
    # (kind, town, accepted, title, loss, [(date, amount)], solved)
    ("fraud_telecom", "海流图", D(2024, 3, 28), "海流图镇“刷单返利”电信网络诈骗案", 326000,
     [(D(2024, 5, 20), 186000), (D(2024, 8, 2), 52000)], False),
    ("fraud_telecom", "乌加河", D(2024, 2, 27), "乌加河镇冒充电商客服电信网络诈骗案", 98000, [(D(2024, 3, 11), 98000)], False),
    ("fraud_telecom", "德岭山", D(2024, 7, 9), "德岭山镇虚假投资理财电信网络诈骗案", 420000, [(D(2024, 10, 16), 215000)], False),
    ("fraud_telecom", "甘其毛都", D(2024, 5, 30), "甘其毛都镇冒充公检法电信网络诈骗案", 150000, [(D(2024, 6, 30), 126518)],
     False),
    ("fraud_telecom", "石哈河", D(2024, 3, 14), "石哈河镇虚假网络贷款电信网络诈骗案", 46000, [(D(2024, 4, 9), 10000)], False),
    ("fraud_other", "巴音乌兰", D(2024, 10, 25), "巴音乌兰苏木收购羊只合同诈骗案", 135000, [(D(2024, 11, 22), 135000)], True),
    ("fraud_telecom", "海流图", D(2023, 10, 8), "海流图镇“杀猪盘”电信网络诈骗案（2023）", 88000,
     [(D(2023, 12, 20), 40000), (D(2024, 1, 15), 20000)], False),
    ("fraud_telecom", "温更", D(2024, 12, 9), "温更镇冒充熟人电信网络诈骗案", 23000, [], False),
]


def _fraud() -> list[Spec]:
    specs = []
    for n, (cat, town, day, title, loss, back, cracked) in enumerate(FRAUD):
        steps = ((S.FILED, day), (S.INVESTIGATING, day + dt.timedelta(days=1)))
        parties = [P(R.VICTIM, f"FV{n}")]
        if cracked:
            steps = solved(day, D(2024, 11, 18))
            parties.append(P(R.SUSPECT, "F-suspect", D(2024, 11, 18), criminal_custody(D(2024, 11, 18),
                                                                                        arrest=D(2024, 12, 20))))
        specs.append(Spec(CaseKind.CRIMINAL, cat, town, 0 if town != "海流图" else 1, day, title,
                          f"被害人被骗{loss}元。经快速止付、冻结，追赃挽损。", steps, tuple(parties),
                          losses=(("被骗资金", "", loss),),
                          recoveries=tuple((d, a, "止付冻结资金返还被害人" if cat == "fraud_telecom" else "追缴退赔")
                                           for d, a in back)))
    return specs


def _others(rng: random.Random) -> list[Spec]:
    specs = [
        Spec(CaseKind.ADMINISTRATIVE, "drugs", "海流图", None, D(2024, 4, 26), "海流图镇吸毒案",
             "尿检呈阳性。", decided(D(2024, 4, 26), D(2024, 4, 27), D(2024, 5, 10)),
             (P(R.OFFENDER, "X1", None, ((K.ADMIN_DETENTION, D(2024, 4, 27), None, 12),
                                         (K.COMMUNITY_REHAB, D(2024, 4, 27), None, None))),), campaigns=("clearance",)),
        Spec(CaseKind.ADMINISTRATIVE, "drugs", "甘其毛都", None, D(2024, 8, 19), "甘其毛都镇吸毒案",
             "复吸。", decided(D(2024, 8, 19), D(2024, 8, 20), D(2024, 9, 1)),
             (P(R.OFFENDER, "X2", None, ((K.COMPULSORY_REHAB, D(2024, 8, 20), None, None),)),),
             campaigns=("clearance", "summer")),
        Spec(CaseKind.CRIMINAL, "drugs", "海流图", None, D(2024, 9, 5), "海流图镇贩卖毒品案",
             "", solved(D(2024, 9, 5), D(2024, 9, 12), prosecuted=D(2024, 11, 7)),
             (P(R.SUSPECT, "X3", D(2024, 9, 12), criminal_custody(D(2024, 9, 12), arrest=D(2024, 10, 15))),),
             campaigns=("clearance",)),
        Spec(CaseKind.CRIMINAL, "wages", "海流图", None, D(2024, 1, 10), "某建筑公司拒不支付劳动报酬案",
             "拖欠63名农民工工资，经劳动监察责令支付后仍不支付。",
             solved(D(2024, 1, 12), D(2024, 2, 2), prosecuted=D(2024, 3, 6)),
             (P(R.SUSPECT, "W1", D(2024, 2, 2), criminal_custody(D(2024, 2, 2), bail=D(2024, 2, 28))),)),
        Spec(CaseKind.CRIMINAL, "eco_grassland", "巴音乌兰", 3, D(2024, 5, 16), "巴音乌兰苏木非法开垦草原案",
             "擅自开垦天然草原42亩。", solved(D(2024, 5, 20), D(2024, 6, 3), prosecuted=D(2024, 8, 9)),
             (P(R.SUSPECT, "E1", D(2024, 6, 3), criminal_custody(D(2024, 6, 3), bail=D(2024, 6, 28))),),
             campaigns=("clearance",)),
        Spec(CaseKind.ADMINISTRATIVE, "eco_wildlife", "川井", 1, D(2024, 11, 4), "川井苏木非法猎捕野兔案",
             "使用铁丝套非法猎捕野兔。", decided(D(2024, 11, 4), D(2024, 11, 6), D(2024, 11, 20)),
             (P(R.OFFENDER, "E2", None, ((K.FINE, D(2024, 11, 6), 1000, None), (K.CONFISCATION, D(2024, 11, 6), 300,
                                                                                   None))),)),
        Spec(CaseKind.CRIMINAL, "weapons", "新忽热", 1, D(2024, 5, 8), "新忽热苏木非法持有枪支案",
             "清查中发现私藏火药枪一支。", solved(D(2024, 5, 8), D(2024, 5, 8), prosecuted=D(2024, 7, 1)),
             (P(R.SUSPECT, "Q1", D(2024, 5, 8), criminal_custody(D(2024, 5, 8), bail=D(2024, 6, 5))),),
             campaigns=("clearance",)),
        Spec(CaseKind.CRIMINAL, "traffic", "海流图", None, D(2024, 8, 24), "海流图镇醉酒驾驶机动车案",
             "夏季行动夜查中查获。", solved(D(2024, 8, 24), D(2024, 8, 24), prosecuted=D(2024, 9, 20)),
             (P(R.SUSPECT, "V1", D(2024, 8, 24), criminal_custody(D(2024, 8, 24), bail=D(2024, 8, 25))),),
             campaigns=("clearance", "summer")),
    ]
    for n, (town, day) in enumerate((("海流图", D(2024, 2, 13)), ("乌加河", D(2024, 4, 4)), ("德岭山", D(2024, 6, 12)),
                                     ("石哈河", D(2024, 6, 29)), ("海流图", D(2024, 7, 18)), ("温更", D(2024, 8, 3)),
                                     ("甘其毛都", D(2024, 8, 30)), ("海流图", D(2024, 10, 9)))):
        a, b = f"Y{2 * n}", f"Y{2 * n + 1}"
        fine = rng.choice((200, 300, 500))
        tags = ["clearance"] if D(2024, 3, 1) <= day <= D(2024, 11, 30) else []
        if D(2024, 6, 1) <= day <= D(2024, 8, 31):
            tags.append("summer")
        specs.append(Spec(CaseKind.ADMINISTRATIVE, "assault", town, 0 if town != "海流图" else 0, day,
                          f"{town}殴打他人案", "酒后因琐事发生口角，互相殴打。",
                          decided(day, day + dt.timedelta(days=2), day + dt.timedelta(days=10)),
                          (P(R.OFFENDER, a, None, detained(day + dt.timedelta(days=2), 5, fine)),
                           P(R.OFFENDER, b, None, ((K.FINE, day + dt.timedelta(days=2), fine, None),))),
                          campaigns=tuple(tags)))
    specs.append(Spec(CaseKind.ADMINISTRATIVE, "assault", "海流图", 0, D(2024, 12, 20), "巴仁宝勒格村殴打他人案",
                      "村民因草场边界发生纠纷互殴，调查中。", ((S.INQUIRY, D(2024, 12, 20)),),
                      (P(R.OFFENDER, "Y-a"), P(R.VICTIM, "Y-b"))))
    return specs


# ------------------------------------------------------------------------------------ building

@dataclass
class Builder:
    banner: Area
    rng: random.Random
    people: PeopleFactory
    stations: dict[str, Agency] = field(default_factory=dict)
    units: dict[str, Agency] = field(default_factory=dict)
    persons: dict[str, services.PersonIn] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    villages: dict[str, list[Area]] = field(default_factory=dict)
    categories: dict[str, CaseCategory] = field(default_factory=dict)

    def person(self, key: str) -> services.PersonIn:
        if key not in self.persons:
            born = (1958, 2001)
            p = self.people.person(banner6=BANNER, born_from=born[0], born_to=born[1], male_share=0.8)
            self.persons[key] = services.PersonIn(name=p.name, id_number=p.id_number, phone=p.phone)
        return self.persons[key]

    def place(self, town: str, village: int | None) -> Area:
        code = T[town]
        if village is None:
            return Area.objects.get(code=code)
        if code not in self.villages:
            qs = list(Area.objects.filter(parent__code=code, level=Level.VILLAGE).order_by("code"))
            rural = [a for a in qs if a.kind in (AreaKind.VILLAGE, AreaKind.GACHA)]
            self.villages[code] = rural or qs
        options = self.villages[code]
        return options[village % len(options)]

    def case(self, spec: Spec, *, incident=None, area: Area | None = None):
        area = area or self.place(spec.town, spec.village)
        case = services.case_register(
            actor=None, kind=spec.kind, category=self.categories[spec.cat], title=spec.title, area=area,
            accepted_on=spec.accepted, summary=spec.summary, station=self.stations[T[spec.town]],
            unit=self.units["刑事侦查大队"] if spec.series else None, method=spec.method, goods=spec.goods, incidents=[incident] if incident else [],
            campaigns=[self.campaigns[c] for c in spec.campaigns])
        parties = {}
        for p in spec.parties:
            parties[p.who] = services.party_add(actor=None, case=case, person=self.person(p.who), role=p.role,
                                                caught_on=p.caught)
            for kind, on, amount, days in p.measures:
                services.disposition_add(actor=None, party=parties[p.who], kind=kind, decided_on=on,
                                         amount=decimal.Decimal(amount) if amount is not None else None, days=days)
        for item, quantity, value in spec.losses:
            services.loss_add(actor=None, case=case, item=item, quantity=quantity, value=decimal.Decimal(value))
        for status, on in spec.steps:
            services.case_transition(actor=None, case=case, status=status, on=on, note=spec.note if status == S.DROPPED
                                     else "")
        for on, amount, description in spec.recoveries:
            services.recovery_add(actor=None, case=case, recovered_on=on, amount=decimal.Decimal(amount),
                                  description=description)
        return case


def _agencies(b: Builder) -> Agency:
    bureau = Agency.objects.filter(kind=AgencyKind.POLICE_BUREAU, area=b.banner).first() or Agency.objects.create(
        name=BUREAU, short_name="公安局", kind=AgencyKind.POLICE_BUREAU, area=b.banner)
    for name in ("刑事侦查大队", "治安管理大队", "指挥中心"):
        b.units[name] = Agency.objects.filter(name=f"{BUREAU}{name}").first() or Agency.objects.create(
            name=f"{BUREAU}{name}", short_name=name, kind=AgencyKind.POLICE_HQ, area=b.banner, parent=bureau)
    for code, stem in STEMS.items():
        township = Area.objects.get(code=code)
        b.stations[code] = (Agency.objects.filter(kind=AgencyKind.POLICE_STATION, area=township).first()
                            or Agency.objects.create(name=f"{BUREAU}{stem}派出所", short_name=f"{stem}派出所",
                                                     kind=AgencyKind.POLICE_STATION, area=township, parent=bureau))
    return bureau


def _campaigns(b: Builder, bureau: Agency) -> None:
    units = [*b.stations.values(), b.units["刑事侦查大队"], b.units["治安管理大队"]]
    G = services.GoalIn
    b.campaigns["clearance"] = services.campaign_create(
        actor=None, name=CLEARANCE, kind="clearance", area=b.banner, start=D(2024, 3, 1), end=D(2024, 11, 30),
        organizer=b.units["治安管理大队"], units=units,
        targets="深入开展涉枪涉爆隐患大清查、治安乱点大整治、非法枪爆物品大收缴；依法严厉打击涉黄涉赌、盗窃等违法犯罪。",
        goals=[G(Metric.SEIZED, 10, ItemKind.GUN), G(Metric.SEIZED, 500, ItemKind.AMMO),
               G(Metric.SEIZED, 40, ItemKind.KNIFE), G(Metric.INSPECTIONS, 60), G(Metric.CASES, 40)])
    b.campaigns["summer"] = services.campaign_create(
        actor=None, name=SUMMER, kind="summer", area=b.banner, start=D(2024, 6, 1), end=D(2024, 8, 31),
        organizer=b.units["指挥中心"], units=units,
        targets="夏季治安打击整治“百日行动”：加强夜间巡逻防控，严打涉黄涉赌、酒驾醉驾、寻衅滋事等突出违法犯罪。",
        goals=[G(Metric.CASES, 20), G(Metric.PERSON_TIMES, 40), G(Metric.INSPECTIONS, 25)])
    b.campaigns["c2023"] = services.campaign_create(
        actor=None, name=f"{BUREAU}2023年夏季治安打击整治行动", kind="summer", area=b.banner, start=D(2023, 6, 1),
        end=D(2023, 8, 31), organizer=b.units["指挥中心"], units=units, targets="2023年夏季行动。")


PLACES = [
    (PlaceKind.HOTEL, "宾馆", "落实旅客住宿实名登记", 0), (PlaceKind.INTERNET_CAFE, "网吧", "未成年人上网登记", 1),
    (PlaceKind.SCRAP, "废品收购站", "收购生产性废旧金属登记", 1), (PlaceKind.EXPLOSIVES, "民爆仓库", "双人双锁、视频监控", 0),
    (PlaceKind.RENTAL, "出租房屋", "出租人登记承租人信息", 2), (PlaceKind.ENTERTAINMENT, "KTV", "营业时间、消防通道", 1),
    (PlaceKind.LOGISTICS, "快递网点", "收寄验视、实名收寄", 0), (PlaceKind.FUEL, "加油站", "散装汽油实名购买登记", 0),
    (PlaceKind.BATH, "洗浴中心", "从业人员登记", 1), (PlaceKind.CHESS, "棋牌室", "是否有赌博行为", 0),
]


def _field_work(b: Builder) -> tuple[int, int]:
    towns = list(STEMS)
    inspections = seizures = 0
    day = D(2024, 3, 4)
    for k in range(72):
        kind, label, topic, problems = PLACES[(k + k // 10) % len(PLACES)]
        town = towns[k % 10]
        campaign = b.campaigns["summer"] if D(2024, 6, 1) <= day <= D(2024, 8, 31) and k % 2 else b.campaigns["clearance"]
        services.inspection_add(actor=None, campaign=campaign, area=Area.objects.get(code=town),
                                place=f"{STEMS[town]}某{label}", place_kind=kind, inspected_on=day,
                                findings=f"检查{topic}情况。" + (f"发现问题{problems}处，已责令整改。" if problems else "未发现问题。"),
                                problems=problems, inspectors="民警2名、辅警2名")
        inspections += 1
        day += dt.timedelta(days=3 + k % 2)
    for n, (kind, qty, on, town, what) in enumerate([
        (ItemKind.GUN, 3, D(2024, 3, 26), "新忽热", "收缴群众主动上交的火药枪"),
        (ItemKind.GUN, 2, D(2024, 4, 17), "巴音乌兰", "牧区清查收缴气枪"),
        (ItemKind.GUN, 1, D(2024, 5, 8), "新忽热", "清查中发现私藏火药枪"),
        (ItemKind.GUN, 4, D(2024, 6, 21), "川井", "收缴群众主动上交的自制火药枪"),
        (ItemKind.GUN, 2, D(2024, 9, 12), "温更", "收缴气枪"),
        (ItemKind.AMMO, 320, D(2024, 4, 17), "巴音乌兰", "收缴铅弹"), (ItemKind.AMMO, 300, D(2024, 6, 21), "川井", "收缴子弹"),
        (ItemKind.KNIFE, 21, D(2024, 5, 29), "海流图", "清查收缴管制刀具"),
        (ItemKind.KNIFE, 16, D(2024, 7, 16), "甘其毛都", "夏季行动夜查收缴管制刀具"),
        (ItemKind.DETONATOR, 15, D(2024, 8, 7), "石哈河", "收缴废弃采石场遗留雷管"),
        (ItemKind.EXPLOSIVE, decimal.Decimal("8.5"), D(2024, 8, 7), "石哈河", "收缴废弃采石场遗留炸药"),
        (ItemKind.GAMBLING, 6, D(2024, 7, 27), "呼勒斯太", "查处赌博收缴麻将机及扑克"),
    ]):
        campaign = b.campaigns["summer"] if D(2024, 6, 1) <= on <= D(2024, 8, 31) and n % 2 else b.campaigns["clearance"]
        services.seizure_add(actor=None, campaign=campaign, area=Area.objects.get(code=T[town]), item_kind=kind,
                             quantity=decimal.Decimal(qty), seized_on=on, description=what)
        seizures += 1
    services.inspection_add(actor=None, campaign=b.campaigns["c2023"], area=Area.objects.get(code=towns[0]),
                            place="海流图某网吧", place_kind=PlaceKind.INTERNET_CAFE, inspected_on=D(2023, 7, 5),
                            findings="2023年检查。", problems=0)
    services.seizure_add(actor=None, campaign=b.campaigns["c2023"], area=Area.objects.get(code=towns[0]),
                         item_kind=ItemKind.KNIFE, quantity=decimal.Decimal(9), seized_on=D(2023, 7, 5),
                         description="2023年收缴")
    return inspections, seizures


def _from_incidents(b: Builder) -> int:
    """Theft cases opened from 2024 incidents at the scene (or already marked 转为案件), not yet solved."""
    try:
        from pingan.incidents.models import Incident, IncidentStatus
    except ImportError:  # pragma: no cover
        return 0
    names = {"入户盗窃": "theft_burglary", "盗窃牲畜": "theft_livestock", "盗窃农作物": "theft_crops"}
    rows = list(Incident.objects.filter(banner=b.banner, category__name__in=list(names), area__level=Level.VILLAGE,
                                        received_at__year=2024,
                                        status__in=(IncidentStatus.ON_SCENE, IncidentStatus.TO_CASE))
                .select_related("area", "area__parent", "category").order_by("received_at", "pk")[:8])
    from django.utils import timezone

    for incident in rows:
        day = timezone.localtime(incident.received_at).date()
        town = STEMS.get(incident.area.parent.code)
        if town is None or day > D(2024, 12, 31):
            continue
        spec = Spec(CaseKind.CRIMINAL, names[incident.category.name], town, None, day,
                    f"{incident.area.short_name}{incident.category.name}案", incident.content[:200],
                    ((S.FILED, day),), (P(R.VICTIM, f"I{incident.pk}"),))
        b.case(spec, incident=incident, area=incident.area)
    return len(rows)


@transaction.atomic
def build(stdout=None) -> None:
    out = stdout.write if stdout is not None else (lambda s: None)
    if is_present():
        out("打击整治演示数据已存在，跳过\n")
        return
    banner = Area.objects.filter(code=BANNER_CODE).first()
    if banner is None:
        from pingan.areas.services import areas_load_banner

        areas_load_banner(banner_code=BANNER)
        banner = Area.objects.get(code=BANNER_CODE)
    rng = random.Random(2024)
    taken_ids = set(Staff.objects.values_list("id_number", flat=True)) | set(
        Person.objects.exclude(id_number=None).values_list("id_number", flat=True))
    taken_phones = set(Staff.objects.exclude(phone="").values_list("phone", flat=True))
    b = Builder(banner, rng, PeopleFactory(random.Random("2024/cases/people"), taken_ids=taken_ids,
                                           taken_phones=taken_phones))
    b.categories = {c.code: c for c in CaseCategory.objects.select_related("parent")}
    bureau = _agencies(b)
    _campaigns(b, bureau)
    specs = _porn() + _gambling(rng) + _theft() + _fraud() + _others(rng)
    series = []
    for spec in specs:
        case = b.case(spec)
        if spec.series:
            series.append(case)
    services.operation_create(
        actor=None, name="海流图、乌加河系列盗窃羊只案合成作战", area=banner, opened_on=D(2024, 3, 12),
        lead_unit=b.units["刑事侦查大队"], method=TheftMethod.NIGHT_HERD, goods=Goods.SHEEP,
        description="指挥中心研判：2024年1月以来海流图、乌加河两镇连续发生夜间剪断围栏、驾车盗运羊只案件，"
                    "作案手段、侵害物品、时段高度一致，串并侦查，由刑侦大队牵头，两所合成作战。",
        cases=series)
    from pingan.cases.models import Operation

    services.operation_close(actor=None, operation=Operation.objects.get(name__startswith="海流图、乌加河系列"),
                             closed_on=D(2024, 5, 15), note="抓获犯罪嫌疑人2名，破案5起，追回羊只发还失主")
    inspections, seizures = _field_work(b)
    linked = _from_incidents(b)
    out(f"乌拉特中旗打击整治：案件{len(specs) + linked}起（其中由警情转案{linked}起），专项行动3项，"
        f"检查{inspections + 1}处次，收缴{seizures + 1}次，合成作战1次\n")
