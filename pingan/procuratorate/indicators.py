"""检护民生 report indicators, computed from individual records (a suggestion, a worker's aid
decision, a victim's recovered loss, a publicity event) — never from stored totals."""

from __future__ import annotations

import decimal

from django.db.models import Q, Sum
from django.utils import timezone

from pingan.procuratorate.models import (
    AWAITING_STATUSES,
    AidGrant,
    ClaimStatus,
    Enforcement,
    Field,
    FraudIntervention,
    FraudVictim,
    Lead,
    Prosecution,
    PublicityEvent,
    Suggestion,
    SuggestionStatus,
    SupportSuit,
    WageClaim,
    WageWorker,
)
from pingan.reports.registry import Column, Indicator, Programme, ReportContext, register, register_programme

ZERO = decimal.Decimal("0.00")


def approx(n: int) -> str:
    """How the article writes a head count: 63 → “60余”, 60 → “60”, 8 → “8”."""
    if n < 10 or n % 10 == 0:
        return str(n)
    return f"{n // 10 * 10}余"


def wan(amount: decimal.Decimal | None) -> str:
    """Money in running text: 842518.00 → “84.2518万元”, 3500.50 → “3500.50元”."""
    amount = amount or ZERO
    if amount >= 10000:
        return f"{format((amount / 10000).normalize(), 'f')}万元"
    return f"{amount.quantize(decimal.Decimal('0.01'))}元"


def _in_year(ctx: ReportContext, field: str) -> Q:
    return Q(**{f"{field}__gte": ctx.first_day, f"{field}__lte": ctx.last_day})


def _sum(field: str):
    def value(records, ctx):
        return records.aggregate(total=Sum(field))["total"] or ZERO

    return value


def _distinct(field: str):
    def value(records, ctx):
        return records.values(field).distinct().count()

    return value


# ---------------------------------------------------------------------------------------- summary

def _issued(ctx: ReportContext):
    return Suggestion.objects.filter(area__path__startswith=ctx.banner.path).filter(_in_year(ctx, "served_on"))


