"""打击整治 report indicators: cases accepted, solved, persons dealt with and person-times, suspects
caught, losses recovered, campaign work — each computed from individual records (a case, a person's
disposition in a case, a recovery, an inspection, a seizure), never from stored totals.

Year rules: a case counts in the year it was accepted (受案日期) or solved (破案日期); a person is dealt
with in the year of the disposition (决定日期); a suspect is caught in the year of 抓获; a recovery
counts in the year it was made. The ``antifraud.recovered_yuan`` figure (losses recovered on fraud
cases) is registered here, under this programme, because it is a sum over case recoveries; the
anti-fraud programme's text quotes it."""

from __future__ import annotations

import decimal

from django.db.models import Count, Q, Sum

from pingan.cases import selectors
from pingan.cases.categories import DRUGS, ECOLOGY, FRAUD, GAMBLING, PORN, THEFT, WAGES, group_q
from pingan.cases.models import (
    UNITS,
    ZERO,
    Campaign,
    Case,
    CaseCategory,
    CaseKind,
    Disposition,
    Inspection,
    ItemKind,
    Operation,
    Recovery,
    Seizure,
)
from pingan.reports.registry import (
    Column,
    Indicator,
    Pass,
    Programme,
    ReportContext,
    register,
    register_programme,
)

P = "cases"


def _in_year(ctx: ReportContext, field: str) -> Q:
    return Q(**{f"{field}__gte": ctx.first_day, f"{field}__lte": ctx.last_day})


def _cases(ctx: ReportContext):
    return Case.objects.filter(area__path__startswith=ctx.banner.path).select_related(
        "area", "category", "category__parent", "station")


def accepted(ctx: ReportContext, group: str | None = None, kind: str | None = None):
    qs = _cases(ctx).filter(_in_year(ctx, "accepted_on"))
    if group:
        qs = qs.filter(group_q(group))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def solved(ctx: ReportContext, group: str | None = None):
    qs = _cases(ctx).filter(_in_year(ctx, "solved_on"))
    return qs.filter(group_q(group)) if group else qs


def dealt(ctx: ReportContext, group: str | None = None, kind: str | None = None):
    """(person, case) rows with a disposition decided in the year, in cases of the banner."""
    cases = Case.objects.filter(area__path__startswith=ctx.banner.path)
    if group:
        cases = cases.filter(group_q(group))
    if kind:
        cases = cases.filter(kind=kind)
    return selectors.dealt_parties(cases, ctx.first_day, ctx.last_day).select_related("person", "case")


def caught(ctx: ReportContext, group: str | None = None):
    cases = Case.objects.filter(area__path__startswith=ctx.banner.path)
    if group:
        cases = cases.filter(group_q(group))
    return selectors.caught_parties(cases, ctx.first_day, ctx.last_day).select_related("person", "case")


def recoveries(ctx: ReportContext, group: str | None = None):
    qs = Recovery.objects.filter(case__area__path__startswith=ctx.banner.path).filter(_in_year(ctx, "recovered_on"))
    if group:
        qs = qs.filter(group_q(group, "case__category"))
    return qs.select_related("case")


def _persons(records, ctx):
    return selectors.persons(records)


def _person_times(records, ctx):
    return selectors.person_times(records)


def _sum(field: str):
    def value(records, ctx):
        return (records.aggregate(t=Sum(field))["t"] or ZERO).quantize(decimal.Decimal("0.01"))

    return value


_case_columns = (Column("案件编号", lambda c: c.number), Column("案件名称", lambda c: c.title),
                 Column("性质", lambda c: c.get_kind_display()), Column("类别", lambda c: c.category.label),
                 Column("发案地", lambda c: c.area.short_name), Column("主办单位", lambda c: str(c.station or "")),
                 Column("受案日期", lambda c: c.accepted_on), Column("破案日期", lambda c: c.solved_on or ""),
                 Column("状态", lambda c: c.get_status_display()))
