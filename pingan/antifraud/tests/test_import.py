"""The per-period import of the anti-fraud centre's statistics: template, row/column errors, all or
nothing, re-import of a period refused unless replacing."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pingan.antifraud.importer import SnapshotImporter
from pingan.antifraud.models import RegistrationSnapshot, SnapshotSource
from pingan.antifraud.tests import builders as b
from pingan.core.imports import run_import
from pingan.core.models import AuditAction, AuditLog, AuditResult

pytestmark = pytest.mark.django_db
ON = dt.date(2024, 6, 30)
HEADER = ["区划代码", "乡镇(苏木)", "村(嘎查、社区)", "累计注册人数", "人口基数"]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("统计.xlsx", buffer.getvalue())


def csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("统计.csv", text.encode("gb18030"))


def run(user, upload, on=ON, replace=False):
    return run_import(SnapshotImporter(on=on, replace=replace, filename=upload.name), user, upload)


def test_a_good_file_is_imported_by_code_or_by_name(persona):
    result = run(persona("station_chief"), xlsx([
        [b.VILLAGE, "", "", 420, 1500],
        [None, "海流图镇", "巴彦塔拉村村民委员会", 380, 1200],
    ]))
    assert result.ok, result.errors
    assert result.created == {"新增统计": 2}
    snaps = {s.area.code: s for s in RegistrationSnapshot.objects.select_related("area")}
    assert snaps[b.VILLAGE].registered == 420 and snaps[b.SIBLING_VILLAGE].population == 1200
    assert {s.on for s in snaps.values()} == {ON} and {s.source for s in snaps.values()} == {SnapshotSource.IMPORT}
    assert AuditLog.objects.filter(action=AuditAction.IMPORT, result=AuditResult.OK,
                                   object_type="antifraud.RegistrationSnapshot").count() == 1


def test_a_csv_in_gbk_is_accepted(persona):
    result = run(persona("station_chief"), csv("村(嘎查、社区),累计注册人数,人口基数\n巴仁宝勒格村,100,900\n"))
    assert result.ok, result.errors
    assert RegistrationSnapshot.objects.get().registered == 100


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_saved(persona):
    result = run(persona("station_chief"), xlsx([
        [b.VILLAGE, "", "", 420, 1500],  # good
        [b.OTHER_TOWNSHIP_VILLAGE, "", "", 10, 100],  # another township: out of scope
        [None, "", "不存在村", 10, 100],
        [b.VILLAGE, "", "", 5, 100],  # the same village again
        [b.SIBLING_VILLAGE, "", "", "很多", 100],
        [None, "海流图镇", "乌兰大街社区", 300, 200],  # registered > base
        ["150824100002", "", "双荣村", 1, 10],  # code and name disagree
    ]))
    assert not result.ok
    got = {(e.row, e.column) for e in result.errors}
    assert got == {(3, "区划代码"), (4, "村(嘎查、社区)"), (5, "村(嘎查、社区)"), (6, "累计注册人数"),
                   (7, "累计注册人数"), (8, "村(嘎查、社区)")}
    reasons = " ".join(e.reason for e in result.errors)
    assert "不是您辖区内的村" in reasons and "与第2行重复" in reasons and "超过人口基数" in reasons
    assert not RegistrationSnapshot.objects.exists()
    assert AuditLog.objects.filter(action=AuditAction.IMPORT, result=AuditResult.FAILED,
                                   object_type="antifraud.RegistrationSnapshot").count() == 1


def test_a_missing_population_falls_back_to_the_village_and_fails_when_there_is_none(persona):
    village = b.area()
    village.population = 2000
    village.save()
    result = run(persona("station_chief"), xlsx([[b.VILLAGE, "", "", 500, None], [b.SIBLING_VILLAGE, "", "", 1, None]]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "人口基数")]
    result = run(persona("station_chief"), xlsx([[b.VILLAGE, "", "", 500, None]]))
    assert result.ok
    snap = RegistrationSnapshot.objects.get()
    assert (snap.population, snap.population_from_area) == (2000, True)


def test_reimporting_a_period_is_refused_unless_replacing_and_replacing_keeps_the_other_villages(persona):
    chief = persona("station_chief")
    assert run(chief, xlsx([[b.VILLAGE, "", "", 420, 1500], [b.SIBLING_VILLAGE, "", "", 300, 1000]])).ok
    again = run(chief, xlsx([[b.VILLAGE, "", "", 430, 1500]]))
    assert not again.ok and "已有统计（累计注册420人）" in again.errors[0].reason
    assert RegistrationSnapshot.objects.get(area__code=b.VILLAGE).registered == 420
    replaced = run(chief, xlsx([[b.VILLAGE, "", "", 430, 1500]]), replace=True)
    assert replaced.ok and replaced.created == {"替换原有统计": 1}
    assert dict(RegistrationSnapshot.objects.values_list("area__code", "registered")) == {
        b.VILLAGE: 430, b.SIBLING_VILLAGE: 300}
    assert run(chief, xlsx([[b.VILLAGE, "", "", 440, 1500]]), on=dt.date(2024, 9, 30)).ok  # another period


def test_a_file_without_the_required_columns_is_refused(persona):
    result = run(persona("station_chief"), xlsx([["巴仁宝勒格村", 10]], header=["村", "数量"]))
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(1, "累计注册人数")]
    result = run(persona("station_chief"), xlsx([[None, 10]], header=["村(嘎查、社区)", "累计注册人数"]))
    assert [(e.row, e.column, e.reason) for e in result.errors] == [(2, "村(嘎查、社区)", "请填写区划代码或村名")]


def test_the_import_page_offers_the_template_and_imports(client_as):
    client = client_as("station_chief")
    template = client.get(reverse("antifraud:registration_template"))
    assert template.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value for c in wb.worksheets[0][1]] == HEADER
    response = client.post(reverse("antifraud:registration_import"),
                           {"on": "2024-06-30", "file": xlsx([[b.VILLAGE, "", "", 420, 1500]])})
    assert "导入成功" in response.content.decode()
    response = client.post(reverse("antifraud:registration_import"),
                           {"on": "2024-06-30", "file": xlsx([[b.VILLAGE, "", "", 9999, 1500]])})
    html = response.content.decode()
    assert "没有保存任何数据" in html and "第2行" in html and "超过人口基数" in html