def _summary(ctx: ReportContext, values: dict) -> list[str]:
    """The newspaper's three sections (织密食药安全网 · 护航农民工讨薪路 · 守护人民群众财产安全), each
    left out when its figures are 0; the matters and regions named come from the reader's records."""
    v = {code.removeprefix("proc."): values.get(code) or 0 for code in values if code.startswith("proc.")}
    banner, year = ctx.banner.short_name, ctx.year
    paragraphs = [f"{year}年，{banner}人民检察院严格落实“检护民生”专项行动要求，紧盯保障民生和保护特殊群体权益基础工作，"
                  "形成与行政机关协调联动的工作总基调，切实为人民群众办实事，解难题。"]

    issued, rectified, overdue = v.get("suggestions_issued", 0), v.get("suggestions_rectified", 0), \
        v.get("suggestions_overdue", 0)
    if issued:
        served = list(_issued(ctx).visible_to(ctx.actor).order_by("served_on", "id").values_list("matter", "field"))
        matters = [m for m, _ in served if m][:6]
        food = 2 * sum(1 for _, f in served if f == Field.FOOD_DRUG) >= max(len(served), 1)
        text = "织密食药安全网。" if food else "督促行政机关依法履职。"
        if matters:
            text += f"该院围绕辖区{'、'.join(matters)}等违法情形，"
        else:
            text += "该院"
        text += f"制发检察建议{issued}件，督促行政机关积极作为" + ("，加强对市场主体的有效监管。" if food else "。")
        if rectified >= issued:
            text += "现辖区内已完成全面整改" + ("，人民群众饮食、用药安全得到了有效保障。" if food else "。")
        elif rectified:
            text += f"目前已整改完毕{rectified}件" + (f"，{overdue}件逾期未回复，该院正督促落实。" if overdue else "，其余正在跟进监督。")
        elif overdue:
            text += f"其中{overdue}件逾期未回复，该院正督促落实。"
        paragraphs.append(text)

    prosecutions, suits = v.get("wage_prosecutions", 0), v.get("support_suits", 0)
    aided, referred = v.get("judicial_aid_workers", 0), v.get("judicial_aid_referred_workers", 0)
    if prosecutions or suits or aided or referred:
        clauses = []
        if prosecutions:
            clauses.append("该院向人民法院提起公诉" + (f"{prosecutions}件" if prosecutions > 1 else ""))
        if suits:
            clauses.append(("并" if clauses else "该院") + "为农民工提起民事诉讼提供支持")
        if referred:
            clause = ("同时" if clauses else "该院") + "将司法救助线索及时移送到控申部门"
            if aided:
                clause += f"，现{approx(aided)}名农民工{'全部' if aided >= referred else ''}获得司法救助"
            clauses.append(clause)
        elif aided:
            clauses.append(f"现{approx(aided)}名农民工获得司法救助")
        text = "护航农民工讨薪路。针对辖区建设工程项目施工承包人拒不支付农民工劳动报酬的违法行为，" + "，".join(clauses) + "。"
        recovered = v.get("wages_recovered_yuan") or ZERO
        if recovered:
            text += f"经跟进执行，已执行到位工资款{wan(recovered)}。"
        if v.get("wage_claims_open", 0):
            text += "后续该院将继续与人民法院加强沟通，督促其对承包人财产的执行尽快落实到位。"
        deposit = (Suggestion.objects.visible_to(ctx.actor)
                   .filter(wage_claim__area__path__startswith=ctx.banner.path, wage_claim__received_on__lte=ctx.last_day)
                   .exclude(served_on__gt=ctx.last_day))
        if deposit.filter(_in_year(ctx, "served_on")).exists():
            text += "另外，该院就农民工工资保证金存储问题向行政机关制发检察建议，推动行政机关做好巡查农民工工资保证金存储工作和政策宣传工作。"
        elif deposit.filter(served_on__isnull=True).exists():
            text += "另外，该院还将积极与行政机关沟通交流，加强协作，推动行政机关做好巡查农民工工资保证金存储工作和政策宣传工作。"
        paragraphs.append(text)

    interventions, cross_border = v.get("fraud_interventions", 0), v.get("fraud_cross_border", 0)
    recovered, events = v.get("amount_recovered_yuan") or ZERO, v.get("fundraising_events", 0)
    if interventions or recovered or events:
        text = "守护人民群众财产安全。"
        if interventions or recovered:
            text += "该院刑事检察部门依法惩治各类电信网络诈骗犯罪及与其关联的协同犯罪"
            if interventions:
                regions = sorted({r for r in FraudIntervention.objects.visible_to(ctx.actor).filter(
                    area__path__startswith=ctx.banner.path, cross_border=True).filter(
                    _in_year(ctx, "intervened_on")).values_list("region", flat=True) if r})
                where = "、".join(regions) + "涉" if regions else "跨境"
                if cross_border >= interventions:
                    text += f"，提前介入{where}电信诈骗案件及与其关联的犯罪案件{interventions}件"
                elif cross_border:
                    text += (f"，提前介入电信诈骗案件及与其关联的犯罪案件{interventions}件，"
                             f"其中{where}电信诈骗案件{cross_border}件")
                else:
                    text += f"，提前介入电信诈骗案件及与其关联的犯罪案件{interventions}件"
            if recovered:
                text += f"，为被骗群众挽回经济损失{wan(recovered)}"
            text += "。"
        if events:
            audience = v.get("fundraising_audience", 0)
            text += ("同时，该院" if interventions or recovered else "该院") + f"加大防范非法集资宣传力度，开展宣传活动{events}场次"
            text += (f"、覆盖群众{audience}人次" if audience else "")
            text += "，通过发放宣传资料、现场答疑解惑等方式，引导群众树立财产风险防范意识，自觉远离非法集资，守好自己的“钱袋子”。"
        paragraphs.append(text)
    return paragraphs if len(paragraphs) > 1 else []


register_programme(Programme("proc", "检护民生", order=40, summary=_summary))

# ---------------------------------------------------------------------------------------- indicators

_suggestion_columns = (
    Column("文号", lambda s: s.number), Column("标题", lambda s: s.title),
    Column("被建议单位", lambda s: s.addressed_agency.name), Column("送达日期", lambda s: s.served_on),
    Column("回复期限", lambda s: s.reply_deadline), Column("状态", lambda s: s.get_status_display()),
)
_claim_columns = (Column("案件编号", lambda c: c.number), Column("项目", lambda c: c.project),
                  Column("承包人", lambda c: c.contractor), Column("受理日期", lambda c: c.received_on),
                  Column("状态", lambda c: c.get_status_display()))
_grant_columns = (Column("讨薪案件", lambda g: g.referral.claim.number), Column("农民工", lambda g: g.worker.name),
                  Column("身份证号码", lambda g: g.worker.id_masked), Column("救助金额(元)", lambda g: g.amount),
                  Column("决定日期", lambda g: g.decided_on))
_fraud_columns = (Column("案件编号", lambda f: f.case_ref), Column("案件名称", lambda f: f.case_name),
                  Column("跨境", lambda f: f.region or ("是" if f.cross_border else "否")),
                  Column("介入日期", lambda f: f.intervened_on), Column("阶段", lambda f: f.get_stage_display()))


def _claims_in(ctx):
    return Q(claim__area__path__startswith=ctx.banner.path)


