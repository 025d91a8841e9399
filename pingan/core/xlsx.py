"""xlsx 台账 writing and reading, shared by every list export and every import.

Cells that a spreadsheet would run as a formula (starting with = + - @, or a tab/CR) are written
as text with a leading apostrophe (OWASP CSV/formula injection).
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value safe to put in a cell: formula-like text is escaped, datetimes made local and naive."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | decimal.Decimal | dt.date):
        return value
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def add_sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence], *, subtitle: str = "",
              widths: Sequence[int] = (), ws=None):
    """Write a 台账 sheet: optional subtitle line, bold header row, safe typed cells, frozen header."""
    ws = ws if ws is not None else wb.create_sheet(title[:31])
    ws.title = title[:31]
    start = 1
    if subtitle:
        ws.cell(row=1, column=1, value=safe_cell(subtitle)).font = Font(bold=True)
        start = 2
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=start, column=col, value=safe_cell(header))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        width = widths[col - 1] if col <= len(widths) else max(10, min(40, len(str(header)) * 2 + 4))
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, row in enumerate(rows, start=start + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=safe_cell(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, decimal.Decimal):
                cell.number_format = "0.00"
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    return ws


def build_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence], *, subtitle: str = "",
                   widths: Sequence[int] = ()) -> Workbook:
    wb = Workbook()
    add_sheet(wb, title, headers, rows, subtitle=subtitle, widths=widths, ws=wb.active)
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(wb: Workbook, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(workbook_bytes(wb), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
