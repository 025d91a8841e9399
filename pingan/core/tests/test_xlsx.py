import datetime as dt
import decimal
import io

from openpyxl import load_workbook

from pingan.core.xlsx import build_workbook, safe_cell, workbook_bytes


def test_formula_like_text_is_escaped():
    for dangerous in ("=1+2", "+86", "-cmd", "@SUM(A1)", "\tx"):
        assert safe_cell(dangerous) == "'" + dangerous


def test_plain_values_pass_through():
    assert safe_cell("巴彦塔拉村") == "巴彦塔拉村"
    assert safe_cell(decimal.Decimal("842518.00")) == decimal.Decimal("842518.00")
    assert safe_cell(None) == ""
    assert safe_cell(True) == "是"


def test_a_written_workbook_holds_no_formula():
    wb = build_workbook("测试", ["名称", "金额", "日期"], [["=HYPERLINK(\"x\")", decimal.Decimal("1.50"), dt.date(2024, 5, 1)]])
    ws = load_workbook(io.BytesIO(workbook_bytes(wb))).active
    assert ws["A2"].value == "'=HYPERLINK(\"x\")"
    assert ws["A2"].data_type == "s"
    assert ws["B2"].value == 1.5
    assert ws["B2"].number_format == "0.00"