register(Indicator(
    code="proc.leads_received", name="受理公益诉讼和民生线索", unit="件", programme="proc",
    description="当年受理的线索数（自行发现、平安乡村事件、举报、热线、媒体等各种来源）",
    records=lambda ctx: Lead.objects.filter(area__path__startswith=ctx.banner.path).filter(
        _in_year(ctx, "received_on")).select_related("area"),
    month_field="received_on", area_field="area",
    columns=(Column("编号", lambda x: x.number), Column("领域", lambda x: x.get_field_display()),
             Column("事由", lambda x: x.subject), Column("状态", lambda x: x.get_status_display())),
))
register(Indicator(
    code="proc.suggestions_issued", name="制发检察建议", unit="件", programme="proc",
    description="当年送达行政机关的检察建议数（按送达日期）",
    records=lambda ctx: _issued(ctx).select_related("addressed_agency"),
    month_field="served_on", area_field="area", columns=_suggestion_columns,
))
register(Indicator(
    code="proc.suggestions_rectified", name="检察建议整改完毕", unit="件", programme="proc",
    description="当年送达的检察建议中，经核查整改到位、现已整改完毕的件数",
    records=lambda ctx: _issued(ctx).filter(status=SuggestionStatus.RECTIFIED).select_related("addressed_agency"),
    month_field="served_on", area_field="area", columns=_suggestion_columns,
))
register(Indicator(
    code="proc.suggestions_overdue", name="检察建议逾期未回复", unit="件", programme="proc",
    description="当年送达的检察建议中，截至今日超过回复期限仍未回复（待回复或跟进监督中）的件数",
    records=lambda ctx: _issued(ctx).filter(status__in=AWAITING_STATUSES,
                                            reply_deadline__lt=timezone.localdate()).select_related("addressed_agency"),
    month_field="served_on", area_field="area", columns=_suggestion_columns,
))
register(Indicator(
    code="proc.wage_claims_open", name="在办农民工讨薪案件", unit="件", programme="proc",
    description="截至年末(或今日)已受理、尚未办结的农民工讨薪案件数",
    records=lambda ctx: WageClaim.objects.filter(area__path__startswith=ctx.banner.path, received_on__lte=ctx.as_of)
    .filter(Q(status=ClaimStatus.OPEN) | Q(closed_on__gt=ctx.as_of)),
    month_field="received_on", area_field="area", columns=_claim_columns,
))
register(Indicator(
    code="proc.wage_workers", name="讨薪案件涉及农民工", unit="名", programme="proc",
    description="当年受理的农民工讨薪案件登记的农民工人数",
    records=lambda ctx: WageWorker.objects.filter(_claims_in(ctx)).filter(_in_year(ctx, "claim__received_on"))
    .select_related("claim"),
    value=_distinct("id_number_hash"), area_field="claim__area",
    columns=(Column("讨薪案件", lambda w: w.claim.number), Column("姓名", lambda w: w.name),
             Column("身份证号码", lambda w: w.id_masked), Column("被拖欠工资(元)", lambda w: w.amount_owed)),
))
register(Indicator(
    code="proc.wage_prosecutions", name="拒不支付劳动报酬罪提起公诉", unit="件", programme="proc",
    description="当年以拒不支付劳动报酬罪向人民法院提起公诉的案件数",
    records=lambda ctx: Prosecution.objects.filter(_claims_in(ctx)).filter(_in_year(ctx, "filed_on"))
    .select_related("claim"),
    month_field="filed_on", area_field="claim__area",
    columns=(Column("案号", lambda p: p.case_ref), Column("被告人", lambda p: p.defendant),
             Column("法院", lambda p: p.court), Column("提起公诉日期", lambda p: p.filed_on)),
))
register(Indicator(
    code="proc.support_suits", name="支持农民工起诉", unit="件", programme="proc",
    description="当年制发支持起诉书的件数",
    records=lambda ctx: SupportSuit.objects.filter(_claims_in(ctx)).filter(_in_year(ctx, "issued_on"))
    .select_related("claim"),
    month_field="issued_on", area_field="claim__area",
    columns=(Column("支持起诉书", lambda s: s.document_ref), Column("讨薪案件", lambda s: s.claim.number),
             Column("状态", lambda s: s.get_status_display()), Column("结果", lambda s: s.outcome)),
))
register(Indicator(
    code="proc.judicial_aid_referred_workers", name="移送司法救助线索的农民工", unit="名", programme="proc",
    description="当年移送控申部门司法救助线索涉及的农民工人数（同一人多次移送只计一次）",
    records=lambda ctx: WageWorker.objects.filter(_claims_in(ctx)).filter(
        aid_referrals__referred_on__gte=ctx.first_day, aid_referrals__referred_on__lte=ctx.last_day)
    .distinct().select_related("claim"),
    value=_distinct("id_number_hash"), area_field="claim__area",
    columns=(Column("讨薪案件", lambda w: w.claim.number), Column("姓名", lambda w: w.name),
             Column("身份证号码", lambda w: w.id_masked)),
))
register(Indicator(
    code="proc.judicial_aid_workers", name="获得司法救助的农民工", unit="名", programme="proc",
    description="当年经控申部门决定给予司法救助的农民工人数（按身份证号去重，多次移送或救助只计一次）",
    records=lambda ctx: AidGrant.objects.filter(granted=True, referral__claim__area__path__startswith=ctx.banner.path)
    .filter(_in_year(ctx, "decided_on")).select_related("worker", "referral__claim"),
    value=_distinct("worker__id_number_hash"), month_field="decided_on", area_field="referral__claim__area",
    columns=_grant_columns,
))
register(Indicator(
    code="proc.judicial_aid_amount_yuan", name="司法救助金额", unit="元", programme="proc", decimals=2,
    description="当年决定给予农民工的司法救助金额合计",
    records=lambda ctx: AidGrant.objects.filter(granted=True, referral__claim__area__path__startswith=ctx.banner.path)
    .filter(_in_year(ctx, "decided_on")).select_related("worker", "referral__claim"),
    value=_sum("amount"), month_field="decided_on", area_field="referral__claim__area", columns=_grant_columns,
))
register(Indicator(
    code="proc.wages_recovered_yuan", name="执行到位工资款", unit="元", programme="proc", decimals=2,
    description="当年跟进法院对承包人财产执行、执行到位的农民工工资款合计",
    records=lambda ctx: Enforcement.objects.filter(_claims_in(ctx)).filter(_in_year(ctx, "on")).select_related("claim"),
    value=_sum("amount_recovered"), month_field="on", area_field="claim__area",
    columns=(Column("讨薪案件", lambda e: e.claim.number), Column("日期", lambda e: e.on),
             Column("跟进事项", lambda e: e.action), Column("执行到位(元)", lambda e: e.amount_recovered)),
))
register(Indicator(
    code="proc.fraud_interventions", name="提前介入电信诈骗及关联犯罪案件", unit="件", programme="proc",
    description="当年提前介入的电信网络诈骗及其关联犯罪案件数",
    records=lambda ctx: FraudIntervention.objects.filter(area__path__startswith=ctx.banner.path).filter(
        _in_year(ctx, "intervened_on")),
    month_field="intervened_on", area_field="area", columns=_fraud_columns,
))
register(Indicator(
    code="proc.fraud_cross_border", name="其中跨境(缅北等)案件", unit="件", programme="proc",
    description="当年提前介入的跨境电信诈骗案件数",
    records=lambda ctx: FraudIntervention.objects.filter(area__path__startswith=ctx.banner.path, cross_border=True)
    .filter(_in_year(ctx, "intervened_on")),
    month_field="intervened_on", area_field="area", columns=_fraud_columns,
))
register(Indicator(
    code="proc.amount_recovered_yuan", name="为被骗群众挽回经济损失", unit="元", programme="proc", decimals=2,
    description="当年返还被害人的被骗资金合计（按被害人逐笔计算）",
    records=lambda ctx: FraudVictim.objects.filter(intervention__area__path__startswith=ctx.banner.path)
    .filter(_in_year(ctx, "recovered_on")).select_related("intervention"),
    value=_sum("recovered"), month_field="recovered_on", area_field="intervention__area",
    columns=(Column("案件", lambda v: v.intervention.case_name), Column("被害人", lambda v: v.name),
             Column("被骗金额(元)", lambda v: v.loss), Column("挽回(元)", lambda v: v.recovered),
             Column("返还日期", lambda v: v.recovered_on)),
))
register(Indicator(
    code="proc.fundraising_events", name="防范非法集资宣传活动", unit="场次", programme="proc",
    description="当年开展的防范非法集资宣传活动场次",
    records=lambda ctx: PublicityEvent.objects.filter(area__path__startswith=ctx.banner.path).filter(
        _in_year(ctx, "held_on")),
    month_field="held_on", area_field="area",
    columns=(Column("日期", lambda e: e.held_on), Column("地点", lambda e: e.place), Column("形式", lambda e: e.forms),
             Column("受众(人次)", lambda e: e.audience)),
))
register(Indicator(
    code="proc.fundraising_audience", name="防范非法集资宣传受众", unit="人次", programme="proc",
    description="当年防范非法集资宣传活动覆盖的群众人次合计",
    records=lambda ctx: PublicityEvent.objects.filter(area__path__startswith=ctx.banner.path).filter(
        _in_year(ctx, "held_on")),
    value=lambda records, ctx: records.aggregate(total=Sum("audience"))["total"] or 0,
    month_field="held_on", area_field="area",
    columns=(Column("日期", lambda e: e.held_on), Column("地点", lambda e: e.place),
             Column("受众(人次)", lambda e: e.audience)),
))