_party_columns = (Column("姓名", lambda p: p.person.name), Column("身份证号码", lambda p: p.person.id_masked),
                  Column("身份", lambda p: p.get_role_display()), Column("案件编号", lambda p: p.case.number),
                  Column("案件名称", lambda p: p.case.title),
                  Column("处理措施", lambda p: "、".join(f"{d.get_kind_display()}{d.detail}({d.decided_on:%m-%d})"
                                                       for d in Disposition.objects.filter(party=p).order_by("decided_on"))))
_caught_columns = (Column("姓名", lambda p: p.person.name), Column("身份证号码", lambda p: p.person.id_masked),
                   Column("抓获日期", lambda p: p.caught_on), Column("案件编号", lambda p: p.case.number),
                   Column("案件名称", lambda p: p.case.title))
_recovery_columns = (Column("案件编号", lambda r: r.case.number), Column("案件名称", lambda r: r.case.title),
                     Column("挽损日期", lambda r: r.recovered_on), Column("金额(元)", lambda r: r.amount),
                     Column("说明", lambda r: r.description))


# The cases accepted in the year, and those solved in it, are each read once for all their figures
# (registry.Pass): the figures of the accepted-case indicators are declared as (group, kind) in
# ``_ACCEPTED`` / ``_SOLVED`` when they register, and a category group is turned into its ids first.
_ACCEPTED: dict[str, tuple[str | None, str | None]] = {}
_SOLVED: dict[str, tuple[str | None, str | None]] = {}


def _where(group: str | None, kind: str | None, ids: dict[str, list[int]] | None = None) -> Q:
    """Cases of a category group (by the ids of its categories) and/or a kind. ``ids`` maps each group
    to its category ids when the caller has them already (a pass reads them in one query)."""
    q = Q()
    if group:
        if ids is None:
            ids = _category_ids()
        q &= Q(category__in=ids.get(group, []))
    if kind:
        q &= Q(kind=kind)
    return q


def _category_ids() -> dict[str, list[int]]:
    """Each top-level category's code → its id and the ids of its kinds, in one query."""
    ids: dict[str, list[int]] = {}
    for pk, code, parent in CaseCategory.objects.values_list("pk", "code", "parent__code"):
        ids.setdefault(parent or code, []).append(pk)
    return ids


def _counts(figures: dict, field: str):
    def aggregates(ctx):
        ids = _category_ids()
        return {code: Count(field, filter=_where(group, kind, ids)) for code, (group, kind) in figures.items()}

    return aggregates


ACCEPTED = Pass("cases.accepted", lambda ctx: accepted(ctx), _counts(_ACCEPTED, "accepted_on"))
SOLVED = Pass("cases.solved", lambda ctx: solved(ctx), _counts(_SOLVED, "solved_on"))


def _case_indicator(code: str, name: str, description: str, group: str | None = None, kind: str | None = None,
                    solved_in_year: bool = False):
    figures, shared = (_SOLVED, SOLVED) if solved_in_year else (_ACCEPTED, ACCEPTED)
    figures[code] = (group, kind)

    def these(ctx):
        if not solved_in_year:
            return accepted(ctx, group, kind)
        return solved(ctx, group).filter(kind=kind) if kind else solved(ctx, group)

    register(Indicator(code=code, name=name, unit="起", programme=P, description=description, records=these,
                       month_field="solved_on" if solved_in_year else "accepted_on", area_field="area",
                       columns=_case_columns, batch=(shared, lambda totals: totals[code])))


def _party_indicator(code: str, name: str, unit: str, description: str, records, value):
    register(Indicator(code=code, name=name, unit=unit, programme=P, description=description, records=records,
                       value=value, area_field="case__area", columns=_party_columns))


# ---------------------------------------------------------------------------------------- summary

