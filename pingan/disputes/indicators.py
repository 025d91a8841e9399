"""Report indicators of disputes, visits and hazards (programme "policing", 乡村警务), computed from
individual records of the report year, never stored as totals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from pingan.disputes.models import Dispute, Hazard, HazardStatus, MediationOutcome, RiskLevel, Visit
from pingan.reports.registry import (
    Column,
    Indicator,
    Pass,
    Programme,
    ReportContext,
    register,
    register_programme,
)
from pingan.reports.registry import _programmes as registered_programmes

# The incidents app registers the programme (with its summary); only if it has not (yet), so do we.
if "policing" not in registered_programmes:
    register_programme(Programme("policing", "乡村警务", order=20))


def _disputes(ctx: ReportContext):
    return (Dispute.objects.filter(area__path__startswith=ctx.banner.path, registered_at__year=ctx.year)
            .select_related("area__parent", "assigned_agency"))


def _overdue_q(ctx: ReportContext) -> Q:
    """Past the deadline (by year end, or today for this year) before being closed, or still open."""
    return Q(deadline__lt=ctx.as_of) & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=F("deadline")))


def _overdue(ctx: ReportContext):
    return _disputes(ctx).filter(_overdue_q(ctx))


RESOLVED_Q = Q(result=MediationOutcome.SUCCESS)
HAS_RESULT_Q = ~Q(result="")


def _rate(success: int, total: int) -> Decimal:
    if not total:
        return Decimal("0.0")
    return (Decimal(success * 100) / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _success_rate(records, ctx) -> Decimal:
    return _rate(records.filter(RESOLVED_Q).count(), records.count())


# The year's disputes read once for the eight dispute figures (registry.Pass).
YEAR = Pass("disputes.year", _disputes, lambda ctx: {
    "registered": Count("pk"), "resolved": Count("pk", filter=RESOLVED_Q),
    "with_result": Count("pk", filter=HAS_RESULT_Q), "overdue": Count("pk", filter=_overdue_q(ctx)),
    **{f"risk_{level}": Count("pk", filter=Q(risk=level)) for level in RiskLevel.values}})


_dispute_columns = (
    Column("编号", lambda d: d.number), Column("登记日期", lambda d: d.registered_on),
    Column("乡镇(苏木)", lambda d: d.area.parent.short_name if d.area.parent_id else ""),
    Column("村(嘎查、社区)", lambda d: d.area.short_name), Column("类型", lambda d: d.kind),
    Column("事由", lambda d: d.title), Column("风险", lambda d: d.get_risk_display()),
    Column("状态", lambda d: d.get_status_display()), Column("时限", lambda d: d.deadline),
    Column("化解结果", lambda d: d.get_result_display()),
)

register(Indicator(
    code="disputes.registered", name="登记矛盾纠纷", unit="件", programme="policing",
    description="当年登记的矛盾纠纷件数（含走访、110警情、热线、法律明白人上报等各来源）",
    records=_disputes, month_field="registered_at", area_field="area", columns=_dispute_columns,
    batch=(YEAR, lambda totals: totals["registered"]),
))
register(Indicator(
    code="disputes.resolved", name="调解成功的矛盾纠纷", unit="件", programme="policing",
    description="当年登记、化解结果为调解成功的矛盾纠纷件数（回访发现反复的不计）",
    records=lambda ctx: _disputes(ctx).filter(RESOLVED_Q),
    month_field="registered_at", area_field="area", columns=_dispute_columns,
    batch=(YEAR, lambda totals: totals["resolved"]),
))
register(Indicator(
    code="disputes.success_rate_pct", name="矛盾纠纷调解成功率", unit="%", programme="policing",
    description="当年登记且调解已有结果（调解成功、转诉讼、转案件）的纠纷中，调解成功所占百分比",
    records=lambda ctx: _disputes(ctx).filter(HAS_RESULT_Q), value=_success_rate, decimals=1,
    area_field="area", columns=_dispute_columns,
    batch=(YEAR, lambda totals: _rate(totals["resolved"], totals["with_result"])),
))
register(Indicator(
    code="disputes.overdue", name="超期矛盾纠纷", unit="件", programme="policing",
    description="当年登记、在年末(当年为今日)前已过办结时限仍未办结或超期后才办结的纠纷件数（时限按风险等级，含延期）",
    records=_overdue, month_field="registered_at", area_field="area", columns=_dispute_columns,
    batch=(YEAR, lambda totals: totals["overdue"]),
))
for level, code in ((RiskLevel.RED, "red"), (RiskLevel.ORANGE, "orange"), (RiskLevel.YELLOW, "yellow"),
                    (RiskLevel.BLUE, "blue")):
    register(Indicator(
        code=f"disputes.by_risk_{code}", name=f"{level.label}色风险矛盾纠纷", unit="件", programme="policing",
        description=f"当年登记、目前风险等级为{level.label}色的纠纷件数（含系统预警升级）",
        records=lambda ctx, level=level: _disputes(ctx).filter(risk=level),
        month_field="registered_at", area_field="area", columns=_dispute_columns,
        batch=(YEAR, lambda totals, level=level: totals[f"risk_{level.value}"]),
    ))

register(Indicator(
    code="visits.total", name="走访", unit="次", programme="policing",
    description="当年社区民警、司法所人员、网格员走访企业、工地、学校、村居、社区的次数",
    records=lambda ctx: Visit.objects.filter(area__path__startswith=ctx.banner.path, visited_on__year=ctx.year)
    .select_related("area__parent"),
    month_field="visited_on", area_field="area",
    columns=(Column("走访日期", lambda v: v.visited_on), Column("村(嘎查、社区)", lambda v: v.area.short_name),
             Column("对象类型", lambda v: v.place_kind), Column("走访对象", lambda v: v.place_name),
             Column("走访情况", lambda v: v.findings)),
))

_hazard_columns = (
    Column("发现日期", lambda h: h.found_on), Column("村(嘎查、社区)", lambda h: h.area.short_name),
    Column("场所", lambda h: h.place_name), Column("类别", lambda h: h.get_category_display()),
    Column("等级", lambda h: h.severity), Column("整改期限", lambda h: h.deadline),
    Column("整改完成", lambda h: h.rectified_on or ""),
)
register(Indicator(
    code="hazards.found", name="排查发现隐患", unit="处", programme="policing",
    description="当年走访排查发现并登记的安全隐患数",
    records=lambda ctx: Hazard.objects.filter(area__path__startswith=ctx.banner.path, found_on__year=ctx.year)
    .select_related("area"),
    month_field="found_on", area_field="area", columns=_hazard_columns,
))
register(Indicator(
    code="hazards.rectified", name="已整改隐患", unit="处", programme="policing",
    description="当年发现、截至年末(当年为今日)已整改销号的隐患数",
    records=lambda ctx: Hazard.objects.filter(area__path__startswith=ctx.banner.path, found_on__year=ctx.year,
                                              status=HazardStatus.RECTIFIED, rectified_on__lte=ctx.as_of)
    .select_related("area"),
    month_field="found_on", area_field="area", columns=_hazard_columns,
))
