"""Every list exports to xlsx through here: the page's own table and filters, the user's scope,
masking as the role requires, and an audit row."""

from __future__ import annotations

from django.utils import timezone

from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.core.xlsx import build_workbook, xlsx_response


def _as_job(request, rows: int, title: str):
    """Above settings.PINGAN_JOB_EXPORT_ROWS the export becomes a background job (pingan.jobs): the
    answer is a redirect to the job's page; None means export here and now."""
    from pingan.jobs.exports import export_as_job

    return export_as_job(request, rows=rows, title=title)


def export_rows(request, *, title: str, headers, rows, object_type: str, subtitle: str = ""):
    rows = list(rows)
    if (as_job := _as_job(request, len(rows), title)) is not None:
        return as_job
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    wb = build_workbook(title, headers, rows, subtitle=subtitle)
    filters = {k: v for k, v in request.GET.items() if k not in ("export", "page") and v}
    audit_record(request.user, AuditAction.EXPORT, object_type=object_type, object_repr=title,
                 detail=f"导出{len(rows)}行；条件：{filters or '无'}", after={"rows": len(rows), "filters": filters})
    return xlsx_response(wb, f"{title}-{stamp}.xlsx")


def export_table(request, table, *, title: str, object_type: str):
    """Export a django-tables2 table (all rows, not just the page shown)."""
    if (as_job := _as_job(request, len(table.rows), title)) is not None:
        return as_job
    values = iter(table.as_values())
    headers = next(values)
    return export_rows(request, title=title, headers=headers, rows=values, object_type=object_type)