def _summary(ctx: ReportContext, values: dict) -> list[str]:
    v = {code: values.get(code) or 0 for code in values}
    year = ctx.year
    clauses = []
    porn_c, porn_a, porn_p = v.get("cases.porn.criminal", 0), v.get("cases.porn.administrative", 0), \
        v.get("cases.porn.persons_dealt", 0)
    if porn_c or porn_a or porn_p:
        parts = []
        if porn_c:
            parts.append(f"涉黄刑事案件{porn_c}起")
        if porn_a:
            parts.append(f"涉黄行政案件{porn_a}起")
        text = "办理" + "，".join(parts) if parts else ""
        if porn_p:
            text += ("，" if text else "") + f"打击处理违法人员{porn_p}人"
        clauses.append(text)
    gam_a, gam_t = v.get("cases.gambling.administrative", 0), v.get("cases.gambling.person_times_dealt", 0)
    if gam_a or gam_t:
        text = f"办理涉赌行政案件{gam_a}起" if gam_a else "查处涉赌违法犯罪"
        if gam_t:
            text += f"，打击处理{gam_t}人次"
        clauses.append(text)
    drugs = v.get("cases.drugs.accepted", 0)
    if drugs:
        clauses.append(f"查处涉毒案件{drugs}起")
    first = ""
    if clauses:
        first = f"{year}年{'' if ctx.whole_banner else ctx.place}" + "；".join(clauses) + "。"
    paragraphs = []
    campaigns = v.get("campaigns.count", 0)
    if campaigns:
        names = "".join(_campaign_names(ctx)[:3])
        text = f"深入开展{names}等专项行动" if names else f"开展专项行动{campaigns}次"
        extra = []
        if v.get("campaigns.inspections"):
            extra.append(f"检查重点场所{v['campaigns.inspections']}处次")
        seized = _seized_text(ctx)
        if seized:
            extra.append(f"收缴{seized}")
        text += ("，" + "，".join(extra) if extra else "") + "。"
        first = (first + text) if first else f"{year}年，{text}"
    if first:
        paragraphs.append(first)
    theft_s, theft_c = v.get("theft.cases_solved", 0), v.get("theft.suspects_caught", 0)
    if theft_s or theft_c:
        text = "紧盯入户盗窃、盗窃牲畜家禽、盗窃农作物等多发性侵财案件，依托“情指行”一体化和“大侦查”机制"
        ops = v.get("operations.count", 0)
        if ops:
            text += f"开展合成作战{ops}次"
        text += f"，破获盗窃案件{theft_s}起"
        if theft_c:
            text += f"，抓获犯罪嫌疑人{theft_c}人"
        rec = v.get("theft.recovered_yuan") or ZERO
        if rec:
            text += f"，追赃挽损{_money_text(rec)}"
        paragraphs.append(text + "，最大限度挽回群众损失。")
    crim = v.get("cases.criminal.solved", 0)
    wages = v.get("cases.wages.accepted", 0)
    eco = v.get("cases.ecology.accepted", 0)
    tail = []
    if crim:
        tail.append(f"全年共破获刑事案件{crim}起")
    if wages:
        tail.append(f"办理拒不支付劳动报酬案件{wages}起")
    if eco:
        tail.append(f"查处破坏生态环境案件{eco}起")
    if tail:
        paragraphs.append("，".join(tail) + "。")
    return paragraphs


def _money_text(amount: decimal.Decimal) -> str:
    if amount >= 10000:
        return f"{format((amount / 10000).normalize(), 'f')}万元"
    return f"{amount.quantize(decimal.Decimal('0.01'))}元"


def _campaign_names(ctx: ReportContext) -> list[str]:
    out: list[str] = []
    for c in campaigns(ctx).visible_to(ctx.actor).order_by("start", "pk"):
        label = {"clearance": "大清查大整治大收缴", "summer": "夏季行动"}.get(c.kind, c.name)
        if f"“{label}”" not in out:
            out.append(f"“{label}”")
    return out


def _seized_text(ctx: ReportContext) -> str:
    totals = dict(seizures(ctx).visible_to(ctx.actor).order_by().values_list("item_kind").annotate(q=Sum("quantity")))
    parts = [f"{ItemKind(k).label}{format(totals[k].normalize(), 'f')}{UNITS[k]}" for k in ItemKind.values if k in totals]
    return "、".join(parts[:5])


