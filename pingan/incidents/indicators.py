"""乡村警务 indicators: incidents by category, repeat groups and the share of incidents that repeat,
情指行 tasks issued, answered on time, overdue. The disputes app registers its own indicators under
the same programme ("policing"); the summary uses theirs when present and leaves them out otherwise."""

from __future__ import annotations

import datetime as dt
import decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.incidents.categories import DISPUTES_TOP, FRAUD, THEFT
from pingan.incidents.models import CommandTask, Incident, IncidentCategory, TaskStatus
from pingan.reports.registry import (
    Column,
    Indicator,
    Pass,
    Programme,
    ReportContext,
    register,
    register_programme,
)


def _summary(ctx: ReportContext, values: dict) -> list[str]:
    v = {code: values.get(code) or 0 for code in values}
    place, year = ctx.place, ctx.year
    paragraphs = []
    total = v.get("incidents.total", 0)
    if total:
        text = (f"每日警情全面梳理。{year}年，{place}共接报警情{total}起")
        parts = [f"{name}{v.get(code, 0)}起" for code, name in (
            ("incidents.theft", "盗窃类"), ("incidents.fraud", "诈骗类"), ("incidents.disputes", "纠纷类")) if v.get(code)]
        if parts:
            text += "，其中" + "、".join(parts)
        text += "。"
        clusters, share = v.get("incidents.repeat_clusters", 0), v.get("incidents.repeat_share_pct", 0)
        if clusters:
            text += f"对重复警情分析研判，发现重复警情{clusters}组，涉及的警情占警情总数的{share}%。"
        paragraphs.append(text)
    issued = v.get("tasks.issued", 0)
    if issued:
        text = f"推行“情指行”一体化机制，指挥中心研判后向派出所下发任务{issued}项，按期反馈{v.get('tasks.on_time', 0)}项"
        overdue = v.get("tasks.overdue", 0)
        text += f"，逾期未反馈{overdue}项。" if overdue else "。"
        paragraphs.append(text)
    # Figures of the disputes app (registered under the same programme), when present.
    registered = v.get("disputes.registered") or v.get("disputes.total")
    if registered:
        resolved = v.get("disputes.resolved", 0)
        text = f"对复杂矛盾深入核查，排查化解矛盾纠纷：登记{registered}件"
        if resolved:
            text += f"，化解{resolved}件"
        paragraphs.append(text + "，做到“预警在早、处置在小”。")
    return paragraphs


register_programme(Programme("policing", "乡村警务", order=20, summary=_summary))


def _year(ctx: ReportContext):
    start = timezone.make_aware(dt.datetime(ctx.year, 1, 1))
    end = timezone.make_aware(dt.datetime(ctx.year + 1, 1, 1))
    # banner_id IN (the banners under the report's area), not a join on the area path: the planner then
    # reads only those banners' year from the (banner, received_at) index (bench/RESULTS.md "report").
    banners = Area.objects.filter(level=Level.BANNER, path__startswith=ctx.banner.path).values("pk")
    return Incident.objects.filter(banner__in=banners, received_at__gte=start,
                                   received_at__lt=end).select_related("area", "category")


_columns = (Column("警情编号", lambda i: i.number), Column("接警时间", lambda i: timezone.localtime(i.received_at)),
            Column("村(社区)", lambda i: i.area.short_name), Column("类别", lambda i: i.category.name))


THEFT_Q = Q(category__name__in=THEFT)
FRAUD_Q = Q(category__name__in=FRAUD)
DISPUTES_Q = Q(category__name=DISPUTES_TOP) | Q(category__parent__name=DISPUTES_TOP)
REPEATS_Q = Q(cluster__isnull=False)

def _year_aggregates(ctx: ReportContext) -> dict:
    """The year's incidents read once for five figures (registry.Pass). The categories are turned into
    their ids first and received_at (never null) is counted rather than id, so that the pass is an
    index-only scan of (banner, received_at) INCLUDE (category, cluster), with no join per row."""

    def ids(where: Q) -> list[int]:
        return list(IncidentCategory.objects.filter(where).values_list("pk", flat=True))

    def count(where: Q) -> Count:
        return Count("received_at", filter=where)

    return {"total": Count("*"), "theft": count(Q(category__in=ids(Q(name__in=THEFT)))),
            "fraud": count(Q(category__in=ids(Q(name__in=FRAUD)))),
            "disputes": count(Q(category__in=ids(Q(name=DISPUTES_TOP) | Q(parent__name=DISPUTES_TOP)))),
            "repeats": count(REPEATS_Q)}


