"""pingan report --banner CODE --year YYYY --format json|text|xlsx [--out FILE]."""

import datetime as dt
import decimal
import io
import json
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from pingan.core.models import AuditAction, AuditLog
from pingan.org.models import AssignmentRole
from pingan.reports import registry
from pingan.reports.registry import Indicator, Programme, all_indicators
from pingan.reports.text import json_number
from pingan.testing import org_builders as b
from pingan.testing.factories import area

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def report_json(banner="150824", year="2024") -> dict:
    return json.loads(run("--banner", banner, "--year", year, "--format", "json"))


# ---- json ------------------------------------------------------------------------------------

def test_the_json_output_has_every_indicator_code_with_a_numeric_value(world):
    data = report_json()
    assert set(data) == {i.code for i in all_indicators()}
    assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in data.values())
    assert data["org.admin_villages"] == 87
    assert data["org.auxiliary_officers_assigned"] == 3
    assert data["org.staff_moved_to_stations"] == 2


def test_a_12_digit_banner_code_gives_the_same_report(world):
    assert report_json("150824000000") == report_json("150824")


def test_the_json_output_keeps_two_decimals_for_money_and_prints_chinese_unescaped(world, monkeypatch):
    monkeypatch.setitem(registry._programmes, "test", Programme("test", "测试工作", order=99))
    money = Indicator(code="test.追赃挽损", name="追赃挽损", unit="元", programme="test", description="测试",
                      records=lambda ctx: area("150824000000").subtree(), decimals=2,
                      value=lambda qs, ctx: decimal.Decimal("842518.00"))
    rate = Indicator(code="test.rate", name="安装率上升", unit="个百分点", programme="test", description="测试",
                     records=lambda ctx: area("150824000000").subtree(), decimals=2, value=lambda qs, ctx: 10.15)
    monkeypatch.setitem(registry._indicators, money.code, money)
    monkeypatch.setitem(registry._indicators, rate.code, rate)
    text = run("--banner", "150824", "--year", "2024", "--format", "json")
    assert '"test.追赃挽损": 842518.00' in text
    assert '"test.rate": 10.15' in text
    assert json.loads(text)["test.追赃挽损"] == 842518


def test_json_numbers_are_written_as_numbers():
    assert json_number(87) == "87"
    assert json_number(decimal.Decimal("842518")) == "842518.00"
    assert json_number(decimal.Decimal("84.2518"), 4) == "84.2518"
    assert json_number(10.149999, 2) == "10.15"
    assert json_number(None) == "null"


# ---- text ------------------------------------------------------------------------------------

def test_the_text_starts_with_a_title_and_fills_numbers_from_records(world):
    text = run("--banner", "150824", "--year", "2024", "--format", "text")
    assert text.splitlines()[0] == "乌拉特中旗2024年平安乡村建设工作总结（数据截至2024年12月31日）"
    assert "为全旗87个行政村中的3个配备3名辅警、1名兼职警务助理" in text
    assert "建成1个高标准乡村警务室" in text
    assert "目前尚有84个行政村未配备驻村辅警" in text
    assert "2024年，委派2名社区民辅警分别担任1个乡镇苏木、1个社区（村、嘎查）班子成员" in text
    assert "先后调整机关2名民辅警下沉到基层派出所" in text


def test_the_text_leaves_out_sentences_whose_figure_is_zero(world):
    text = run("--banner", "150824", "--year", "2024", "--format", "text")
    assert "新招录" not in text  # no recruits in 2024
    assert not re.search(r"(?<![0-9])0[名个]", text)
    assert "全覆盖" not in text  # 84 villages still without an officer


def test_the_text_of_a_fully_covered_banner_reads_like_the_newspaper():
    villages = list(registry.indicator("org.admin_villages").scoped_records(
        registry.ReportContext(area("150824000000"), 2024)))
    for village in villages:
        b.assign(village.code)
    for village in villages[:22]:
        b.assign(village.code, role=AssignmentRole.PART_TIME)
    b.room(b.OWN_VILLAGES[0])
    b.room(b.SIBLING_VILLAGES[0])
    b.recruit(b.station(b.OWN_TOWNSHIP), started=dt.date(2024, 8, 1))
    b.recruit(b.station(b.SIBLING_TOWNSHIP), started=dt.date(2024, 8, 1))
    b.move_to_station(moved_on=dt.date(2024, 5, 1))
    text = run("--banner", "150824", "--year", "2024", "--format", "text")
    assert "实现农村派出所“一村一辅警”全覆盖" in text
    assert "建成2个高标准乡村警务室，为全旗87个行政村配备87名辅警、22名兼职警务助理" in text
    assert "2024年，新招录民辅警2名，全部分配至基层派出所" in text
    assert "今年又先后调整机关1名民辅警下沉到基层派出所" in text
    assert "委派" not in text  # nobody seated on a team: that paragraph is left out


def test_a_banner_without_records_says_so_instead_of_printing_zeros():
    text = run("--banner", "152922", "--year", "2024", "--format", "text")
    assert text.startswith("阿拉善右旗2024年平安乡村建设工作总结")
    assert "暂无可汇总的工作数据" in text


# ---- xlsx ------------------------------------------------------------------------------------

def test_the_xlsx_opens_with_openpyxl_and_holds_the_values(world, tmp_path):
    out = tmp_path / "报表.xlsx"
    run("--banner", "150824", "--year", "2024", "--format", "xlsx", "--out", str(out))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["指标", "按乡镇"]
    sheet = wb["指标"]
    assert [c.value for c in sheet[2]] == ["编码", "指标", "数值", "单位", "口径说明"]
    values = {row[0]: row[2] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values == report_json()
    township = {row[1]: row for row in wb["按乡镇"].iter_rows(min_row=2, values_only=True)}
    assert {"海流图镇", "乌加河镇"} <= set(township)
    assert "工作总结" in wb.sheetnames
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="reports.Report").exists()


def test_an_unknown_format_is_refused_in_chinese():
    with pytest.raises(CommandError, match="输出格式"):
        run("--banner", "150824", "--year", "2024", "--format", "csv")


def test_xlsx_without_an_output_file_is_refused_in_chinese():
    with pytest.raises(CommandError, match="--out"):
        run("--banner", "150824", "--year", "2024", "--format", "xlsx")


# ---- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("banner, year, message", [
    ("150825", "2024", "未找到旗县"),
    ("150824100000", "2024", "未找到旗县"),  # a township is not a banner
    ("15082", "2024", "旗县代码"),
    ("150824", "1999", "年份"),
    ("150824", "二〇二四", "年份"),
    ("150824", str(dt.date.today().year + 1), "年份"),
])
def test_an_unknown_banner_or_a_bad_year_is_a_chinese_command_error(banner, year, message):
    with pytest.raises(CommandError, match=message):
        run("--banner", banner, "--year", year, "--format", "json")
