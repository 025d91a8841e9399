"""The 法律明白人 programme's report indicators and its part of the work summary (阿右旗)."""

from __future__ import annotations

import decimal

from django.db.models import Q, Sum

from pingan.areas.models import Area, AreaKind
from pingan.legal.models import (
    Activity,
    ActivityKind,
    Attendance,
    CourseKind,
    LegalPerson,
    Mode,
    Organiser,
    Pairing,
    Quota,
    Topic,
    TrainingSession,
)
from pingan.legal.selectors import active_on, units_meeting_quota
from pingan.reports.registry import Column, Indicator, Programme, ReportContext, register, register_programme
from pingan.reports.text import num

# ---- the summary -------------------------------------------------------------------------------


def _units_total(ctx: ReportContext, kind: str) -> int:
    return Area.objects.visible_to(ctx.actor).filter(path__startswith=ctx.banner.path, kind=kind).count()


def _coverage_clause(ctx: ReportContext, v: dict) -> str:
    quotas = dict(Quota.objects.filter(banner=ctx.banner).values_list("unit_kind", "quota"))
    parts, short = [], []
    for kind, word, code in ((AreaKind.COMMUNITY, "社区", "communities_meeting_quota"),
                             (AreaKind.GACHA, "嘎查", "gachas_meeting_quota")):
        total, quota = _units_total(ctx, kind), quotas.get(kind)
        if not total or quota is None:
            continue
        meeting = v.get(code, 0)
        parts.append((word, quota, meeting, total))
        if meeting < total:
            short.append(f"{total - meeting}个{word}")
    if not parts:
        return "。"
    if not short:
        have = "、".join(f"{w}拥有{q}名" if i else f"每个{w}拥有{q}名" for i, (w, q, _, _) in enumerate(parts))
        return f"，实现{have}“法律明白人”的良好局面。"
    reached = "、".join(f"{m}个{w}达到每个{w}{q}名的定额" for w, q, m, _ in parts)
    return f"，{reached}，尚有{'、'.join(short)}未达定额。"


def _training_text(ctx: ReportContext, v: dict) -> str:
    sessions = list(TrainingSession.objects.visible_to(ctx.actor)
                    .filter(course__area__path__startswith=ctx.banner.path, date__year=ctx.year)
                    .select_related("course").order_by("date", "pk"))
    if not sessions:
        return ""
    banner = ctx.banner.short_name
    courses = list(dict.fromkeys(s.course for s in sessions))
    modes = {c.mode for c in courses}
    text = f"培育学习，塑造可用之才。为切实提高{ctx.place}“法律明白人”的法律素养和法治意识，{banner}"
    text += "以“线上+线下”相结合的方式，" if modes == {Mode.ONLINE, Mode.OFFLINE} else ""
    clauses = []
    if any(c.organiser == Organiser.NATIONAL for c in courses):
        clauses.append("充分利用全国“法律明白人”示范培训班专家专题授课、以案说法等线上培训方式对“法律明白人”进行学习培训")
    labels = dict(Topic.choices)
    studied = [labels[t] for t in (Topic.XI_RULE_OF_LAW, Topic.CONSTITUTION, Topic.CIVIL_CODE)
               if any(s.topic == t or t in s.course.topics for s in sessions)]
    if studied:
        clauses.append(("重点学习" + "、".join(studied) + "等内容").replace("》、《", "》《"))
    exchanges = [c.name for c in courses if c.kind == CourseKind.EXCHANGE]
    if exchanges:
        clauses.append("并组织召开" + "、".join(exchanges))
    league = [c.name for c in courses if c.organiser == Organiser.LEAGUE]
    if league:
        clauses.append("参加" + "、".join(league) + "活动")
    text += "，".join(clauses) + ("。" if clauses else "")
    classes = [c for c in courses if c.organiser == Organiser.BANNER and c.kind == CourseKind.CLASS]
    if classes:
        representatives = {s.representative_id for s in sessions if s.representative_id and s.course in classes}
        text += f"在此基础上，{banner}举办" + "、".join(c.name for c in classes)
        text += (f"，选树{len(representatives)}名“法律明白人”代表结合自身体会分享交流工作经验"
                 if representatives else "") + "，通过培训+示范引领的方式，以点带面，有效提升“法律明白人”的工作能力和法治素养。"
    figures = [f"开展培训{v.get('training_sessions', 0)}场次"]
    if v.get("training_attendances"):
        figures.append(f"参训{v['training_attendances']}人次")
    if v.get("training_person_hours"):
        figures.append(f"累计{num(v['training_person_hours'], 1)}学时")
    return text + f"{ctx.year}年共" + "，".join(figures) + "。"


