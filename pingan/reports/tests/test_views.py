"""The report page, its drill-downs and chart data: cut by the reader's scope, every number a link."""

import io
import re

import openpyxl
import pytest
from django.utils import timezone

from pingan.core.models import AuditAction, AuditLog
from pingan.core.navigation import menu_for
from pingan.org.models import Staff, VillageAssignment
from pingan.reports.registry import all_indicators
from pingan.testing import org_builders as b

pytestmark = pytest.mark.django_db

REPORT = "/reports/150824000000/2024/"


def values_on_page(response) -> dict[str, str]:
    """indicator code → the number shown in its row, read from the HTML."""
    rows = re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', response.content.decode(), re.S)
    return {code: re.search(r'class="num-link[^"]*"[^>]*>([^<]+)</a>', html).group(1) for code, html in rows}


# ---- the page --------------------------------------------------------------------------------

def test_reports_opens_on_the_users_banner_and_last_year(client_as):
    response = client_as("station_chief").get("/reports/")
    assert response.status_code == 302
    assert response["Location"] == f"/reports/150824000000/{timezone.localdate().year - 1}/"


def test_the_picker_takes_a_six_digit_code_and_a_year(client_as):
    response = client_as("hq_officer").get("/reports/?banner=150824&year=2024")
    assert response["Location"] == REPORT


def test_the_page_shows_every_indicator_grouped_by_programme_with_its_description(client_as, world):
    response = client_as("hq_officer").get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert set(values_on_page(response)) == {i.code for i in all_indicators()}
    assert "组织与警力" in html
    assert 'title="口径：旗内类型为村或嘎查的村级单位数' in html
    assert "乌拉特中旗2024年平安乡村建设工作总结" in html  # the summary box


def test_every_number_on_the_page_is_a_link_to_its_drill_down(client_as, world):
    html = client_as("hq_officer").get(REPORT).content.decode()
    rows = re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', html, re.S)
    assert len(rows) == len(all_indicators())
    for code, row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        numbers = [c for c in cells if re.fullmatch(r"[\d,.]+", re.sub(r"<[^>]+>", "", c).strip())]
        assert numbers, code
        for cell in numbers:
            assert f'href="{REPORT}{code}/"' in cell, f"{code}: number without a link: {cell}"


def test_the_page_is_cut_by_the_readers_scope(client_as, world):
    leader = values_on_page(client_as("hq_officer").get(REPORT))
    chief = values_on_page(client_as("station_chief").get(REPORT))
    assert (leader["org.auxiliary_officers_assigned"], chief["org.auxiliary_officers_assigned"]) == ("3", "1")
    assert (leader["org.staff_moved_to_stations"], chief["org.staff_moved_to_stations"]) == ("2", "1")
    assert int(chief["org.admin_villages"]) < int(leader["org.admin_villages"]) == 87
    assert "按您的数据范围统计（海流图镇）" in client_as("station_chief").get(REPORT).content.decode()


def test_the_summary_on_the_page_speaks_of_the_readers_township(client_as, world):
    text = client_as("station_chief").get(REPORT).context["text"]
    assert text.startswith("乌拉特中旗海流图镇2024年平安乡村建设工作总结")
    assert "乌拉特中旗海流图镇把推进“一村一警”建设" in text
    assert "。建成1个高标准乡村警务室，为辖区2个行政村中的1个配备1名辅警" in text


def test_the_page_draws_charts_with_the_locally_served_echarts(client_as, world):
    html = client_as("hq_officer").get(REPORT).content.decode()
    assert '<script src="/static/echarts/echarts.min.js"></script>' in html
    assert "cdn" not in html.lower()
    assert f'data-url="{REPORT}org.police_rooms_high_standard/series.json"' in html


def test_a_banner_the_reader_cannot_see_answers_404(client_as, other_banner_leader, client):
    assert client_as("station_chief").get("/reports/152922000000/2024/").status_code == 404
    client.force_login(other_banner_leader)
    assert client.get(REPORT).status_code == 404
    assert client.get(f"{REPORT}org.auxiliary_officers_assigned/").status_code == 404
    assert client.get(f"{REPORT}org.auxiliary_officers_assigned/series.json").status_code == 404
    assert client.get("/reports/152922000000/2024/").status_code == 200


@pytest.mark.parametrize("url", ["/reports/150824000000/1999/", "/reports/999999000000/2024/",
                                 "/reports/150824100000/2024/", f"{REPORT}org.nothing/"])
def test_a_bad_year_banner_or_indicator_answers_404(client_as, url):
    assert client_as("hq_officer").get(url).status_code == 404


