"""Demo data of the 法律明白人 programme: 阿拉善右旗, 2024, from individual records.

``build()`` makes the article's figures come out of the platform's own indicators: 174 persons
(every 社区 5, every 嘎查 3, and 9 units above quota), 28 publicity sessions and 82 mediations in
2024, the national online course, the league training, the banner class with one representative
sharing experience and the exchange meeting — plus what a real programme also holds: candidates
not selected (two failed the political check), two who left during the year, three still in the
pipeline, consultations and visits, evaluations, and a few files with missing items.

It works on its own or after the foundation demo (``pingan.demo``): agencies are looked up by
(kind, area) and created with the same names if missing; each village's existing 村(居)法律顾问
is reused for the pairing (one is created if missing); existing 人民调解员 at a village and an
existing Staff of category 法律明白人 (the one behind the ``mingbairen`` login) become persons
of that village rather than being entered twice. Idempotent: once the banner has files, only the
missing links are added. Deterministic: every draw comes from ``random.Random`` seeded with 2024.
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from pingan.areas.models import Area, AreaKind, Level
from pingan.core import idcard
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.core.pinyin import initials
from pingan.legal.models import (
    CRITERIA,
    OPEN_STATUSES,
    Activity,
    ActivityKind,
    Attendance,
    Channel,
    Course,
    CourseKind,
    Criterion,
    Education,
    Evaluation,
    EvaluationGrade,
    LegalPerson,
    MediationOutcome,
    Mode,
    Organiser,
    Pairing,
    PoliticalStatus,
    Quota,
    SelectionCheck,
    SourceCategory,
    Status,
    StatusChange,
    Topic,
    TrainingSession,
)
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory

SEED = 2024
YEAR = 2024
YEAR_END = dt.date(YEAR, 12, 31)
BANNER = "152922000000"
BUREAU_NAME = "阿拉善右旗司法局"  # the foundation demo's names, so neither creates a second bureau
QUOTAS = {AreaKind.COMMUNITY: 5, AreaKind.GACHA: 3}
EXTRA_PERSONS = 9  # 174 = 9 × 5 + 40 × 3 + 9
ACTIVITY_COUNTS = {ActivityKind.PUBLICITY: 28, ActivityKind.MEDIATION: 82, ActivityKind.CONSULTATION: 46,
                   ActivityKind.VISIT: 63}
TRAINING_ONLY = 6  # selected late in 2024, in training at year end (counted: selected, not exited)
AUDIT_LOGIN = "demo"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶闫田任姜范"
GIVEN_M = "建国军伟强磊勇杰涛明超斌鹏辉刚峰飞宇浩波东亮平志海龙华文俊云德瑞凯鑫振宏永春成立新旭"
GIVEN_F = "丽娜敏静燕芳霞玲婷雪慧红艳秀琳颖萍洁欣悦佳倩月梅兰凤琴莉雅晶蕾丹楠玉"
MONGOL_M = ("巴特尔", "额尔敦", "那日苏", "朝鲁", "宝音", "苏和", "布和", "孟和", "达来", "满都拉", "毕力格", "巴图",
            "特木尔", "乌力吉", "哈斯巴根", "图门", "呼和", "格日勒图", "那顺", "巴雅尔", "胡日查", "朝格图", "查干")
MONGOL_F = ("乌云其其格", "斯琴高娃", "苏日娜", "图雅", "萨仁", "其木格", "敖登", "乌日娜", "高娃", "娜仁", "托娅",
            "塔娜", "乌兰", "琪琪格", "诺敏", "格日乐", "其其格", "萨日朗", "斯琴", "乌仁图雅")
REGIONS = ("152922", "152922", "152922", "152922", "152921", "152923")
PHONE_PREFIXES = ("130", "131", "135", "136", "138", "139", "150", "151", "152", "155", "158", "159", "177", "187")
LAW_FIRMS = ("内蒙古驼铃律师事务所", "内蒙古巴丹吉林律师事务所", "内蒙古胡杨林律师事务所", "阿拉善雅布赖律师事务所")

SOURCES = ((SourceCategory.COMMITTEE, 36), (SourceCategory.MEDIATOR, 12), (SourceCategory.GRID_WORKER, 14),
           (SourceCategory.ENTREPRENEUR, 12), (SourceCategory.OLD_CADRE, 6), (SourceCategory.OLD_SOLDIER, 4),
           (SourceCategory.OLD_EXPERT, 2), (SourceCategory.OLD_TEACHER, 5), (SourceCategory.OLD_MODEL, 3),
           (SourceCategory.OTHER, 6))
OCCUPATION = {
    SourceCategory.COMMITTEE: ("{unit}委员会委员", "{unit}党支部委员", "{unit}妇联主席"),
    SourceCategory.MEDIATOR: ("{unit}人民调解委员会调解员",),
    SourceCategory.GRID_WORKER: ("{unit}专职网格员", "{unit}兼职网格员"),
    SourceCategory.ENTREPRENEUR: ("牧民专业合作社理事长", "家庭牧场主", "个体工商户"),
    SourceCategory.OLD_CADRE: ("退休干部",), SourceCategory.OLD_SOLDIER: ("退役军人",),
    SourceCategory.OLD_EXPERT: ("退休畜牧技术员",), SourceCategory.OLD_TEACHER: ("退休教师",),
    SourceCategory.OLD_MODEL: ("自治区劳动模范",), SourceCategory.OTHER: ("牧民", "居民", "乡村医生"),
}


def _out(stdout):
    return (lambda text: stdout.write(text + "\n")) if stdout is not None else (lambda text: None)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    last = min(last, YEAR_END)
    return first + dt.timedelta(days=rng.randrange(max((last - first).days, 0) + 1))


def _plus(day: dt.date, rng: random.Random, low: int, high: int) -> dt.date:
    return min(day + dt.timedelta(days=rng.randint(low, high)), YEAR_END)


class People:
    """Fictitious people with valid ID numbers and phones not already in the database."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids = set(Staff.objects.values_list("id_number", flat=True))
        self.phones = set(Staff.objects.exclude(phone="").values_list("phone", flat=True))

    def name(self, gender: str, mongol: bool) -> str:
        rng = self.rng
        if mongol:
            return rng.choice(MONGOL_M if gender == "M" else MONGOL_F)
        pool = GIVEN_M if gender == "M" else GIVEN_F
        return rng.choice(SURNAMES) + "".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 2))))

    def staff(self, *, category: str, agency: Agency, area: Area, born: tuple[int, int], note: str,
              active: bool, mongol_share: float = 0.45, male_share: float = 0.6) -> Staff:
        rng = self.rng
        gender = "M" if rng.random() < male_share else "F"
        mongol = rng.random() < mongol_share
        name = self.name(gender, mongol)
        ethnicity = "蒙古族" if mongol else rng.choices(("汉族", "蒙古族", "回族"), weights=(85, 12, 3))[0]
        birth = dt.date(rng.randint(*born), 1, 1) + dt.timedelta(days=rng.randrange(365))
        while True:
            number = idcard.make(rng.choice(REGIONS), birth, rng.randrange(1, 500) * 2 + (gender == "M"))
            if number not in self.ids:
                self.ids.add(number)
                break
        while True:
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                break
        return Staff(name=name, name_initials=initials(name), category=category, agency=agency, area=area,
                     id_number=number, phone=phone, gender=gender, ethnicity=ethnicity, birth_date=birth,
                     active=active, note=note)