YEAR = Pass("incidents.year", _year, _year_aggregates)
# The number of repeat groups stays a query of its own: COUNT(DISTINCT) cannot be split over
# PostgreSQL's parallel workers, and in the pass it made every row travel to one process.


def _incidents(code, name, description, where: Q | None, total: str):
    register(Indicator(code=code, name=name, unit="起", programme="policing", description=description,
                       records=(lambda ctx: _year(ctx).filter(where)) if where is not None else _year,
                       month_field="received_at", area_field="area", columns=_columns,
                       batch=(YEAR, lambda totals: totals[total])))


_incidents("incidents.total", "接报警情", "当年接报的全部警情", None, "total")
_incidents("incidents.theft", "盗窃类警情", "入户盗窃、盗窃牲畜、盗窃农作物、盗窃车辆及其他盗窃", THEFT_Q, "theft")
_incidents("incidents.fraud", "诈骗类警情", "电信网络诈骗及其他诈骗", FRAUD_Q, "fraud")
_incidents("incidents.disputes", "纠纷类警情", "类别为纠纷（婚姻家庭、邻里、土地草场、劳资等）的警情", DISPUTES_Q,
           "disputes")
register(Indicator(
    code="incidents.repeat_clusters", name="重复警情组", unit="组", programme="policing",
    description="当年有警情归入的重复警情组数（同一事件多人报警、同一报警人重复报警、同一当事人反复纠纷）",
    records=lambda ctx: _year(ctx).filter(REPEATS_Q),
    value=lambda qs, ctx: qs.values("cluster_id").distinct().count(),
    month_field="received_at", area_field="area", columns=_columns))


def _percent(part: int, total: int) -> decimal.Decimal:
    if not total:
        return decimal.Decimal("0.0")
    return (decimal.Decimal(part * 100) / total).quantize(decimal.Decimal("0.1"))


def _share(qs, ctx: ReportContext):
    return _percent(qs.count(), _year(ctx).visible_to(ctx.actor).count())


register(Indicator(
    code="incidents.repeat_share_pct", name="重复警情占比", unit="%", programme="policing",
    description="当年归入重复警情组的警情占全部警情的百分比", records=lambda ctx: _year(ctx).filter(REPEATS_Q),
    value=_share, decimals=1, month_field="received_at", area_field="area", columns=_columns,
    batch=(YEAR, lambda totals: _percent(totals["repeats"], totals["total"]))))


def _tasks(ctx: ReportContext):
    start = timezone.make_aware(dt.datetime(ctx.year, 1, 1))
    end = timezone.make_aware(dt.datetime(ctx.year + 1, 1, 1))
    return CommandTask.objects.filter(banner__path__startswith=ctx.banner.path, issued_at__gte=start,
                                      issued_at__lt=end).select_related("station", "officer", "area")


_task_columns = (Column("任务", lambda t: t.title), Column("承办", lambda t: t.receiver),
                 Column("反馈期限", lambda t: timezone.localtime(t.deadline)),
                 Column("反馈时间", lambda t: timezone.localtime(t.answered_at) if t.answered_at else ""))
register(Indicator(code="tasks.issued", name="下发情指行任务", unit="项", programme="policing",
                   description="当年指挥中心下发的任务（不含撤回）",
                   records=lambda ctx: _tasks(ctx).exclude(status=TaskStatus.CANCELLED),
                   month_field="issued_at", area_field="area", columns=_task_columns))
register(Indicator(code="tasks.on_time", name="按期反馈的任务", unit="项", programme="policing",
                   description="在反馈期限内反馈的任务",
                   records=lambda ctx: _tasks(ctx).filter(status=TaskStatus.ANSWERED, answered_at__lte=F("deadline")),
                   month_field="issued_at", area_field="area", columns=_task_columns))
register(Indicator(code="tasks.overdue", name="逾期未反馈的任务", unit="项", programme="policing",
                   description="已过反馈期限仍未反馈的任务（按当前时间计算）",
                   records=lambda ctx: _tasks(ctx).filter(status=TaskStatus.ISSUED, deadline__lt=timezone.now()),
                   month_field="issued_at", area_field="area", columns=_task_columns))