register_programme(Programme(P, "打击整治", order=21, summary=_summary))


# ---------------------------------------------------------------------------------------- indicators

_case_indicator("cases.porn.criminal", "涉黄刑事案件", "当年受案的涉黄刑事案件（按受案日期）", PORN, CaseKind.CRIMINAL)
_case_indicator("cases.porn.administrative", "涉黄行政案件", "当年受案的涉黄行政(治安)案件（按受案日期）",
                PORN, CaseKind.ADMINISTRATIVE)
_party_indicator("cases.porn.persons_dealt", "涉黄打击处理人数", "人",
                 "当年在涉黄刑事、行政案件中被采取处理措施的人数（按身份证号码去重：同一人多起案件只计1人）",
                 lambda ctx: dealt(ctx, PORN), _persons)
_party_indicator("cases.porn.person_times_dealt", "涉黄打击处理人次", "人次",
                 "当年在涉黄案件中被采取处理措施的人次（每人每案计1人次）", lambda ctx: dealt(ctx, PORN), _person_times)
_case_indicator("cases.gambling.criminal", "涉赌刑事案件", "当年受案的涉赌刑事案件", GAMBLING, CaseKind.CRIMINAL)
_case_indicator("cases.gambling.administrative", "涉赌行政案件", "当年受案的涉赌行政(治安)案件（按受案日期）",
                GAMBLING, CaseKind.ADMINISTRATIVE)
_party_indicator("cases.gambling.person_times_dealt", "涉赌打击处理人次", "人次",
                 "当年在涉赌案件中被采取处理措施的人次（每人每案计1人次；同一人在同一案件中被拘留又罚款只计1人次）",
                 lambda ctx: dealt(ctx, GAMBLING), _person_times)
_party_indicator("cases.gambling.persons_dealt", "涉赌打击处理人数", "人",
                 "当年在涉赌案件中被采取处理措施的人数（按身份证号码去重）", lambda ctx: dealt(ctx, GAMBLING), _persons)
_case_indicator("cases.drugs.accepted", "涉毒案件", "当年受案的涉毒刑事、行政案件", DRUGS)
_case_indicator("cases.wages.accepted", "拒不支付劳动报酬案件", "当年受案的拒不支付劳动报酬案件", WAGES)
_case_indicator("cases.ecology.accepted", "破坏生态环境案件", "当年受案的生态环境类刑事、行政案件", ECOLOGY)
_case_indicator("cases.criminal.accepted", "刑事案件受案", "当年受案的全部刑事案件", kind=CaseKind.CRIMINAL)
_case_indicator("cases.criminal.solved", "破获刑事案件", "当年破案的刑事案件（按破案日期，含往年受案）",
                kind=CaseKind.CRIMINAL, solved_in_year=True)
_case_indicator("cases.administrative.accepted", "行政(治安)案件受案", "当年受案的全部行政(治安)案件",
                kind=CaseKind.ADMINISTRATIVE)
_party_indicator("cases.persons_dealt", "打击处理违法犯罪人员", "人",
                 "当年被采取处理措施的人数（各类案件合计，按身份证号码去重）", lambda ctx: dealt(ctx), _persons)
_party_indicator("cases.person_times_dealt", "打击处理违法犯罪人次", "人次",
                 "当年被采取处理措施的人次（每人每案计1人次）", lambda ctx: dealt(ctx), _person_times)
_case_indicator("theft.accepted", "盗窃案件受案", "当年受案的盗窃案件（入户盗窃、盗窃牲畜家禽、盗窃农作物及其他盗窃）", THEFT)
_case_indicator("theft.cases_solved", "破获盗窃案件", "当年破案的盗窃案件（按破案日期，含往年受案）", THEFT,
                solved_in_year=True)
