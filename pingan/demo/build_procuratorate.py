"""伊金霍洛旗人民检察院 with its departments and prosecutors, and the outside administrative agencies
(行政机关) that receive procuratorial suggestions, with one liaison each."""

from __future__ import annotations

from pingan.areas.models import Area
from pingan.demo.base import (
    Career,
    DemoContext,
    DemoStep,
    audit_batch,
    career,
    make_staff,
    save_careers,
    year_day,
)
from pingan.demo.build_areas import EJIN_HORO
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory

PROCURATORATE_NAME = "伊金霍洛旗人民检察院"
# Department → prosecutors, assistants
DEPARTMENTS = (
    ("控告申诉检察部", 2, 1),
    ("刑事检察部", 3, 2),
    ("公益诉讼检察部", 2, 1),
    ("民事行政检察部", 2, 1),
    ("综合业务部", 1, 1),
)
# Outside administrative agencies: (full name, short name)
ADMIN_AGENCIES = (
    ("伊金霍洛旗市场监督管理局", "市场监管局"),
    ("伊金霍洛旗卫生健康委员会", "卫健委"),
    ("伊金霍洛旗人力资源和社会保障局", "人社局"),
    ("伊金霍洛旗自然资源局", "自然资源局"),
    ("伊金霍洛旗林业和草原局", "林草局"),
    ("伊金霍洛旗生态环境局", "生态环境局"),
    ("伊金霍洛旗水务局", "水务局"),
)


def is_present() -> bool:
    return Agency.objects.filter(name=PROCURATORATE_NAME, area__code=EJIN_HORO).exists()


def build(ctx: DemoContext) -> dict[str, int]:
    rng, people = ctx.rng("procuratorate"), ctx.people("procuratorate")
    banner = Area.objects.get(code=EJIN_HORO)

    def person(service_year: int, **kw):
        return people.person(banner6=EJIN_HORO[:6], born_from=service_year - 28, born_to=service_year - 22,
                             mongol_share=0.25, male_share=0.55, **kw)

    head = Agency.objects.create(name=PROCURATORATE_NAME, short_name="检察院", kind=AgencyKind.PROCURATORATE,
                                 area=banner)
    depts = {name: Agency.objects.create(name=f"{PROCURATORATE_NAME}{name}", short_name=name,
                                         kind=AgencyKind.PROCURATORATE_DEPT, parent=head, area=banner)
             for name, _, _ in DEPARTMENTS}
    careers: list[Career] = []
    sy = rng.randint(1995, 2002)
    careers.append(career(person(sy), category=StaffCategory.PROSECUTOR, note="检察长", segments=[
        (depts["刑事检察部"], year_day(rng, sy, 7, 9), "参加工作"), (head, year_day(rng, rng.randint(2016, 2021)), "检察长")]))
    for name, prosecutors, assistants in DEPARTMENTS:
        for n in range(prosecutors + assistants):
            category = StaffCategory.PROSECUTOR if n < prosecutors else StaffCategory.PROCURATORATE_STAFF
            sy = rng.randint(2004, 2020)
            title = "主任" if n == 0 else "员额检察官" if category == StaffCategory.PROSECUTOR else "检察官助理"
            careers.append(career(person(sy), category=category, note=title,
                                  segments=[(depts[name], year_day(rng, sy, 7, 9), "参加工作")]))
    staff, postings = save_careers(careers)

    agencies, liaisons = [], []
    for name, short in ADMIN_AGENCIES:
        agency = Agency.objects.create(name=name, short_name=short, kind=AgencyKind.ADMIN_AGENCY, area=banner)
        agencies.append(agency)
        sy = rng.randint(2008, 2020)
        liaisons.append(make_staff(person(sy), category=StaffCategory.ADMIN_STAFF, agency=agency,
                                   service_start=year_day(rng, sy, 7, 9), note=f"{short}与检察院工作联络员"))
    Staff.objects.bulk_create(liaisons)
    counts = {"检察院部门": len(depts), "检察人员": len(staff), "任职经历": len(postings), "行政机关": len(agencies),
              "行政机关联络员": len(liaisons)}
    audit_batch(head, f"{PROCURATORATE_NAME}及伊金霍洛旗行政机关", counts)
    return counts


STEP = DemoStep("procuratorate", "伊金霍洛旗人民检察院及行政机关", is_present, build)
