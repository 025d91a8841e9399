"""阿拉善右旗司法局: a 司法所 per township/sumu (7), a 村(居)法律顾问 — a practising lawyer — for every
gacha and community (49), some 人民调解员, and the one 法律明白人 who has the demo login.

The legal-literate programme (174 trained persons) brings its own demo module; it should reuse
the person made here for the ``mingbairen`` login (``LEGAL_LITERATE_GACHA``) rather than add a
second one.
"""

from __future__ import annotations

import datetime as dt

from pingan.areas.models import Area, AreaKind, Level
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
from pingan.demo.build_areas import ALXA_RIGHT
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory

BUREAU_NAME = "阿拉善右旗司法局"
BUREAU_STAFF = ("局长", "副局长", "公共法律服务股股长", "人民参与和促进法治股股长", "社区矫正股科员")
# Fictitious firms: every adviser is a practising lawyer of one of them.
LAW_FIRMS = ("内蒙古驼铃律师事务所", "内蒙古巴丹吉林律师事务所", "内蒙古胡杨林律师事务所", "阿拉善雅布赖律师事务所")
MEDIATORS = 10
LEGAL_LITERATE_GACHA = "152922103200"  # 额肯呼都格嘎查, 巴丹吉林镇


def office_stem(township: Area) -> str:
    name = township.short_name
    for suffix in ("苏木", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def is_present() -> bool:
    return Agency.objects.filter(name=BUREAU_NAME, area__code=ALXA_RIGHT).exists()


def build(ctx: DemoContext) -> dict[str, int]:
    rng, people = ctx.rng("justice"), ctx.people("justice")
    banner = Area.objects.get(code=ALXA_RIGHT)
    townships = list(banner.children.filter(level=Level.TOWNSHIP).order_by("code"))
    villages = list(Area.objects.filter(path__startswith=banner.path, level=Level.VILLAGE).select_related("parent")
                    .order_by("code"))

    def person(born_from: int, born_to: int, **kw):
        return people.person(banner6=ALXA_RIGHT[:6], born_from=born_from, born_to=born_to, **kw)

    bureau = Agency.objects.create(name=BUREAU_NAME, short_name="司法局", kind=AgencyKind.JUSTICE_BUREAU, area=banner)
    offices = {t.pk: Agency.objects.create(name=f"{BUREAU_NAME}{office_stem(t)}司法所", short_name=f"{office_stem(t)}司法所",
                                           kind=AgencyKind.JUDICIAL_OFFICE, parent=bureau, area=t) for t in townships}
    careers: list[Career] = []
    for title in BUREAU_STAFF:
        sy = rng.randint(1998, 2016)
        office = rng.choice(list(offices.values()))
        careers.append(career(person(sy - 27, sy - 22, mongol_share=0.55, male_share=0.6), category=StaffCategory.JUSTICE_STAFF,
                              note=title, segments=[(office, year_day(rng, sy, 7, 9), "参加工作"),
                                                    (bureau, year_day(rng, sy + rng.randint(3, 7)), title)]))
    for t in townships:
        for title in ("所长", "司法助理员"):
            sy = rng.randint(2005, 2020)
            careers.append(career(person(sy - 27, sy - 22, mongol_share=0.6, male_share=0.55),
                                  category=StaffCategory.JUSTICE_STAFF, note=title,
                                  segments=[(offices[t.pk], year_day(rng, sy, 7, 9), "参加工作")]))
    _, postings = save_careers(careers)

    others: list[Staff] = []
    for v in villages:
        firm = rng.choice(LAW_FIRMS)
        others.append(make_staff(person(1970, 1995, mongol_share=0.45, male_share=0.6, local_share=0.5),
                                 category=StaffCategory.LEGAL_ADVISER, agency=offices[v.parent_id], area=v,
                                 service_start=day(rng, dt.date(2019, 1, 1), dt.date(2024, 3, 31)),
                                 note=f"{firm}律师，{v.short_name}法律顾问"))
    for v in sorted(rng.sample(villages, MEDIATORS), key=lambda a: a.code):
        committee = "嘎查" if v.kind == AreaKind.GACHA else "社区"
        others.append(make_staff(person(1958, 1985, mongol_share=0.6, male_share=0.65, local_share=0.95),
                                 category=StaffCategory.MEDIATOR, agency=offices[v.parent_id], area=v,
                                 service_start=day(rng, dt.date(2015, 1, 1), dt.date(2023, 12, 31)),
                                 note=f"{v.short_name}人民调解委员会{committee}调解员"))
    gacha = next(v for v in villages if v.code == LEGAL_LITERATE_GACHA)
    others.append(make_staff(person(1975, 1990, mongol_share=1.0, male_share=0.5, local_share=1.0),
                             category=StaffCategory.LEGAL_LITERATE, agency=offices[gacha.parent_id], area=gacha,
                             service_start=dt.date(2023, 6, 15), note="嘎查两委委员，法律明白人"))
    Staff.objects.bulk_create(others)
    counts = {"司法所": len(offices), "司法行政人员": len(careers), "任职经历": len(postings),
              "村(居)法律顾问": len(villages), "人民调解员": MEDIATORS, "法律明白人": 1}
    audit_batch(bureau, f"{BUREAU_NAME}、司法所、法律顾问、人民调解员", counts)
    return counts


STEP = DemoStep("justice", "阿拉善右旗司法局：司法所、村(居)法律顾问、人民调解员", is_present, build)