register(Indicator(
    code="theft.suspects_caught", name="抓获盗窃犯罪嫌疑人", unit="人", programme=P,
    description="当年在盗窃案件中抓获的犯罪嫌疑人（按身份证号码去重：一人涉多起案件只计1人）",
    records=lambda ctx: caught(ctx, THEFT), value=_persons, month_field="caught_on", area_field="case__area",
    columns=_caught_columns))
register(Indicator(
    code="theft.recovered_yuan", name="盗窃案件追赃挽损", unit="元", programme=P, decimals=2,
    description="当年在盗窃案件中追回并发还的赃款赃物价值", records=lambda ctx: recoveries(ctx, THEFT),
    value=_sum("amount"), month_field="recovered_on", area_field="case__area", columns=_recovery_columns))
register(Indicator(
    code="antifraud.recovered_yuan", name="诈骗案件追赃挽损", unit="元", programme=P, decimals=2,
    description="当年在诈骗案件（含电信网络诈骗）中为群众挽回的损失（止付、冻结后返还及追缴退赔，逐笔合计）",
    records=lambda ctx: recoveries(ctx, FRAUD), value=_sum("amount"), month_field="recovered_on",
    area_field="case__area", columns=_recovery_columns))


def campaigns(ctx: ReportContext):
    return Campaign.objects.filter(area__path__startswith=ctx.banner.path, start__lte=ctx.last_day,
                                   end__gte=ctx.first_day).select_related("area")


def inspections(ctx: ReportContext):
    return Inspection.objects.filter(area__path__startswith=ctx.banner.path, campaign__isnull=False).filter(
        _in_year(ctx, "inspected_on")).select_related("area", "campaign")


def seizures(ctx: ReportContext):
    return Seizure.objects.filter(area__path__startswith=ctx.banner.path, campaign__isnull=False).filter(
        _in_year(ctx, "seized_on")).select_related("area", "campaign")


register(Indicator(
    code="campaigns.count", name="专项行动", unit="次", programme=P,
    description="当年开展（行动期间与当年有交叉）的专项行动", records=campaigns, area_field="area",
    columns=(Column("行动名称", lambda c: c.name), Column("类型", lambda c: c.get_kind_display()),
             Column("开始", lambda c: c.start), Column("结束", lambda c: c.end))))
register(Indicator(
    code="campaigns.inspections", name="专项行动检查场所", unit="处次", programme=P,
    description="当年专项行动中登记的场所检查", records=inspections, month_field="inspected_on", area_field="area",
    columns=(Column("检查日期", lambda i: i.inspected_on), Column("场所", lambda i: i.place),
             Column("类型", lambda i: i.get_place_kind_display()), Column("发现问题", lambda i: i.problems),
             Column("专项行动", lambda i: i.campaign.name))))
for _kind, _code in ((ItemKind.GUN, "guns"), (ItemKind.AMMO, "ammo"), (ItemKind.KNIFE, "knives")):
    register(Indicator(
        code=f"campaigns.seized.{_code}", name=f"收缴{_kind.label}", unit=UNITS[_kind], programme=P,
        description=f"当年专项行动中收缴的{_kind.label}数量", records=lambda ctx, k=_kind: seizures(ctx).filter(item_kind=k),
        value=lambda records, ctx: int(records.aggregate(t=Sum("quantity"))["t"] or 0), month_field="seized_on",
        area_field="area", columns=(Column("收缴日期", lambda s: s.seized_on), Column("数量", lambda s: s.quantity_text),
                                    Column("说明", lambda s: s.description),
                                    Column("专项行动", lambda s: s.campaign.name))))
register(Indicator(
    code="operations.count", name="合成作战", unit="次", programme=P,
    description="当年启动的盗窃系列案合成作战（按启动日期）",
    records=lambda ctx: Operation.objects.filter(area__path__startswith=ctx.banner.path).filter(
        _in_year(ctx, "opened_on")),
    month_field="opened_on", area_field="area",
    columns=(Column("作战名称", lambda o: o.name), Column("启动日期", lambda o: o.opened_on),
             Column("状态", lambda o: o.get_status_display()))))

