"""人员 and 驻村警务 台账 import: the importers, the page, the template round trip."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pingan.core import imports
from pingan.core.imports import RowError, run_import
from pingan.core.models import AuditAction, AuditLog, AuditResult
from pingan.org import importers
from pingan.org.models import Agency, AgencyKind, Posting, Staff, StaffCategory, VillageAssignment
from pingan.testing.factories import AgencyFactory, StaffFactory, area, valid_id_number
from pingan.testing.personas import BANNER, SIBLING_TOWNSHIP, SIBLING_VILLAGE, TOWNSHIP, VILLAGE, agency_for

pytestmark = pytest.mark.django_db

STAFF_HEADERS = ("姓名", "人员类别", "身份证号码", "手机号码", "民族", "所在单位", "工作辖区代码", "参加工作日期", "备注")
ASSIGNMENT_HEADERS = ("身份证号码", "村级单位代码", "职责", "起始日期", "结束日期")
real_check = imports.check_upload
STATION = "海流图镇派出所"  # the station chief persona's agency (personas.agency_for)


def workbook_upload(headers, rows, name="台账.xlsx") -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h) for h in headers] if isinstance(row, dict) else list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def staff_row(**overrides):
    return {"姓名": "巴特尔", "人员类别": "辅警", "身份证号码": valid_id_number(), "手机号码": "13804710001",
            "民族": "蒙古族", "所在单位": STATION, "工作辖区代码": VILLAGE, "参加工作日期": "2019-07-01",
            "备注": ""} | overrides


def assignment_row(staff, **overrides):
    return {"身份证号码": staff.id_number, "村级单位代码": VILLAGE, "职责": "驻村辅警",
            "起始日期": dt.date(2024, 1, 1), "结束日期": None} | overrides


def import_staff(user, *rows, headers=STAFF_HEADERS):
    return run_import(importers.IMPORTERS["staff"], user, workbook_upload(headers, rows))


def import_assignments(user, *rows):
    return run_import(importers.IMPORTERS["assignments"], user, workbook_upload(ASSIGNMENT_HEADERS, rows))


def station():
    return agency_for(AgencyKind.POLICE_STATION, area(TOWNSHIP))


def auxiliary(**kwargs):
    return StaffFactory(agency=station(), area=area(VILLAGE), category=StaffCategory.AUXILIARY, **kwargs)


def import_rows(object_type):
    return AuditLog.objects.filter(action=AuditAction.IMPORT, object_type=object_type)


@pytest.fixture
def chief(persona):
    return persona("station_chief")


# --- 人员 -----------------------------------------------------------------------------------

def test_a_good_staff_file_imports_every_row_with_a_first_posting_and_audit_rows(chief):
    rows = [staff_row(姓名="巴特尔"), staff_row(姓名="李娜", 人员类别="民警", 民族="汉族", 参加工作日期=None,
                                                  工作辖区代码=TOWNSHIP, 手机号码=None)]
    result = import_staff(chief, *rows)
    assert result.ok, result.errors
    assert result.created == {"人员": 2, "任职经历": 2}
    bater = Staff.objects.get(id_number=rows[0]["身份证号码"])
    assert (bater.agency.name, bater.area.code, bater.service_start) == (STATION, VILLAGE, dt.date(2019, 7, 1))
    assert bater.birth_date == dt.date(1990, 5, 17) and bater.name_initials
    assert Posting.objects.get(staff=bater).start == dt.date(2019, 7, 1)
    lina = Staff.objects.get(name="李娜")
    assert Posting.objects.get(staff=lina).start == dt.date.today()
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_type="org.Staff").count() == 2
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_type="org.Posting").count() == 2
    audit = import_rows("org.Staff").get()
    assert audit.result == AuditResult.OK and audit.actor_login == "station_chief"
    assert audit.after == {"kind": "staff", "file": "台账.xlsx", "rows": 2, "created": {"人员": 2, "任职经历": 2}}


def test_a_bad_check_digit_is_reported_and_nothing_is_saved(chief):
    good = valid_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    result = import_staff(chief, staff_row(), staff_row(身份证号码=bad))
    assert result.errors == [RowError(3, "身份证号码", "身份证号码校验位错误")]
    assert not Staff.objects.exists()
    audit = import_rows("org.Staff").get()
    assert audit.result == AuditResult.FAILED and audit.after["errors"] == 1
    assert bad not in audit.detail


def test_a_duplicate_id_number_in_the_file_is_reported_on_the_second_row_naming_the_first(chief):
    row = staff_row()
    result = import_staff(chief, row, staff_row(), dict(row, 姓名="重复者"))
    assert result.errors == [RowError(4, "身份证号码", "与第2行的身份证号码重复")]
    assert not Staff.objects.exists()


def test_an_id_number_already_in_pingan_is_refused(chief):
    existing = auxiliary()
    result = import_staff(chief, staff_row(身份证号码=existing.id_number))
    assert result.errors == [RowError(2, "身份证号码", "系统中已存在该身份证号码的人员，不能重复导入")]
    assert Staff.objects.count() == 1


def test_one_bad_row_among_good_ones_saves_nothing(chief):
    rows = [staff_row(), staff_row(), staff_row(民族="火星族"), staff_row()]
    result = import_staff(chief, *rows)
    assert [(e.row, e.column) for e in result.errors] == [(4, "民族")]
    assert not Staff.objects.exists() and not Posting.objects.exists()
    assert not AuditLog.objects.filter(action=AuditAction.CREATE).exists()


def test_an_agency_outside_the_station_chiefs_township_is_an_error_not_an_import(chief):
    AgencyFactory(name="乌加河派出所", kind=AgencyKind.POLICE_STATION, area=area(SIBLING_TOWNSHIP))
    result = import_staff(chief, staff_row(所在单位="乌加河派出所", 工作辖区代码=SIBLING_TOWNSHIP))
    assert result.errors == [
        RowError(2, "所在单位", "单位“乌加河派出所”不存在或不在您的辖区内"),
        RowError(2, "工作辖区代码", f"工作辖区代码 {SIBLING_TOWNSHIP} 不存在或不在您的辖区内"),
    ]
    assert not Staff.objects.exists()


def test_a_justice_office_in_the_same_township_is_not_visible_to_a_station_chief(chief):
    AgencyFactory(name="海流图司法所", kind=AgencyKind.JUDICIAL_OFFICE, area=area(TOWNSHIP))
    result = import_staff(chief, staff_row(所在单位="海流图司法所", 人员类别="人民调解员"))
    assert result.errors == [RowError(2, "所在单位", "单位“海流图司法所”不存在或不在您的辖区内")]


def test_a_work_area_outside_the_agencys_area_is_an_error(persona):
    leader = persona("hq_officer")
    AgencyFactory(name="乌加河派出所", kind=AgencyKind.POLICE_STATION, area=area(SIBLING_TOWNSHIP))
    result = import_staff(leader, staff_row(所在单位="乌加河派出所", 工作辖区代码=VILLAGE))
    assert [(e.row, e.column) for e in result.errors] == [(2, "工作辖区代码")]
    assert "不在单位“乌加河派出所”的辖区" in result.errors[0].reason


def test_an_agency_may_be_named_by_its_short_name(chief):
    Agency.objects.filter(pk=station().pk).update(short_name="海流图所")
    result = import_staff(chief, staff_row(所在单位="海流图所"))
    assert result.ok, result.errors
    assert Staff.objects.get().agency == station()


def test_a_future_service_start_is_refused(chief):
    result = import_staff(chief, staff_row(参加工作日期=dt.date.today() + dt.timedelta(days=3)))
    assert result.errors == [RowError(2, "参加工作日期", "参加工作日期不能晚于今天")]


def test_a_missing_required_column_is_one_error_naming_it(chief):
    headers = tuple(h for h in STAFF_HEADERS if h != "民族")
    result = import_staff(chief, staff_row(), headers=headers)
    assert result.errors == [RowError(1, "民族", "缺少必填列“民族”，请使用下载的模板")]


def test_a_formula_cell_is_refused(chief):
    result = import_staff(chief, staff_row(姓名='=CONCAT("巴","特尔")'))
    assert [(e.row, e.column) for e in result.errors] == [(2, "姓名")]
    assert "不允许使用公式" in result.errors[0].reason


def test_an_id_number_typed_as_a_number_is_refused_with_a_text_hint(chief):
    result = import_staff(chief, staff_row(身份证号码=float(valid_id_number()[:17] + "0")))
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号码")]
    assert "文本" in result.errors[0].reason


# --- 驻村警务 -------------------------------------------------------------------------------

def test_a_good_assignments_file_creates_the_assignments_and_audit_rows(chief):
    a, b = auxiliary(), auxiliary()
    assistant = StaffFactory(agency=station(), area=area(VILLAGE), category=StaffCategory.PART_TIME_ASSISTANT)
    result = import_assignments(chief, assignment_row(a), assignment_row(b, 村级单位代码=SIBLING_VILLAGE),
                                assignment_row(assistant, 职责="兼职警务助理", 起始日期="2024/03/01"))
    assert result.ok, result.errors
    assert result.created == {"驻村警务": 3}
    assert set(VillageAssignment.objects.values_list("staff__name", "village__code", "role")) == {
        (a.name, VILLAGE, "驻村辅警"), (b.name, SIBLING_VILLAGE, "驻村辅警"),
        (assistant.name, VILLAGE, "兼职警务助理")}
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_type="org.VillageAssignment").count() == 3
    assert import_rows("org.VillageAssignment").get().result == AuditResult.OK


def test_an_unknown_village_code_is_reported_in_chinese(chief):
    result = import_assignments(chief, assignment_row(auxiliary(), 村级单位代码="150824100299"))
    assert result.errors == [RowError(2, "村级单位代码", "村级单位代码 150824100299 不存在或不在您的辖区内")]
    assert not VillageAssignment.objects.exists()


def test_a_village_of_a_sibling_township_is_out_of_scope_for_a_station_chief(chief):
    result = import_assignments(chief, assignment_row(auxiliary(), 村级单位代码="150824101001"))
    assert result.errors == [RowError(2, "村级单位代码", "村级单位代码 150824101001 不存在或不在您的辖区内")]


def test_a_person_outside_the_importers_scope_is_not_found(chief):
    elsewhere = StaffFactory(agency=AgencyFactory(area=area(SIBLING_TOWNSHIP)), area=area(SIBLING_TOWNSHIP))
    result = import_assignments(chief, assignment_row(elsewhere))
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号码")]
    assert "不存在或不在您的辖区内" in result.errors[0].reason


def test_a_township_code_is_not_a_village(chief):
    result = import_assignments(chief, assignment_row(auxiliary(), 村级单位代码=TOWNSHIP))
    assert result.errors == [RowError(2, "村级单位代码", f"{TOWNSHIP}（海流图镇）不是村级单位(村、嘎查、社区)")]


def test_a_village_that_already_has_an_auxiliary_refuses_a_second_one(chief):
    holder = auxiliary(name="张海军")
    VillageAssignment.objects.create(staff=holder, village=area(VILLAGE), role="驻村辅警", start=dt.date(2023, 1, 1))
    result = import_assignments(chief, assignment_row(auxiliary()))
    assert [(e.row, e.column) for e in result.errors] == [(2, "村级单位代码")]
    assert "已有驻村辅警张海军" in result.errors[0].reason and "一村只能有一名驻村辅警" in result.errors[0].reason
    assert VillageAssignment.objects.count() == 1


def test_an_auxiliary_whose_assignment_ended_before_the_new_one_is_no_conflict(chief):
    VillageAssignment.objects.create(staff=auxiliary(), village=area(VILLAGE), role="驻村辅警",
                                     start=dt.date(2022, 1, 1), end=dt.date(2023, 12, 31))
    assert import_assignments(chief, assignment_row(auxiliary())).ok


def test_two_auxiliaries_for_one_village_in_the_same_file_are_refused(chief):
    result = import_assignments(chief, assignment_row(auxiliary()), assignment_row(auxiliary()))
    assert result.errors == [RowError(3, "村级单位代码", "与第2行冲突：巴仁宝勒格村在同一时段只能有一名驻村辅警(一村一警)")]
    assert not VillageAssignment.objects.exists()


def test_the_same_assignment_twice_in_a_file_is_a_duplicate_row(chief):
    person = auxiliary()
    result = import_assignments(chief, assignment_row(person, 职责="兼职警务助理"),
                                assignment_row(person, 职责="兼职警务助理"))
    assert result.errors == [RowError(3, "", "与第2行重复：同一人员在同一村的驻村时段重叠")]


def test_someone_who_is_not_an_auxiliary_cannot_be_the_village_auxiliary(chief):
    officer = StaffFactory(agency=station(), area=area(VILLAGE), category=StaffCategory.POLICE_OFFICER)
    result = import_assignments(chief, assignment_row(officer))
    assert [(e.row, e.column) for e in result.errors] == [(2, "职责")]
    assert "不是辅警" in result.errors[0].reason


def test_an_end_date_before_the_start_date_is_refused(chief):
    result = import_assignments(chief, assignment_row(auxiliary(), 结束日期=dt.date(2023, 12, 31)))
    assert result.errors == [RowError(2, "结束日期", "结束日期不能早于起始日期")]


@pytest.mark.skipif(not importers._SERVICE_TAKES_END, reason="assignment_create does not take an end date yet")
def test_an_ended_assignment_is_imported_with_its_end_date(chief):
    result = import_assignments(chief, assignment_row(auxiliary(), 结束日期=dt.date(2024, 6, 30)))
    assert result.ok, result.errors
    assert VillageAssignment.objects.get().end == dt.date(2024, 6, 30)


# --- rights ----------------------------------------------------------------------------------

@pytest.mark.parametrize("login", ["village_officer", "grid_worker", "legal_literate", "prosecutor", "liaison",
                                   "auditor", "secadmin"])
def test_a_role_without_import_rights_gets_403_on_the_page_and_the_templates(client_as, login):
    client = client_as(login)
    assert client.get(reverse("org:import")).status_code == 403
    assert client.post(reverse("org:import"), {"kind": "staff"}).status_code == 403
    assert client.get(reverse("org:import_template", args=["staff"])).status_code == 403
    assert AuditLog.objects.filter(action=AuditAction.DENIED, actor_login=login).count() == 3


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page():
    response = Client().get(reverse("org:import"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_justice_bureau_imports_staff_but_not_village_policing(client_as):
    client = client_as("justice_clerk")
    page = client.get(reverse("org:import"))
    assert page.status_code == 200
    assert [k.kind for k in page.context["kinds"]] == ["staff"]
    assert client.get(reverse("org:import_template", args=["assignments"])).status_code == 404
    response = client.post(reverse("org:import"), {"kind": "assignments", "file": workbook_upload(
        ASSIGNMENT_HEADERS, [])})
    assert response.context["result"] is None and response.context["form"].errors["kind"]


def test_the_system_administrator_may_import_staff_of_any_line(persona):
    admin = persona("sysadmin")
    office = AgencyFactory(name="海流图司法所", kind=AgencyKind.JUDICIAL_OFFICE, area=area(TOWNSHIP))
    result = import_staff(admin, staff_row(所在单位=office.name, 人员类别="人民调解员"))
    assert result.ok, result.errors
    assert [k.kind for k in importers.available(admin)] == ["staff", "assignments", "population"]


# --- the page --------------------------------------------------------------------------------

def test_the_page_offers_the_kinds_and_their_templates(client_as):
    response = client_as("station_chief").get(reverse("org:import"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("org:import_template", args=["staff"]) in body
    assert reverse("org:import_template", args=["assignments"]) in body
    assert 'enctype="multipart/form-data"' in body and "csrfmiddlewaretoken" in body


def test_a_successful_upload_shows_the_counts_and_a_link_to_the_staff_list(client_as):
    client = client_as("station_chief")
    response = client.post(reverse("org:import"), {"kind": "staff", "file": workbook_upload(
        STAFF_HEADERS, [staff_row(), staff_row()])})
    body = response.content.decode()
    assert response.status_code == 200
    assert "导入成功" in body and "人员 2 条" in body and reverse("org:staff_list") in body
    assert Staff.objects.count() == 2


def test_a_bad_upload_shows_row_column_and_reason_and_saves_nothing(client_as):
    client = client_as("station_chief")
    response = client.post(reverse("org:import"), {"kind": "assignments", "file": workbook_upload(
        ASSIGNMENT_HEADERS, [assignment_row(auxiliary(), 村级单位代码="150824100299")])})
    body = response.content.decode()
    assert "没有保存任何数据" in body
    assert "<th class=\"text-nowrap\">行号</th>" in body
    assert "第2行" in body and "村级单位代码 150824100299 不存在或不在您的辖区内" in body
    assert not VillageAssignment.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("名单.xlsx", b"just text, renamed", "扩展名与内容不符"),
    ("名单.xlsx", "姓名,身份证号码\n巴特尔,1\n".encode(), "扩展名与内容不符"),
    ("名单.docx", b"PK\x03\x04", "文件类型不正确"),
    ("名单.xlsx", b"PK\x03\x04 this zip is broken", "文件已损坏"),
])
def test_a_wrong_or_corrupt_file_gets_a_chinese_error_and_a_failed_audit_row(client_as, name, content, message):
    response = client_as("station_chief").post(reverse("org:import"), {
        "kind": "staff", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert import_rows("org.Staff").get().result == AuditResult.FAILED


def test_an_oversized_upload_is_refused_without_being_stored(client_as, settings, monkeypatch):
    settings.PINGAN_UPLOAD_MAX_BYTES = 4096
    notes = ["".join(chr(0x4E00 + (row * 131 + i * 17) % 20000) for i in range(60)) for row in range(80)]
    big = workbook_upload(STAFF_HEADERS, [staff_row(备注=note) for note in notes])
    assert big.size > 8192
    stored = []
    monkeypatch.setattr(imports, "check_upload", lambda upload, **kw: stored.append(upload.read()) or
                        real_check(upload, **kw))
    response = client_as("station_chief").post(reverse("org:import"), {"kind": "staff", "file": big})
    assert f"文件过大：{big.size // 1024}KB，上限为4KB" in response.content.decode()
    assert stored == [b""]  # the view got an empty stand-in, not the 10 KB body
    assert not Staff.objects.exists()
    assert import_rows("org.Staff").get().result == AuditResult.FAILED


def test_a_csv_file_is_accepted(client_as):
    row = staff_row()
    text = ",".join(STAFF_HEADERS) + "\n" + ",".join(str(row[h] or "") for h in STAFF_HEADERS) + "\n"
    response = client_as("station_chief").post(reverse("org:import"), {
        "kind": "staff", "file": SimpleUploadedFile("人员.csv", text.encode("gbk"))})
    assert "导入成功" in response.content.decode()
    assert Staff.objects.get().id_number == row["身份证号码"]


def test_the_upload_is_csrf_protected(persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("station_chief"))
    response = client.post(reverse("org:import"), {"kind": "staff", "file": workbook_upload(
        STAFF_HEADERS, [staff_row()])})
    assert response.status_code == 403
    assert not Staff.objects.exists()


# --- the template and the round trip ----------------------------------------------------------

def download_template(client, kind) -> openpyxl.Workbook:
    response = client.get(reverse("org:import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def validations(ws) -> dict[str, str]:
    return {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation}


def test_the_staff_template_has_dropdowns_for_dictionary_columns_and_agencies_in_scope(client_as):
    client = client_as("station_chief")
    AgencyFactory(name="乌加河派出所", kind=AgencyKind.POLICE_STATION, area=area(SIBLING_TOWNSHIP))
    wb = download_template(client, "staff")
    ws = wb["人员导入"]
    assert tuple(c.value for c in ws[1]) == STAFF_HEADERS
    dv = validations(ws)
    assert set(dv) == {"B", "E", "F"}  # 人员类别, 民族, 所在单位
    assert dv["B"].startswith('"民警,辅警,兼职警务助理')
    assert dv["E"] == "'字典'!$A$2:$A$57"  # 56 ethnicities, through the hidden sheet
    assert dv["F"] == f'"{STATION}"'  # only the agencies the chief can see (乌加河派出所 is not one)
    assert wb["字典"].sheet_state == "hidden"
    assert ws.column_dimensions["C"].number_format == "@"  # 身份证号码
    assert ws.column_dimensions["D"].number_format == "@"  # 手机号码


def test_the_assignments_template_has_a_dropdown_for_the_role(client_as):
    wb = download_template(client_as("station_chief"), "assignments")
    ws = wb["驻村警务导入"]
    assert tuple(c.value for c in ws[1]) == ASSIGNMENT_HEADERS
    assert validations(ws) == {"C": '"驻村辅警,兼职警务助理,社区民警"'}
    assert ws.column_dimensions["A"].number_format == "@"


def fill(wb: openpyxl.Workbook, sheet: str, rows) -> SimpleUploadedFile:
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    for r, row in enumerate(rows, start=2):
        for c, header in enumerate(headers, start=1):
            if row.get(header) is not None:
                ws.cell(row=r, column=c, value=row[header])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("已填写.xlsx", buf.getvalue())


def test_the_round_trip_template_filled_in_is_imported(client_as):
    client = client_as("station_chief")
    people = [staff_row(姓名="乌云其其格", 参加工作日期=dt.date(2020, 9, 1)), staff_row(姓名="刘洋")]
    upload = fill(download_template(client, "staff"), "人员导入", people)
    response = client.post(reverse("org:import"), {"kind": "staff", "file": upload})
    assert "导入成功" in response.content.decode(), response.content.decode()
    assert Staff.objects.count() == 2

    assignments = [assignment_row(Staff.objects.get(name="乌云其其格")),
                   assignment_row(Staff.objects.get(name="刘洋"), 村级单位代码=SIBLING_VILLAGE)]
    upload = fill(download_template(client, "assignments"), "驻村警务导入", assignments)
    response = client.post(reverse("org:import"), {"kind": "assignments", "file": upload})
    assert "导入成功" in response.content.decode(), response.content.decode()
    assert VillageAssignment.objects.count() == 2
    assert import_rows("org.Staff").get().result == AuditResult.OK
    assert import_rows("org.VillageAssignment").get().result == AuditResult.OK


def test_the_hq_officer_imports_across_the_banner(persona):
    leader = persona("hq_officer")
    bureau = Agency.objects.get(area__code=BANNER, kind=AgencyKind.POLICE_BUREAU)
    result = import_staff(leader, staff_row(所在单位=bureau.name, 人员类别="民警", 工作辖区代码=SIBLING_VILLAGE))
    assert result.ok, result.errors