def _summary(ctx: ReportContext, values: dict) -> list[str]:
    """The newspaper's three parts (精选人员 · 培育学习 · 密切协作), each sentence only with its figures."""
    v = {code.removeprefix("legal."): values.get(code) or 0 for code in values if code.startswith("legal.")}
    banner, place, year = ctx.banner.short_name, ctx.place, ctx.year
    paragraphs = []
    persons = v.get("persons_total", 0)
    if persons:
        until = "截至目前" if ctx.as_of < ctx.last_day else f"截至{year}年底"
        paragraphs.append(
            f"精选人员，把好入门关口。{banner}明确“法律明白人”的选拔条件，并把政治标准放在选拔条件的首位，"
            "优先从政治素质好、群众基础扎实的嘎查（社区）两委班子成员、人民调解员、网格员、致富能手、“五老”人员中选取培养对象。"
            f"{until}，{place}共选树培育“法律明白人”{persons}人" + _coverage_clause(ctx, v))
    training = _training_text(ctx, v)
    if training:
        paragraphs.append(training)
    publicity, mediations = v.get("publicity_sessions", 0), v.get("mediations", 0)
    consultations, visits, pairs = v.get("consultations", 0), v.get("visits", 0), v.get("pairs", 0)
    if publicity or mediations or consultations or visits or pairs:
        text = "密切协作，发挥积极作用。"
        if pairs:
            text += (f"{banner}认真贯彻落实“1名村（居）法律顾问＋N名‘法律明白人’”行动，{pairs}个嘎查（社区）的法律顾问与"
                     "“法律明白人”结对，各司法所加强和嘎查、社区的衔接，做到建档及时、信息详实。")
        work = [f"开展法治宣传{publicity}场次" if publicity else "", f"参与矛盾纠纷调解{mediations}场次" if mediations else "",
                f"解答法律咨询{consultations}次" if consultations else "", f"走访群众{visits}次" if visits else ""]
        work = [w for w in work if w]
        if work:
            text += (f"法律顾问与“法律明白人”密切协作，通过走村串户、设置咨询台、解答法律咨询、常态化开展法治宣传活动等方式，"
                     f"帮助农牧民群众解决“急难愁盼”问题。{year}年，{place}“法律明白人”共" + "，".join(work)
                     + "，切实发挥“法律明白人”积极作用。")
        paragraphs.append(text)
    return paragraphs


register_programme(Programme(
    "legal", "法律明白人", order=30, summary=_summary))


# ---- the indicators ----------------------------------------------------------------------------

def _persons(ctx: ReportContext):
    return active_on(LegalPerson.objects.filter(village__path__startswith=ctx.banner.path), ctx.as_of).select_related(
        "staff", "village", "village__parent")


def _activities(ctx: ReportContext, kind: str):
    return Activity.objects.filter(village__path__startswith=ctx.banner.path, kind=kind, date__year=ctx.year
                                   ).select_related("village", "village__parent")


def _attendances(ctx: ReportContext):
    return Attendance.objects.filter(person__village__path__startswith=ctx.banner.path, session__date__year=ctx.year
                                     ).select_related("person__staff", "person__village", "session__course")


def _hours(records, ctx) -> decimal.Decimal:
    return (records.aggregate(h=Sum("hours"))["h"] or decimal.Decimal("0")).quantize(decimal.Decimal("0.1"))


_person_columns = (Column("姓名", lambda p: p.staff.name), Column("乡镇(苏木)", lambda p: p.village.parent.short_name),
                   Column("嘎查(社区)", lambda p: p.village.short_name), Column("人员来源", lambda p: p.source_category),
                   Column("入选日期", lambda p: p.selected_on), Column("状态", lambda p: p.status))
_unit_columns = (Column("乡镇(苏木)", lambda a: a.parent.short_name if a.parent else ""),
                 Column("名称", lambda a: a.short_name), Column("区划代码", lambda a: a.code),
                 Column("法律明白人(名)", lambda a: a.legal_persons_n), Column("定额(名)", lambda a: a.legal_quota))
_activity_columns = (Column("日期", lambda a: a.date), Column("乡镇(苏木)", lambda a: a.village.parent.short_name),
                     Column("嘎查(社区)", lambda a: a.village.short_name), Column("主题(事由)", lambda a: a.title),
                     Column("受众(人次)", lambda a: a.audience_count))
_attendance_columns = (Column("姓名", lambda a: a.person.staff.name), Column("嘎查(社区)", lambda a: a.person.village.short_name),
                       Column("培训", lambda a: a.session.course.name), Column("场次", lambda a: a.session.title),
                       Column("日期", lambda a: a.session.date), Column("学时", lambda a: a.hours))

