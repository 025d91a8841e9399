"""Importing a 110 export: encodings, date forms, duplicates, bad rows, re-import, the command line."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from pingan.areas.models import Area
from pingan.incidents.importer import import_incidents
from pingan.incidents.models import Incident, RepeatCluster
from pingan.incidents.tests.helpers import BANNER

pytestmark = pytest.mark.django_db

HEADER = "警情编号,接警时间,报警人,报警电话,发生地址,警情类别,警情内容\n"
ROWS = (
    "B001,2024-03-01 08:15,张建国,13804711234,海流图镇巴仁宝勒格村三组,入户盗窃,报警人称家中被盗，丢失现金2000元。\n"
    "B002,2024/03/01 08:40:10,李娜,13804710002,巴仁宝勒格3社,治安,报警称村委会门口有人打架。\n"
    "B003,2024-03-02 10:00,王芳,13804710003,苏独仑村4组,邻里纠纷,报警人王芳称与邻居赵敏因院墙问题发生纠纷。\n"
)


def run(content: bytes, name="110.csv"):
    return import_incidents(actor=None, banner=Area.objects.get(code=BANNER), name=name, content=content, cli=True)


def test_a_utf8_csv_with_a_bom_is_imported():
    report = run(("\ufeff" + HEADER + ROWS).encode("utf-8"))
    assert (report.imported, report.skipped, report.rejected) == (3, 0, [])
    assert Incident.objects.get(number="B003").area.code == "150824102206"
    assert Incident.objects.get(number="B002").category.name == "治安"


def test_a_gbk_csv_saved_by_chinese_excel_is_imported():
    report = run((HEADER + ROWS).encode("gbk"))
    assert report.imported == 3
    assert Incident.objects.get(number="B001").caller_name == "张建国"


def test_re_importing_the_same_file_changes_nothing():
    content = (HEADER + ROWS).encode("utf-8")
    run(content)
    before = (Incident.objects.count(), RepeatCluster.objects.count())
    report = run(content)
    assert (report.imported, report.skipped) == (0, 3)
    assert (Incident.objects.count(), RepeatCluster.objects.count()) == before


def test_bad_rows_are_rejected_with_row_column_and_reason_the_good_ones_imported():
    rows = ROWS + ("B004,2024-13-45 08:00,甲,,巴仁宝勒格3组,治安,打架\n"
                   "B001,2024-03-05 08:00,乙,,巴仁宝勒格3组,治安,打架\n"
                   "B006,昨天上午,丙,,巴仁宝勒格3组,治安,打架\n")
    report = run((HEADER + rows).encode("utf-8"))
    assert report.imported == 3 and report.rejected_rows == 3
    reasons = {(e.row, e.column): e.reason for e in report.rejected}
    assert "不存在" in reasons[(5, "接警时间")]
    assert "与第2行重复" in reasons[(6, "警情编号")]
    assert "格式不正确" in reasons[(7, "接警时间")]
    assert not Incident.objects.filter(number__in=["B004", "B006"]).exists()


def test_a_missing_column_rejects_the_file():
    report = run("警情编号,报警人,发生地址,警情类别\nB1,甲,乙,治安\n".encode())
    assert report.file_error and report.imported == 0
    assert any("缺少必填列“接警时间”" in e.reason for e in report.rejected)
    assert not Incident.objects.exists()


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["警情编号", "接警时间", "报警人", "报警电话", "发生地址", "警情类别", "警情内容"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_an_xlsx_with_excel_date_cells_and_number_phones_is_imported():
    content = _xlsx([
        ["X1", dt.datetime(2024, 4, 1, 7, 30), "巴特尔", 13804711111, "巴彦塔拉村2组", "盗窃牲畜", "报警人称其羊圈内12只羊被盗。"],
        ["X2", "2024/04/01 07:45", "孟和", "13804712222", "巴彦塔拉二社", "盗窃牛羊", "报警称家里羊圈的羊少了12只，怀疑被偷走。"],
        ["X3", "2024-04-02 09:00", "某", "", "某处", "外星人", "内容"],
    ])
    report = run(content, name="110.xlsx")
    assert report.imported == 3, report.rejected
    x1 = Incident.objects.get(number="X1")
    assert x1.received_at.astimezone(dt.timezone(dt.timedelta(hours=8))).hour == 7 and x1.caller_phone == "13804711111"
    assert Incident.objects.get(number="X2").category.name == "盗窃牲畜"  # alias of the 110 system
    x3 = Incident.objects.get(number="X3")
    assert x3.category.name == "其他警情" and x3.raw_category == "外星人" and x3.needs_placement
    assert any(e.column == "警情类别" for e in report.notes)


def test_the_command_prints_the_counts(capsys, tmp_path):
    path = tmp_path / "110.csv"
    path.write_bytes((HEADER + ROWS + "B009,2024-02-30 08:00,甲,,巴仁宝勒格3组,治安,打架\n").encode("gbk"))
    call_command("incidents", "import", str(path), "--banner", "150824")
    out = capsys.readouterr().out
    assert "导入 3" in out and "已存在跳过 0" in out and "拒绝 1" in out and "第5行「接警时间」" in out
    call_command("incidents", "import", str(path), "--banner", "150824", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert (data["imported"], data["skipped"], data["rejected"]) == (0, 3, 1)
