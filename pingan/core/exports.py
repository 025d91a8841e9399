"""Every list exports to xlsx through here: the page's own table and filters, the user's scope,
masking as the role requires, and an audit row."""

from __future__ import annotations

from django.utils import timezone

from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.core.xlsx import build_workbook, xlsx_response


def export_rows(request, *, title: str, headers, rows, object_type: str, subtitle: str = ""):
    rows = list(rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    wb = build_workbook(title, headers, rows, subtitle=subtitle)
    filters = {k: v for k, v in request.GET.items() if k not in ("export", "page") and v}
    audit_record(request.user, AuditAction.EXPORT, object_type=object_type, object_repr=title,
                 detail=f"导出{len(rows)}行；条件：{filters or '无'}", after={"rows": len(rows), "filters": filters})
    return xlsx_response(wb, f"{title}-{stamp}.xlsx")


def export_table(request, table, *, title: str, object_type: str):
    """Export a django-tables2 table (all rows, not just the page shown)."""
    values = iter(table.as_values())
    headers = next(values)
    return export_rows(request, title=title, headers=headers, rows=values, object_type=object_type)