register(Indicator(
    code="legal.persons_total", name="法律明白人", unit="人", programme="legal",
    description="截至年末(或今日)已入选且未退出的法律明白人人数（按档案逐人计算）",
    records=_persons, month_field="selected_on", area_field="village", columns=_person_columns,
))
register(Indicator(
    code="legal.communities_meeting_quota", name="法律明白人达到定额的社区", unit="个", programme="legal",
    description="截至年末(或今日)法律明白人人数不少于司法局所定社区定额的社区数",
    records=lambda ctx: units_meeting_quota(ctx.actor, ctx.banner, AreaKind.COMMUNITY, ctx.as_of),
    area_field="", columns=_unit_columns,
))
register(Indicator(
    code="legal.gachas_meeting_quota", name="法律明白人达到定额的嘎查", unit="个", programme="legal",
    description="截至年末(或今日)法律明白人人数不少于司法局所定嘎查定额的嘎查数",
    records=lambda ctx: units_meeting_quota(ctx.actor, ctx.banner, AreaKind.GACHA, ctx.as_of),
    area_field="", columns=_unit_columns,
))
register(Indicator(
    code="legal.publicity_sessions", name="法律明白人开展法治宣传", unit="场次", programme="legal",
    description="当年登记的法治宣传活动场次",
    records=lambda ctx: _activities(ctx, ActivityKind.PUBLICITY),
    month_field="date", area_field="village", columns=_activity_columns,
))
register(Indicator(
    code="legal.mediations", name="法律明白人参与矛盾纠纷调解", unit="场次", programme="legal",
    description="当年登记的法律明白人参与的矛盾纠纷调解场次",
    records=lambda ctx: _activities(ctx, ActivityKind.MEDIATION),
    month_field="date", area_field="village", columns=_activity_columns,
))
register(Indicator(
    code="legal.consultations", name="法律明白人解答法律咨询", unit="次", programme="legal",
    description="当年登记的法律咨询(咨询台、上门解答)次数",
    records=lambda ctx: _activities(ctx, ActivityKind.CONSULTATION),
    month_field="date", area_field="village", columns=_activity_columns,
))
register(Indicator(
    code="legal.visits", name="法律明白人走访群众", unit="次", programme="legal",
    description="当年登记的走村串户走访次数",
    records=lambda ctx: _activities(ctx, ActivityKind.VISIT),
    month_field="date", area_field="village", columns=_activity_columns,
))
register(Indicator(
    code="legal.pairs", name="“1名法律顾问+N名法律明白人”结对的嘎查(社区)", unit="个", programme="legal",
    description="截至年末(或今日)有在岗法律顾问结对的嘎查、社区数",
    records=lambda ctx: Pairing.objects.filter(village__path__startswith=ctx.banner.path, start__lte=ctx.as_of)
    .filter(Q(end__isnull=True) | Q(end__gte=ctx.as_of)).select_related("village", "village__parent", "adviser"),
    value=lambda qs, ctx: qs.values("village_id").distinct().count(),
    month_field="start", area_field="village",
    columns=(Column("嘎查(社区)", lambda p: p.village.short_name), Column("法律顾问", lambda p: p.adviser.name),
             Column("起始日期", lambda p: p.start)),
))
register(Indicator(
    code="legal.training_sessions", name="法律明白人培训", unit="场次", programme="legal",
    description="当年组织法律明白人参加的培训场次(线上、线下，含交流座谈会)",
    records=lambda ctx: TrainingSession.objects.filter(course__area__path__startswith=ctx.banner.path,
                                                       date__year=ctx.year).select_related("course"),
    month_field="date", area_field="course__area",
    columns=(Column("培训", lambda s: s.course.name), Column("主题", lambda s: s.title), Column("日期", lambda s: s.date),
             Column("方式", lambda s: s.course.mode), Column("学时", lambda s: s.hours)),
))
register(Indicator(
    code="legal.training_attendances", name="法律明白人参训", unit="人次", programme="legal",
    description="当年法律明白人参加培训的人次（每人每场计1人次）",
    records=_attendances, month_field="session__date", area_field="person__village", columns=_attendance_columns,
))
register(Indicator(
    code="legal.training_person_hours", name="法律明白人培训学时", unit="人·学时", programme="legal",
    description="当年法律明白人参训学时合计（逐人逐场累加）",
    records=_attendances, value=_hours, month_field="session__date", area_field="person__village",
    columns=_attendance_columns, decimals=1,
))
