"""The generic 台账 import: upload checks, the row reader, the template writer, all-or-nothing."""

import datetime as dt
import io
import struct
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pingan.core import imports
from pingan.core.audit import audit_record
from pingan.core.imports import Column, Importer, RowError, UploadError
from pingan.core.models import AuditAction, AuditLog, AuditResult
from pingan.testing.factories import valid_id_number

COLUMNS = (
    Column("姓名", "name"),
    Column("身份证号码", "id_number", parser=imports.id_number(), as_text=True),
    Column("手机号码", "phone", required=False, parser=imports.phone(), as_text=True),
    Column("民族", "ethnicity", choices=("汉族", "蒙古族", "回族")),
    Column("类别", "category", required=False, choices=("村(居)法律顾问", "辅警")),
    Column("日期", "day", required=False, parser=imports.date()),
)


def xlsx_bytes(rows, *, title="Sheet") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(content: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def with_entries(content: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """Rewrite an xlsx: replace some parts, add others."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        entries = {n: replace.get(n, zf.read(n)) for n in zf.namelist()}
    return zip_bytes(entries | add)


def read(rows, columns=COLUMNS, **kwargs):
    return imports.read_rows(iter(rows), columns, **kwargs)


def good_row(**overrides):
    row = {"姓名": "巴特尔", "身份证号码": valid_id_number(), "手机号码": "13804710001", "民族": "蒙古族"}
    return row | overrides


def table(*dicts, headers=("姓名", "身份证号码", "手机号码", "民族")):
    return [tuple(headers)] + [tuple(d.get(h) for h in headers) for d in dicts]


# --- upload checks --------------------------------------------------------------------------

def test_defusedxml_guards_openpyxl_xml_parsing():
    assert openpyxl.DEFUSEDXML is True


def test_a_text_file_renamed_to_xlsx_is_refused_before_parsing():
    with pytest.raises(UploadError, match="扩展名与内容不符"):
        imports.check_upload(upload("这不是表格".encode()))


def test_a_real_csv_given_as_xlsx_is_refused():
    with pytest.raises(UploadError, match="扩展名与内容不符"):
        imports.check_upload(upload("姓名,身份证号码\n巴特尔,150824\n".encode()))


def test_a_file_of_another_type_is_refused_by_its_extension():
    with pytest.raises(UploadError, match="只接受xlsx格式"):
        imports.check_upload(upload(xlsx_bytes([["姓名"]]), "台账.txt"))


def test_csv_is_refused_unless_the_caller_allows_it():
    content = "姓名\n巴特尔\n".encode()
    with pytest.raises(UploadError, match="只接受xlsx格式"):
        imports.check_upload(upload(content, "台账.csv"))
    assert imports.check_upload(upload(content, "台账.csv"), allow_csv=True) == ("csv", content)


def test_a_csv_saved_by_chinese_excel_in_gbk_is_read():
    content = "姓名,民族\n巴特尔,蒙古族\n".encode("gbk")
    rows = list(imports.open_table(upload(content, "台账.csv"), allow_csv=True))
    assert rows == [("姓名", "民族"), ("巴特尔", "蒙古族")]


def test_a_legacy_xls_or_password_protected_workbook_is_refused_with_advice():
    with pytest.raises(UploadError, match="旧版Excel"):
        imports.check_upload(upload(imports.OLE_MAGIC + b"\x00" * 600))
    with pytest.raises(UploadError, match="旧版Excel文件"):
        imports.check_upload(upload(imports.OLE_MAGIC + b"\x00" * 600, "台账.xls"))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.PINGAN_UPLOAD_MAX_BYTES = 2048
    with pytest.raises(UploadError, match="文件过大"):
        imports.check_upload(upload(b"PK\x03\x04" + b"\x00" * 4096))


def test_an_empty_file_is_refused():
    with pytest.raises(UploadError, match="文件是空的"):
        imports.check_upload(upload(b""))


def test_a_truncated_zip_is_a_clear_error_not_a_crash():
    content = xlsx_bytes([["姓名"], ["巴特尔"]])
    with pytest.raises(UploadError, match="文件已损坏"):
        imports.check_upload(upload(content[: len(content) // 2]))


def test_a_zip_that_is_not_a_workbook_is_refused():
    with pytest.raises(UploadError, match="缺少工作簿结构"):
        imports.check_upload(upload(zip_bytes({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"})))


def test_a_workbook_with_a_vba_project_is_refused():
    content = with_entries(xlsx_bytes([["姓名"]]), add={"xl/vbaProject.bin": b"\x00" * 64})
    with pytest.raises(UploadError, match="包含宏"):
        imports.check_upload(upload(content))


def test_a_macro_enabled_workbook_renamed_to_xlsx_is_refused():
    content = xlsx_bytes([["姓名"]])
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        types = zf.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    with pytest.raises(UploadError, match="启用宏"):
        imports.check_upload(upload(with_entries(content, replace={"[Content_Types].xml": types})))


def test_an_xlsm_file_is_refused_by_its_extension():
    with pytest.raises(UploadError, match="启用宏"):
        imports.check_upload(upload(xlsx_bytes([["姓名"]]), "台账.xlsm"))


def test_a_workbook_with_too_many_zip_entries_is_refused():
    extra = {f"xl/media/image{i}.png": b"x" for i in range(imports.DEFAULT_MAX_ZIP_ENTRIES)}
    with pytest.raises(UploadError, match="部件"):
        imports.check_upload(upload(with_entries(xlsx_bytes([["姓名"]]), add=extra)))


def test_a_workbook_that_inflates_beyond_the_limit_is_refused(settings):
    settings.PINGAN_UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    content = with_entries(xlsx_bytes([["姓名"]]), add={"xl/media/zeros.bin": b"\x00" * (2 * 1024 * 1024)})
    assert len(content) < 20 * 1024
    with pytest.raises(UploadError, match="解压后大小"):
        imports.check_upload(upload(content))


def test_a_workbook_declaring_a_huge_unpacked_size_is_refused_without_inflating_it():
    content = bytearray(with_entries(xlsx_bytes([["姓名"]]), add={"xl/media/bomb.bin": b"\x00" * 1024}))
    at = content.rfind(b"PK\x01\x02")  # central directory record of the last entry (the bomb)
    content[at + 24:at + 28] = struct.pack("<I", 0xFFFFFFF0)  # declared uncompressed size: 4 GB
    with pytest.raises(UploadError, match="解压后大小"):
        imports.check_upload(upload(bytes(content)))


def test_an_xml_entity_bomb_inside_a_sheet_is_refused_by_defusedxml():
    content = xlsx_bytes([["姓名"], ["巴特尔"]])
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    rigged = with_entries(content, replace={"xl/worksheets/sheet1.xml": bomb})
    with pytest.raises(UploadError, match="文件已损坏") as caught:
        list(imports.open_table(upload(rigged)))
    chain, exc = [], caught.value
    while exc is not None:
        chain.append(type(exc).__name__)
        exc = exc.__cause__ or exc.__context__
    assert "EntitiesForbidden" in chain


def test_a_zip_with_garbage_instead_of_workbook_xml_is_a_clear_error():
    content = with_entries(xlsx_bytes([["姓名"]]), replace={"xl/workbook.xml": b"not xml at all"})
    with pytest.raises(UploadError, match="文件已损坏"):
        list(imports.open_table(upload(content)))


def test_the_data_sheet_is_found_by_title_and_cells_come_back_as_written():
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.create_sheet("人员导入").append(["姓名", "日期"])
    wb["人员导入"].append(["巴特尔", dt.date(2024, 3, 1)])
    buf = io.BytesIO()
    wb.save(buf)
    rows = list(imports.open_table(upload(buf.getvalue()), sheet_title="人员导入"))
    assert rows[0] == ("姓名", "日期")
    assert rows[1] == ("巴特尔", dt.datetime(2024, 3, 1))


# --- the row reader -------------------------------------------------------------------------

def test_headers_are_matched_despite_spaces_order_and_a_required_star():
    number = valid_id_number()
    result = read([(" 民族 ", "身份证号码*", "无关列", "姓名　"), ("汉族", number, "x", "李娜")])
    assert result.errors == []
    assert result.rows[0].values["name"] == "李娜"
    assert result.rows[0].values["id_number"] == number
    assert result.rows[0].values["ethnicity"] == "汉族"


def test_a_missing_required_column_is_one_error_naming_it():
    result = read([("姓名", "手机号码", "民族"), ("李娜", "13804710001", "汉族"), ("王芳", "", "汉族")])
    assert result.errors == [RowError(1, "身份证号码", "缺少必填列“身份证号码”，请使用下载的模板")]
    assert result.rows == []


def test_a_repeated_header_is_an_error():
    result = read([("姓名", "姓名", "身份证号码", "民族")])
    assert RowError(1, "姓名", "表头“姓名”重复出现") in result.errors


def test_errors_carry_the_row_number_excel_shows_and_empty_rows_are_skipped():
    rows = [(), ("姓名", "身份证号码", "手机号码", "民族"), (None, None), ("李娜", "150824199005170011", "", "汉族"),
            ("", "", None, ""), (None,)]
    result = read(rows)
    assert result.errors == [RowError(4, "身份证号码", "身份证号码校验位错误")]
    assert [r.number for r in result.rows] == [4]


def test_every_bad_cell_of_every_row_is_reported():
    result = read(table(good_row(姓名=""), good_row(民族="火星族", 手机号码="23804710001")))
    assert (2, "姓名", "必填项不能为空") in [(e.row, e.column, e.reason) for e in result.errors]
    assert {(e.row, e.column) for e in result.errors} == {(2, "姓名"), (3, "民族"), (3, "手机号码")}


def test_a_formula_cell_is_refused():
    content = xlsx_bytes(table(good_row(姓名='=HYPERLINK("http://x","巴特尔")')))
    result = imports.read_rows(imports.open_table(upload(content)), COLUMNS)
    assert result.errors == [RowError(2, "姓名", result.errors[0].reason)]
    assert result.errors[0].reason.startswith("不允许使用公式")


def test_dates_are_read_from_date_cells_and_from_text_in_both_styles():
    headers = ("姓名", "身份证号码", "民族", "日期")
    rows = [headers, ("a", valid_id_number(), "汉族", dt.datetime(2024, 3, 1)),
            ("b", valid_id_number(), "汉族", "2024-03-02"), ("c", valid_id_number(), "汉族", "2024/3/3"),
            ("d", valid_id_number(), "汉族", "2024-02-30"), ("e", valid_id_number(), "汉族", 45352),
            ("f", valid_id_number(), "汉族", "3月5日")]
    result = read(rows)
    assert [r.values.get("day") for r in result.rows[:3]] == [dt.date(2024, 3, 1), dt.date(2024, 3, 2),
                                                              dt.date(2024, 3, 3)]
    assert [(e.row, e.reason) for e in result.errors] == [
        (5, "日期“2024-02-30”不存在"), (6, "日期应为日期格式或“YYYY-MM-DD”形式的文本，不能是数字"),
        (7, "日期“3月5日”格式不正确，应为“YYYY-MM-DD”或“YYYY/MM/DD”")]


def test_an_id_number_stored_as_a_number_is_refused_with_a_hint_to_use_text():
    result = read(table(good_row(身份证号码=1.50824199005171e17), good_row(身份证号码="1.50824E+17")))
    assert [e.column for e in result.errors] == ["身份证号码", "身份证号码"]
    assert all("文本" in e.reason for e in result.errors)


def test_a_phone_number_stored_as_an_exact_number_is_converted_and_an_inexact_one_refused():
    result = read(table(good_row(手机号码=13804710001), good_row(手机号码=13804710001.0),
                        good_row(手机号码=1.3804710001e10), good_row(手机号码=138047100.5)))
    assert [r.values.get("phone") for r in result.rows[:3]] == ["13804710001"] * 3
    assert [(e.row, e.column) for e in result.errors] == [(5, "手机号码")]
    assert "文本" in result.errors[0].reason


def test_dictionary_values_ignore_full_width_parentheses():
    headers = ("姓名", "身份证号码", "民族", "类别")
    result = read([headers, ("a", valid_id_number(), "汉族", "村（居）法律顾问")])
    assert result.errors == []
    assert result.rows[0].values["category"] == "村(居)法律顾问"


def test_a_file_with_a_header_and_no_data_rows_is_an_error():
    assert read(table()).errors == [RowError(None, "", "文件中没有数据行：请从表头下一行起填写")]


def test_a_file_with_more_rows_than_the_limit_is_refused():
    result = read(table(*[good_row() for _ in range(4)]), max_rows=3)
    assert result.errors == [RowError(None, "", "单次最多导入3行数据，请拆分为多个文件")]


# --- the template ---------------------------------------------------------------------------

def reload(wb: openpyxl.Workbook) -> openpyxl.Workbook:
    buf = io.BytesIO()
    wb.save(buf)
    return openpyxl.load_workbook(io.BytesIO(buf.getvalue()))


def test_the_template_has_dropdowns_for_dictionary_columns_and_text_format_for_ids():
    long_list = tuple(f"民族{i}" for i in range(60))
    columns = (*COLUMNS[:3], Column("民族", "ethnicity", choices=long_list), COLUMNS[4])
    wb = reload(imports.build_template(columns, title="人员导入"))
    ws = wb["人员导入"]
    assert [c.value for c in ws[1]] == ["姓名", "身份证号码", "手机号码", "民族", "类别"]
    assert ws.max_row == 1  # no example row among the data: examples live on the 填写说明 sheet
    formulas = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert formulas["E2:E1001"] == '"村(居)法律顾问,辅警"'
    assert formulas["D2:D1001"] == "'字典'!$A$2:$A$61"
    assert wb["字典"].sheet_state == "hidden"
    assert [wb["字典"].cell(row=r, column=1).value for r in (2, 61)] == ["民族0", "民族59"]
    assert ws.column_dimensions["B"].number_format == "@"
    assert ws.column_dimensions["C"].number_format == "@"
    assert "填写说明" in wb.sheetnames


# --- the all-or-nothing contract ------------------------------------------------------------

class NamesImporter(Importer):
    """Writes one audit CREATE row per name (a stand-in for a real service)."""

    kind, label, object_type = "names", "姓名", "test.Name"
    columns = (Column("姓名", "name"), Column("民族", "ethnicity", choices=("汉族", "蒙古族")))
    field_headers = {"name": "姓名"}

    def check(self, user, rows):
        seen = {}
        errors = []
        for row in rows:
            if row.get("name") in seen:
                errors.append(RowError(row.number, "姓名", f"与第{seen[row.get('name')]}行重复"))
            seen.setdefault(row.get("name"), row.number)
        return errors

    def write(self, user, row):
        if row.get("name") == "拒绝":
            raise ValidationError({"name": "服务拒绝了这一行"})
        audit_record(user, AuditAction.CREATE, object_type="test.Name", object_repr=row.get("name"))
        return {"姓名": 1}


@pytest.mark.django_db
def test_a_good_file_writes_every_row_and_one_import_audit_row(persona):
    user = persona("station_chief")
    content = xlsx_bytes([("姓名", "民族"), ("巴特尔", "蒙古族"), ("李娜", "汉族")])
    result = imports.run_import(NamesImporter(), user, upload(content))
    assert result.ok and result.rows == 2 and result.created == {"姓名": 2}
    assert AuditLog.objects.filter(object_type="test.Name", action=AuditAction.CREATE).count() == 2
    row = AuditLog.objects.get(action=AuditAction.IMPORT, object_type="test.Name")
    assert row.result == AuditResult.OK and row.after["created"] == {"姓名": 2}


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_saves_nothing(persona):
    user = persona("station_chief")
    content = xlsx_bytes([("姓名", "民族"), ("巴特尔", "蒙古族"), ("李娜", "火星族"), ("巴特尔", "汉族")])
    result = imports.run_import(NamesImporter(), user, upload(content))
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, "民族"), (4, "姓名")]
    assert not AuditLog.objects.filter(object_type="test.Name", action=AuditAction.CREATE).exists()
    failed = AuditLog.objects.get(action=AuditAction.IMPORT, object_type="test.Name")
    assert failed.result == AuditResult.FAILED and failed.after["errors"] == 2


@pytest.mark.django_db
def test_a_row_refused_by_the_service_while_writing_rolls_back_the_rows_before_it(persona):
    user = persona("station_chief")
    content = xlsx_bytes([("姓名", "民族"), ("巴特尔", "蒙古族"), ("拒绝", "汉族")])
    result = imports.run_import(NamesImporter(), user, upload(content))
    assert result.errors == [RowError(3, "姓名", "服务拒绝了这一行")]
    assert not AuditLog.objects.filter(object_type="test.Name", action=AuditAction.CREATE).exists()
    assert AuditLog.objects.get(action=AuditAction.IMPORT, object_type="test.Name").result == AuditResult.FAILED


@pytest.mark.django_db
def test_a_refused_file_is_audited_as_a_failed_import(persona):
    user = persona("station_chief")
    result = imports.run_import(NamesImporter(), user, upload(b"plain text", "名单.xlsx"))
    assert result.errors[0].row is None and "扩展名与内容不符" in result.errors[0].reason
    failed = AuditLog.objects.get(action=AuditAction.IMPORT, object_type="test.Name")
    assert failed.result == AuditResult.FAILED and failed.after == {
        "kind": "names", "file": "名单.xlsx", "rows": 0, "errors": 1}