def _audit(obj, detail: str, counts: dict) -> None:
    audit_record(None, AuditAction.IMPORT, obj, detail=f"演示数据：{detail}", after=counts, login=AUDIT_LOGIN)


# ---- organisation ------------------------------------------------------------------------------

def _banner() -> Area:
    banner = Area.objects.filter(code=BANNER).first()
    if banner is None:
        from pingan.areas.services import areas_load_banner

        areas_load_banner(banner_code=BANNER[:6])
        banner = Area.objects.get(code=BANNER)
    return banner


def _office_stem(township: Area) -> str:
    name = township.short_name
    for suffix in ("苏木", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _agencies(banner: Area, townships: list[Area]) -> tuple[Agency, dict[int, Agency]]:
    bureau = Agency.objects.filter(kind=AgencyKind.JUSTICE_BUREAU, area=banner).order_by("pk").first()
    made = 0
    if bureau is None:
        bureau = Agency.objects.create(name=BUREAU_NAME, short_name="司法局", kind=AgencyKind.JUSTICE_BUREAU, area=banner)
        made += 1
    offices = {}
    for t in townships:
        office = Agency.objects.filter(kind=AgencyKind.JUDICIAL_OFFICE, area=t).order_by("pk").first()
        if office is None:
            stem = _office_stem(t)
            office = Agency.objects.create(name=f"{BUREAU_NAME}{stem}司法所", short_name=f"{stem}司法所",
                                           kind=AgencyKind.JUDICIAL_OFFICE, parent=bureau, area=t)
            made += 1
        offices[t.pk] = office
    if made:
        _audit(bureau, f"{BUREAU_NAME}及司法所", {"新增单位": made})
    return bureau, offices


def _quotas(banner: Area) -> None:
    for kind, quota in QUOTAS.items():
        Quota.objects.get_or_create(banner=banner, unit_kind=kind, defaults={"quota": quota})


def _advisers(units: list[Area], offices: dict[int, Agency], people: People, rng: random.Random) -> dict[int, Staff]:
    """Each unit's 村(居)法律顾问: the existing one, or a new lawyer."""
    existing = {}
    for s in Staff.objects.filter(category=StaffCategory.LEGAL_ADVISER, active=True, area__in=units).order_by("pk"):
        existing.setdefault(s.area_id, s)
    new = []
    for unit in units:
        if unit.pk not in existing:
            firm = rng.choice(LAW_FIRMS)
            staff = people.staff(category=StaffCategory.LEGAL_ADVISER, agency=offices[unit.parent_id], area=unit,
                                 born=(1970, 1995), note=f"{firm}律师，{unit.short_name}法律顾问", active=True)
            staff.service_start = _day(rng, dt.date(2019, 1, 1), dt.date(2023, 12, 31))
            new.append(staff)
    if new:
        for s in Staff.objects.bulk_create(new):
            existing[s.area_id] = s
        _audit(units[0].parent, "村(居)法律顾问", {"新增法律顾问": len(new)})
    return existing


def _pairings(units: list[Area], advisers: dict[int, Staff], rng: random.Random) -> None:
    paired = set(Pairing.objects.filter(village__in=units, end__isnull=True).values_list("village_id", flat=True))
    rows = [Pairing(village=u, adviser=advisers[u.pk],
                    start=max(_day(rng, dt.date(2022, 1, 1), dt.date(2023, 6, 30)),
                              advisers[u.pk].service_start or dt.date(2022, 1, 1)),
                    note="指导法律明白人开展法治宣传、参与矛盾纠纷调解，每月到村(社区)服务不少于1次")
            for u in units if u.pk not in paired]
    if rows:
        Pairing.objects.bulk_create(rows)
        _audit(units[0].parent, "1名法律顾问+N名法律明白人结对", {"结对": len(rows)})


# ---- persons -----------------------------------------------------------------------------------

@dataclass
class Plan:
    """One file to create: who, where, and how far they got."""

    unit: Area
    outcome: str  # serving | training | exited | political_failed | assessment_failed | withdrew | candidate | assessing
    staff: Staff | None = None
    source: str = ""
    person: LegalPerson | None = None
    checks: list = field(default_factory=list)


def _reserved(banner: Area, units: dict[int, Area]) -> dict[int, list[tuple[Staff, str]]]:
    """People already in Pingan who become persons of their village: Staff of category 法律明白人
    (the ``mingbairen`` login's), the staff of legal-literate users, and one 人民调解员 per village."""
    from pingan.accounts.models import User
    from pingan.accounts.roles import Role

    taken = set(LegalPerson.objects.filter(status__in=OPEN_STATUSES).values_list("staff_id", flat=True))
    out: dict[int, list[tuple[Staff, str]]] = {}

    def add(staff: Staff, unit_id: int, source: str) -> None:
        if staff.pk in taken or unit_id not in units:
            return
        taken.add(staff.pk)
        out.setdefault(unit_id, []).append((staff, source))

    for s in Staff.objects.filter(category=StaffCategory.LEGAL_LITERATE, area_id__in=units).order_by("pk"):
        add(s, s.area_id, SourceCategory.COMMITTEE)
    for user in (User.objects.filter(role=Role.LEGAL_LITERATE, jurisdiction__path__startswith=banner.path,
                                     staff__isnull=False).select_related("staff").order_by("pk")):
        unit_id = user.staff.area_id if user.staff.area_id in units else user.jurisdiction_id
        add(user.staff, unit_id, SourceCategory.COMMITTEE)
    seen_units = set()
    for s in Staff.objects.filter(category=StaffCategory.MEDIATOR, active=True, area_id__in=units).order_by("pk"):
        if s.area_id not in seen_units:
            seen_units.add(s.area_id)
            add(s, s.area_id, SourceCategory.MEDIATOR)
    return out


def _plans(rng: random.Random, units: list[Area]) -> list[Plan]:
    """174 selected (quota + 9 extra, 6 of them still in training), and 10 who do not count."""
    extra = set(u.pk for u in rng.sample(units, EXTRA_PERSONS))
    plans = []
    for unit in units:
        plans += [Plan(unit, "serving") for _ in range(QUOTAS[unit.kind] + (unit.pk in extra))]
    for plan in rng.sample(plans, TRAINING_ONLY):
        plan.outcome = "training"
    for outcome in ("exited", "exited", "political_failed", "political_failed", "assessment_failed", "withdrew",
                    "withdrew", "candidate", "candidate", "assessing"):
        plans.append(Plan(rng.choice(units), outcome))
    return plans


def _timeline(plan: Plan, rng: random.Random) -> dict:
    """Dates along the status flow for the plan's outcome."""
    if plan.outcome in ("training",):
        nominated = _day(rng, dt.date(2024, 8, 15), dt.date(2024, 9, 30))
    elif plan.outcome in ("candidate", "assessing"):
        nominated = _day(rng, dt.date(2024, 11, 20), dt.date(2024, 12, 10))
    elif plan.outcome == "exited":
        nominated = _day(rng, dt.date(2022, 3, 1), dt.date(2022, 12, 31))
    else:
        nominated = _day(rng, dt.date(2022, 3, 1), dt.date(2024, 7, 31))
    checked = _plus(nominated, rng, 3, 10)
    assessing = _plus(checked, rng, 1, 7)
    assessed = _plus(assessing, rng, 10, 25)
    decided = _plus(assessed, rng, 3, 15)
    serving = _plus(decided, rng, 15, 40)
    exited = _day(rng, dt.date(2024, 4, 1), dt.date(2024, 10, 31))
    return {"nominated": nominated, "checked": checked, "assessing": assessing, "assessed": assessed,
            "decided": decided, "serving": serving, "exited": exited}


def _persons(rng: random.Random, banner: Area, units: list[Area], offices: dict[int, Agency], people: People
             ) -> tuple[list[LegalPerson], set[int]]:
    """The files; and the Staff ids of people already in Pingan as 法律明白人 (the demo login's)."""
    by_id = {u.pk: u for u in units}
    plans = _plans(rng, units)
    reserved = _reserved(banner, by_id)
    featured: set[int] = set()
    for unit_id, staff_list in reserved.items():
        slots = [p for p in plans if p.unit.pk == unit_id and p.outcome == "serving" and p.staff is None]
        for (staff, source), plan in zip(staff_list, slots, strict=False):
            plan.staff, plan.source = staff, source
            if source == SourceCategory.COMMITTEE:
                featured.add(staff.pk)
    sources, weights = zip(*SOURCES, strict=True)
    new_staff = []
    for plan in plans:
        if not plan.source:
            plan.source = rng.choices(sources, weights=weights)[0]
        if plan.staff is None:
            old = plan.source in (SourceCategory.OLD_CADRE, SourceCategory.OLD_SOLDIER, SourceCategory.OLD_EXPERT,
                                  SourceCategory.OLD_TEACHER, SourceCategory.OLD_MODEL)
            plan.staff = people.staff(category=StaffCategory.LEGAL_LITERATE, agency=offices[plan.unit.parent_id],
                                      area=plan.unit, born=(1950, 1962) if old else (1968, 1996),
                                      note="法律明白人", active=plan.outcome == "serving",
                                      mongol_share=0.55, male_share=0.62)
            new_staff.append(plan.staff)
    Staff.objects.bulk_create(new_staff)
    # Staff reused from elsewhere keep their own category; a serving 法律明白人 Staff is 在岗.
    Staff.objects.filter(pk__in=[p.staff.pk for p in plans if p.staff.category == StaffCategory.LEGAL_LITERATE
                                 and p.outcome == "serving"]).update(active=True)

    persons, history, checks, seq = [], [], [], 0
    for plan in plans:
        t = _timeline(plan, rng)
        unit, outcome = plan.unit, plan.outcome
        word = "嘎查" if unit.kind == AreaKind.GACHA else "社区"
        occupation = rng.choice(OCCUPATION[plan.source]).format(unit=word)
        p = LegalPerson(staff=plan.staff, village=unit, office=offices[unit.parent_id], source_category=plan.source,
                        channel=Channel.SELF if rng.random() < 0.25 else Channel.COMMITTEE,
                        recommender="" if rng.random() < 0.25 else f"{unit.short_name}两委",
                        political_status=rng.choices(PoliticalStatus.values, weights=(55, 3, 6, 1, 35))[0],
                        education=rng.choices(Education.values, weights=(8, 30, 30, 20, 12))[0],
                        occupation="" if rng.random() < 0.03 else occupation, nominated_on=t["nominated"],
                        status=Status.CANDIDATE, status_since=t["nominated"])
        if p.recommender == "" and p.channel == Channel.COMMITTEE:
            p.recommender = f"{unit.short_name}两委"
        steps = [("", Status.CANDIDATE, t["nominated"], f"{p.channel}（{p.get_source_category_display()}）")]
        if outcome == "political_failed":
            plan.checks = [(Criterion.POLITICAL, False, t["checked"])]
        elif outcome == "withdrew" or (outcome == "candidate" and rng.random() < 0.5):
            plan.checks = [(Criterion.POLITICAL, True, t["checked"])]
        elif outcome == "candidate":
            plan.checks = []
        else:
            plan.checks = [(c, True, t["checked"]) for c in CRITERIA]
        if outcome == "political_failed":
            steps.append((Status.CANDIDATE, Status.NOT_SELECTED, t["checked"], "政治标准审查未通过"))
            p.decided_on, p.decision_reason = t["checked"], "政治标准审查未通过"
        elif outcome == "withdrew":
            steps.append((Status.CANDIDATE, Status.NOT_SELECTED, t["assessing"], "本人因家中放牧事务繁忙放弃"))
            p.decided_on, p.decision_reason = t["assessing"], "本人因家中放牧事务繁忙放弃"
        elif outcome != "candidate":
            steps.append((Status.CANDIDATE, Status.ASSESSING, t["assessing"], "选拔条件审查通过，进入考察"))
            if outcome != "assessing":
                p.assessment_passed = outcome != "assessment_failed"
                p.assessment_opinion = ("群众评价较好，热心调解邻里纠纷，具备学法用法能力" if p.assessment_passed
                                        else "群众基础较弱，考察期间未参加集中学习")
                p.assessed_on = t["assessed"]
                p.decided_on = t["decided"]
            if outcome == "assessment_failed":
                p.decision_reason = "考察结论不合格"
                steps.append((Status.ASSESSING, Status.NOT_SELECTED, t["decided"], "考察结论不合格"))
            elif outcome in ("serving", "training", "exited"):
                steps.append((Status.ASSESSING, Status.TRAINING, t["decided"], "审查、考察合格，决定入选"))
                p.selected_on = t["decided"]
                seq += 1
                if rng.random() > 0.05:
                    p.certificate_no = f"阿右司法明字〔{p.selected_on.year}〕{seq:03d}号"
                if outcome in ("serving", "exited"):
                    steps.append((Status.TRAINING, Status.SERVING, t["serving"], "培训合格，上岗服务"))
                    p.serving_on = t["serving"]
                if outcome == "exited":
                    p.exited_on, p.exit_reason = t["exited"], rng.choice(("外出务工，本人申请退出", "迁居外地"))
                    steps.append((Status.SERVING, Status.EXITED, t["exited"], p.exit_reason))
        last = steps[-1]
        p.status, p.status_since = last[1], last[2]
        persons.append(p)
        history.append(steps)
    LegalPerson.objects.bulk_create(persons)
    rows, check_rows = [], []
    for p, steps, plan in zip(persons, history, plans, strict=True):
        rows += [StatusChange(person=p, from_status=a, to_status=b, on=on, reason=reason) for a, b, on, reason in steps]
        check_rows += [SelectionCheck(person=p, criterion=c, passed=ok, checked_on=on,
                                      note="" if ok else "曾因扰乱公共秩序受到治安管理处罚") for c, ok, on in plan.checks]
    StatusChange.objects.bulk_create(rows)
    SelectionCheck.objects.bulk_create(check_rows)
    checks = len(check_rows)
    evaluations = []
    for i, p in enumerate(persons):
        if p.status == Status.SERVING and p.selected_on < dt.date(YEAR, 7, 1) and i % 15 != 7:
            grade = rng.choices(EvaluationGrade.values[:3], weights=(20, 75, 5))[0]
            evaluations.append(Evaluation(person=p, year=YEAR, grade=grade, evaluated_on=_day(
                rng, dt.date(YEAR, 12, 10), dt.date(YEAR, 12, 28)), comment="履职尽责，群众认可" if grade != "基本称职" else "参加活动较少"))
    Evaluation.objects.bulk_create(evaluations)
    _audit(banner, "法律明白人档案", {"档案": len(persons), "新增人员": len(new_staff), "状态记录": len(rows),
                                       "选拔条件审查": checks, "年度评议": len(evaluations)})
    return persons, featured


# ---- training ----------------------------------------------------------------------------------

COURSES = (
    # (name, organiser, kind, mode, topics, sessions: (title, month, hours, topic, place, lecturer), share attending)
    ("全国“法律明白人”示范培训班（线上）", Organiser.NATIONAL, CourseKind.DEMONSTRATION, Mode.ONLINE,
     [Topic.XI_RULE_OF_LAW, Topic.CONSTITUTION, Topic.CIVIL_CODE, Topic.CASES],
     (("习近平法治思想专家专题授课", 3, "2.0", Topic.XI_RULE_OF_LAW, "全国“法律明白人”培训平台", "特邀专家"),
      ("《中华人民共和国宪法》专题授课", 5, "2.0", Topic.CONSTITUTION, "全国“法律明白人”培训平台", "特邀专家"),
      ("《中华人民共和国民法典》专题授课", 7, "2.0", Topic.CIVIL_CODE, "全国“法律明白人”培训平台", "特邀专家"),
      ("以案说法：农村牧区常见矛盾纠纷", 9, "1.5", Topic.CASES, "全国“法律明白人”培训平台", "特邀专家")), 0.85),
    ("全旗“法律明白人”代表交流座谈会", Organiser.BANNER, CourseKind.EXCHANGE, Mode.OFFLINE, [Topic.EXPERIENCE],
     (("“法律明白人”代表交流座谈", 4, "2.0", Topic.EXPERIENCE, "阿右旗司法局会议室", "旗司法局"),), 0.18),
    ("阿拉善盟司法局“法律明白人”暨人民调解员培训", Organiser.LEAGUE, CourseKind.CLASS, Mode.OFFLINE,
     [Topic.MEDIATION, Topic.CIVIL_CODE],
     (("“法律明白人”暨人民调解员培训", 6, "6.0", Topic.MEDIATION, "阿拉善盟巴彦浩特镇", "盟司法局"),), 0.12),
    ("“法律明白人”暨人民调解员培训班", Organiser.BANNER, CourseKind.CLASS, Mode.OFFLINE,
     [Topic.CIVIL_CODE, Topic.MEDIATION, Topic.EXPERIENCE],
     (("民法典与人民调解实务", 8, "3.0", Topic.CIVIL_CODE, "巴丹吉林镇", "旗司法局、法律顾问"),
      ("“法律明白人”代表分享工作经验", 8, "2.0", Topic.EXPERIENCE, "巴丹吉林镇", "法律明白人代表")), 0.7),
)


def _active(p: LegalPerson, day: dt.date) -> bool:
    return p.selected_on is not None and p.selected_on <= day and (p.exited_on is None or p.exited_on > day)


def _training(rng: random.Random, banner: Area, persons: list[LegalPerson]) -> None:
    sessions, attendances = [], []
    for name, organiser, kind, mode, topics, specs, share in COURSES:
        course = Course.objects.create(name=name, organiser=organiser, kind=kind, mode=mode, topics=list(topics),
                                       area=banner)
        day_one = None
        for title, month, hours, topic, place, lecturer in specs:
            date = day_one + dt.timedelta(days=1) if day_one and kind == CourseKind.CLASS and organiser == Organiser.BANNER \
                else _day(rng, dt.date(YEAR, month, 5), dt.date(YEAR, month, 25))
            day_one = date
            session = TrainingSession(course=course, title=title, date=date, hours=decimal.Decimal(hours), topic=topic,
                                      place=place, lecturer=lecturer)
            if topic == Topic.EXPERIENCE and organiser == Organiser.BANNER and kind == CourseKind.CLASS:
                veterans = [p for p in persons if p.status == Status.SERVING and p.selected_on.year < YEAR
                            and p.source_category in (SourceCategory.MEDIATOR, SourceCategory.COMMITTEE)]
                session.representative = rng.choice(veterans)
            session.save()
            sessions.append(session)
            for p in persons:
                if _active(p, date) and (rng.random() < share or p == session.representative):
                    scored = organiser in (Organiser.BANNER, Organiser.LEAGUE) and kind == CourseKind.CLASS
                    score = rng.randint(72, 98) if scored else None
                    attendances.append(Attendance(session=session, person=p, hours=session.hours, test_score=score,
                                                  passed_test=None if score is None else score >= 60))
    Attendance.objects.bulk_create(attendances)
    _audit(banner, "法律明白人培训", {"培训场次": len(sessions), "参训人次": len(attendances)})


# ---- activities --------------------------------------------------------------------------------

PUBLICITY = (("“宪法宣传周”法治宣传", 12), ("民法典宣传月进嘎查", 5), ("“3·15”消费者权益保护法律宣传", 3),
             ("全民国家安全教育日宣传", 4), ("防范电信网络诈骗宣传", 0), ("草原法律法规宣传", 0),
             ("防范非法集资宣传", 6), ("法治宣传进社区", 0), ("禁毒法律知识宣传", 6), ("农牧民工工资支付法规宣传", 1))
PLACES = ("嘎查党群服务中心", "社区新时代文明实践站", "牧民家中", "社区广场", "苏木集市", "嘎查文化室")
AUDIENCES = ("农牧民群众", "社区居民", "老年人", "中小学生", "个体工商户", "外来务工人员")
DISPUTES = ("草场边界纠纷", "邻里纠纷", "婚姻家庭纠纷", "民间借贷纠纷", "牲畜损害赔偿纠纷", "草场承包经营纠纷",
            "劳务费纠纷", "房屋租赁纠纷", "赡养纠纷", "饮水井使用纠纷")
CONSULTS = ("婚姻继承法律咨询", "草场流转合同咨询", "劳动报酬追讨咨询", "土地(草场)确权咨询", "民间借贷法律咨询",
            "交通事故赔偿咨询")
OUTCOMES = ((MediationOutcome.SETTLED, 88), (MediationOutcome.FAILED, 5), (MediationOutcome.REFERRED, 7))


def _activities(rng: random.Random, banner: Area, units: list[Area], persons: list[LegalPerson],
                advisers: dict[int, Staff], offices: dict[int, Agency], people: People, featured_staff: set[int]
                ) -> None:
    by_unit: dict[int, list[LegalPerson]] = {}
    for p in persons:
        if p.selected_on is not None:
            by_unit.setdefault(p.village_id, []).append(p)
    rows, links = [], []
    for kind, total in ACTIVITY_COUNTS.items():
        for _ in range(total):
            while True:
                if kind == ActivityKind.PUBLICITY:
                    title, month = rng.choice(PUBLICITY)
                    month = month or rng.randint(1, 12)
                    date = _day(rng, dt.date(YEAR, month, 1), dt.date(YEAR, month, 28))
                else:
                    date = _day(rng, dt.date(YEAR, 1, 3), dt.date(YEAR, 12, 28))
                unit = rng.choice(units)
                available = [p for p in by_unit.get(unit.pk, []) if _active(p, date)]
                if available:
                    break
            group = rng.sample(available, min(len(available), rng.choice((1, 1, 2, 2, 3) if kind == ActivityKind.PUBLICITY
                                                                         else (1, 1, 2))))
            joint = rng.random() < {ActivityKind.PUBLICITY: 0.5, ActivityKind.MEDIATION: 0.3,
                                    ActivityKind.CONSULTATION: 0.6, ActivityKind.VISIT: 0.2}[kind]
            a = Activity(kind=kind, date=date, village=unit, office=offices[unit.parent_id],
                         adviser=advisers[unit.pk] if joint else None)
            if kind == ActivityKind.PUBLICITY:
                a.title, a.place, a.audience = title, rng.choice(PLACES), rng.choice(AUDIENCES)
                a.audience_count = rng.randint(20, 160)
                a.materials = f"发放宣传手册{rng.randint(3, 30) * 10}份"
            elif kind == ActivityKind.MEDIATION:
                a.title = rng.choice(DISPUTES)
                a.parties = "、".join(people.name(rng.choice("MF"), rng.random() < 0.5) for _ in range(2))
                a.outcome = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
                a.audience_count = 2
                a.summary = "上门了解情况，释法说理，促成双方达成调解协议" if a.outcome == MediationOutcome.SETTLED \
                    else "双方分歧较大，已引导通过诉讼或有关部门解决"
            elif kind == ActivityKind.CONSULTATION:
                a.title, a.place = rng.choice(CONSULTS), rng.choice(("设置法律咨询台", "上门解答", "电话解答"))
                a.audience_count = rng.randint(3, 40)
                a.summary = "解答群众法律问题，引导依法理性表达诉求"
            else:
                a.title, a.place = "走村串户", f"{unit.short_name}牧户"
                a.audience_count = rng.randint(5, 25)
                a.summary = f"走访牧户{a.audience_count}户，摸排矛盾纠纷线索，宣传法律知识"
            rows.append(a)
            links.append(group)
    # People behind a login (reused Staff of category 法律明白人) take part in their village's work,
    # so the demo login has a file with work records to show.
    featured = [p for p in persons if p.staff_id in featured_staff and p.status == Status.SERVING]
    for p in featured:
        for a, group in zip(rows, links, strict=True):
            if a.village_id == p.village_id and _active(p, a.date) and p not in group:
                group.append(p)
    Activity.objects.bulk_create(rows)
    through = Activity.participants.through
    through.objects.bulk_create([through(activity_id=a.pk, legalperson_id=p.pk) for a, group in zip(rows, links, strict=True)
                                 for p in group])
    _audit(banner, "法治活动", {k.label: v for k, v in ACTIVITY_COUNTS.items()})


# ---- demo logins -------------------------------------------------------------------------------

def _link_users(banner: Area) -> int:
    """A legal-literate login without a person gets one of the persons of its village (whose Staff
    has no login yet). The foundation demo's ``mingbairen`` already points at its Staff, which
    ``_reserved`` made a person of 额肯呼都格嘎查."""
    from pingan.accounts.models import User
    from pingan.accounts.roles import Role

    linked = 0
    for user in User.objects.filter(role=Role.LEGAL_LITERATE, jurisdiction__path__startswith=banner.path,
                                    staff__isnull=True).select_related("jurisdiction").order_by("pk"):
        person = (LegalPerson.objects.filter(village__path__startswith=user.jurisdiction.path, status=Status.SERVING,
                                             staff__user__isnull=True).annotate(n=Count("activities"))
                  .select_related("staff").order_by("-n", "pk").first())
        if person is None:
            continue
        user.staff = person.staff
        user.save(update_fields=["staff"])
        audit_record(None, AuditAction.UPDATE, user, before={"staff": None}, after={"staff": person.staff_id},
                     login=AUDIT_LOGIN, detail=f"演示账号关联法律明白人{person.staff.name}")
        linked += 1
    return linked


@transaction.atomic
def build(stdout=None) -> None:
    out = _out(stdout)
    rng = random.Random(SEED)
    banner = _banner()
    townships = list(Area.objects.filter(parent=banner, level=Level.TOWNSHIP).order_by("code"))
    units = list(Area.objects.filter(path__startswith=banner.path, kind__in=tuple(QUOTAS)).select_related("parent")
                 .order_by("code"))
    _, offices = _agencies(banner, townships)
    _quotas(banner)
    people = People(random.Random(f"{SEED}/legal/people"))
    advisers = _advisers(units, offices, People(random.Random(f"{SEED}/legal/advisers")),
                         random.Random(f"{SEED}/legal/advisers"))
    _pairings(units, advisers, random.Random(f"{SEED}/legal/pairings"))
    if LegalPerson.objects.filter(village__path__startswith=banner.path).exists():
        out("法律明白人：阿拉善右旗档案已存在，跳过")
    else:
        persons, featured = _persons(rng, banner, units, offices, people)
        _training(rng, banner, persons)
        _activities(rng, banner, units, persons, advisers, offices, people, featured)
        out(f"法律明白人：阿拉善右旗档案{len(persons)}份、培训{TrainingSession.objects.filter(course__area=banner).count()}场次、"
            f"法治活动{sum(ACTIVITY_COUNTS.values())}项")
    linked = _link_users(banner)
    if linked:
        out(f"法律明白人：{linked}个演示账号关联到法律明白人")
