"""The judicial office's monthly work 台账 in the usual paper form: title, 填报单位 and 填报月份,
numbered rows, a 合计 row, and the 填报人/审核人/填报日期 line."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.core.xlsx import safe_cell, xlsx_response
from pingan.legal.models import ActivityKind, mask_names
from pingan.legal.selectors import Ledger

LEDGER_HEADERS = ("序号", "日期", "嘎查(社区)", "活动类型", "主题(事由)", "地点", "宣传对象/当事人", "受众(人次)",
                  "参与法律明白人", "法律顾问", "调解结果", "备注")
WIDTHS = (6, 12, 14, 12, 26, 18, 18, 10, 22, 10, 10, 20)
SHORT = {ActivityKind.PUBLICITY: "宣传", ActivityKind.MEDIATION: "调解", ActivityKind.CONSULTATION: "咨询",
         ActivityKind.VISIT: "走访"}


def ledger_rows(ledger: Ledger, *, full_personal_data: bool) -> list[list]:
    rows = []
    for i, a in enumerate(ledger.activities, start=1):
        who = (a.parties if full_personal_data else mask_names(a.parties)) if a.kind == ActivityKind.MEDIATION else a.audience
        note = f"关联纠纷{a.dispute_ref}" if a.dispute_ref else a.materials
        rows.append([i, a.date, a.village.short_name, a.get_kind_display(), a.title, a.place, who, a.audience_count,
                     "、".join(p.staff.name for p in a.participants.all()), a.adviser.name if a.adviser else "",
                     a.outcome, note])
    return rows


def total_row(ledger: Ledger) -> list:
    totals = ledger.totals()
    by_kind = "、".join(f"{SHORT[k]}{n}" for k, n in totals.items())
    return ["合计", f"{len(ledger.activities)}项", "", by_kind, "", "", "", ledger.audience_total, "", "", "", ""]


def ledger_workbook(ledger: Ledger, *, filled_by: str, full_personal_data: bool) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{ledger.year}年{ledger.month}月"
    n = len(LEDGER_HEADERS)
    last = get_column_letter(n)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = safe_cell(f"“法律明白人”工作月度台账（{ledger.month_label}）")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = safe_cell(f"填报单位：{ledger.office.name}")
    ws.cell(row=2, column=8, value=safe_cell(f"填报月份：{ledger.month_label}"))
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, (header, width) in enumerate(zip(LEDGER_HEADERS, WIDTHS, strict=True), start=1):
        cell = ws.cell(row=3, column=col, value=header)
        cell.font, cell.border = Font(bold=True), border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    rows = ledger_rows(ledger, full_personal_data=full_personal_data) + [total_row(ledger)]
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=safe_cell(value))
            cell.border = border
            if c == 2 and cell.value:
                cell.number_format = "yyyy-mm-dd"
    total_at = 3 + len(rows)
    for c in range(1, n + 1):
        ws.cell(row=total_at, column=c).font = Font(bold=True)
    ws.cell(row=total_at + 2, column=1,
            value=safe_cell(f"填报人：{filled_by}        审核人：            填报日期：{timezone.localdate():%Y年%m月%d日}"))
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return wb


def ledger_response(request, ledger: Ledger):
    user = request.user
    full = user.policy.full_personal_data
    wb = ledger_workbook(ledger, filled_by=user.full_name or user.username, full_personal_data=full)
    audit_record(user, AuditAction.EXPORT, ledger.office, object_type="legal.Activity",
                 object_repr=f"{ledger.office.name}{ledger.month_label}台账",
                 detail=f"导出月度台账{len(ledger.activities)}行", after={"rows": len(ledger.activities),
                                                                  "month": f"{ledger.year}-{ledger.month:02d}"})
    return xlsx_response(wb, f"{ledger.office.name}-{ledger.year}年{ledger.month}月法律明白人工作台账.xlsx")
