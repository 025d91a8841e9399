"""The report as a workbook: 指标 (every indicator), 按乡镇 (per-township values), 工作总结 (the text)."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment

from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.core.xlsx import add_sheet, build_workbook, workbook_bytes, xlsx_response
from pingan.reports import charts
from pingan.reports.registry import Number, ReportContext, all_indicators
from pingan.reports.text import report_text, report_title

INDICATOR_HEADERS = ("编码", "指标", "数值", "单位", "口径说明")


def report_workbook(ctx: ReportContext, values: dict[str, Number]) -> Workbook:
    indicators = [i for i in all_indicators() if i.code in values]
    rows = [[i.code, i.name, values[i.code], i.unit, i.description] for i in indicators]
    wb = build_workbook("指标", INDICATOR_HEADERS, rows, subtitle=report_title(ctx), widths=(34, 30, 14, 8, 60))
    # Per township only what has a figure in this report: a programme the banner doesn't run adds no columns.
    by_township, township_rows = charts.township_table(ctx, [i for i in indicators if values[i.code]])
    add_sheet(wb, "按乡镇", ["区划代码", "乡镇(苏木)", *[f"{i.name}({i.unit})" for i in by_township]],
               township_rows, widths=(16, 18))
    paragraphs = [[p] for p in report_text(ctx, values).split("\n\n")]
    add_sheet(wb, "工作总结", ["工作总结"], paragraphs, widths=(120,))
    for row in wb["工作总结"].iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    return wb


def _filename(ctx: ReportContext) -> str:
    return f"统计报表-{ctx.banner.short_name}-{ctx.year}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def _audit(actor, ctx: ReportContext, values: dict[str, Number], where: str, login: str = "") -> None:
    audit_record(actor, AuditAction.EXPORT, object_type="reports.Report",
                 object_repr=report_title(ctx)[:200], login=login,
                 detail=f"导出统计报表（{where}）：{ctx.banner.code} {ctx.year}年，{len(values)}项指标",
                 after={"banner": ctx.banner.code, "year": ctx.year, "indicators": len(values)})


def report_xlsx_response(request, ctx: ReportContext, values: dict[str, Number]):
    """The page's download; every export writes an audit row."""
    wb = report_workbook(ctx, values)
    _audit(request.user, ctx, values, "网页")
    return xlsx_response(wb, _filename(ctx))


def report_xlsx_write(ctx: ReportContext, values: dict[str, Number], path) -> int:
    """The command line's file; audited as the system."""
    data = workbook_bytes(report_workbook(ctx, values))
    with open(path, "wb") as fh:
        fh.write(data)
    _audit(None, ctx, values, f"命令行 {path}", login="pingan report")
    return len(data)