@pytest.mark.parametrize("login", ["secadmin", "auditor"])
def test_the_security_and_audit_administrators_do_not_read_reports(client_as, login):
    assert client_as(login).get(REPORT).status_code == 403
    assert "统计报表" not in [e.label for e in menu_for(login)]


def test_the_menu_offers_reports_to_the_working_roles():
    for role in ("sysadmin", "police_leader", "station_chief", "grid_worker", "justice_bureau", "prosecutor"):
        assert "统计报表" in [e.label for e in menu_for(role)]


def test_the_page_downloads_as_xlsx_and_the_export_is_audited(client_as, world):
    response = client_as("station_chief").get(REPORT + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    values = {row[0]: row[2] for row in wb["指标"].iter_rows(min_row=3, values_only=True)}
    assert values["org.auxiliary_officers_assigned"] == 1  # the chief's part only
    assert [row[1] for row in wb["按乡镇"].iter_rows(min_row=2, values_only=True)] == ["海流图镇"]
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor_login="station_chief").count() == 1


def test_the_page_offers_the_workbook_as_a_background_job_that_the_button_starts(client_as, world):
    from pingan.jobs.models import Job

    client = client_as("station_chief")
    html = client.get(REPORT).content.decode()
    form = re.search(r'<form method="post" action="(/jobs/[^"]+)".*?</form>', html, re.S)
    assert form and "后台生成Excel" in form.group(0)
    fields = dict(re.findall(r'name="(banner|year)" value="([^"]+)"', form.group(0)))
    assert fields == {"banner": "150824000000", "year": "2024"}
    response = client.post(form.group(1), fields)
    job = Job.objects.get(kind="reports.year_xlsx")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.params == {"banner_code": "150824000000", "year": 2024}


# ---- drill-down ------------------------------------------------------------------------------

def test_the_drill_down_lists_exactly_the_records_counted(client_as, world):
    url = f"{REPORT}org.auxiliary_officers_assigned/"
    for login, expected in (("hq_officer", 3), ("station_chief", 1)):
        response = client_as(login).get(url)
        listed = list(response.context["page_obj"].object_list)
        assert len(listed) == response.context["page_obj"].paginator.count == expected
        assert response.context["value"] == str(expected)
    chief_rows = client_as("station_chief").get(url).context["page_obj"].object_list
    own = VillageAssignment.objects.get(village__code=b.OWN_VILLAGES[0]).staff
    assert list(chief_rows) == [own]


def test_the_drill_down_shows_the_indicators_columns(client_as, world):
    response = client_as("hq_officer").get(f"{REPORT}org.team_seat_officers/")
    assert response.context["headers"] == ["姓名", "班子", "职务", "起始"]
    html = response.content.decode()
    assert "海流图镇" in html and "双荣村" in html


def test_the_drill_down_is_paginated(client_as):
    for _ in range(55):
        b.assign(b.OWN_VILLAGES[0])
    first = client_as("hq_officer").get(f"{REPORT}org.auxiliary_officers_assigned/")
    second = client_as("hq_officer").get(f"{REPORT}org.auxiliary_officers_assigned/?page=2")
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 5
    assert "第 1 / 2 页" in first.content.decode()


def test_the_drill_down_exports_its_records_to_xlsx_with_an_audit_row(client_as, world):
    response = client_as("hq_officer").get(f"{REPORT}org.auxiliary_officers_assigned/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = sorted(row[0] for row in sheet.iter_rows(min_row=3, values_only=True))
    expected = sorted(Staff.objects.filter(assignments__role="驻村辅警").values_list("name", flat=True))
    assert names == expected
    assert AuditLog.objects.filter(action=AuditAction.EXPORT,
                                   object_type="reports.org.auxiliary_officers_assigned").exists()


# ---- chart data ------------------------------------------------------------------------------

def test_chart_data_are_by_month_and_by_township_with_chinese_labels(client_as, world):
    data = client_as("hq_officer").get(f"{REPORT}org.staff_moved_to_stations/series.json").json()
    assert data["by_month"]["labels"] == [f"{m}月" for m in range(1, 13)]
    assert data["by_month"]["values"][3] == 1 and data["by_month"]["values"][5] == 1  # April, June
    assert dict(zip(data["by_township"]["labels"], data["by_township"]["values"], strict=True)) == {
        "海流图镇": 1, "乌加河镇": 1}


def test_chart_data_are_cut_by_scope(client_as, world):
    data = client_as("station_chief").get(f"{REPORT}org.staff_moved_to_stations/series.json").json()
    assert data["by_township"]["labels"] == ["海流图镇"]
    assert sum(data["by_month"]["values"]) == data["value"] == 1
