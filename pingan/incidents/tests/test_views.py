"""The pages open for the roles that use them, the form registers, the daily review exports."""

import io

import openpyxl
import pytest
from django.urls import reverse

from pingan.incidents.models import Incident, IncidentCategory
from pingan.incidents.tests.helpers import at, register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("login", ["hq_officer", "station_chief", "village_officer"])
@pytest.mark.parametrize("name", ["incidents:list", "incidents:create", "incidents:daily", "incidents:clusters",
                                  "incidents:tasks"])
def test_pages_open(client_as, login, name):
    register(when=at())
    assert client_as(login).get(reverse(name)).status_code == 200


def test_the_phone_form_registers_and_reports_repeats(client_as):
    register(address="巴仁宝勒格村3组", content="报警称村委会门口有5人喝酒后打架，2人受伤。", phone="13900000001", caller="甲")
    response = client_as("station_chief").post(reverse("incidents:create"), {
        "received_at": "2024-03-01T09:10", "category": IncidentCategory.objects.get(name="殴打他人").pk,
        "caller_name": "乙", "caller_phone": "13900000002", "address": "巴仁宝勒格三社",
        "content": "群众报警村委会门口几个人喝酒后打起来了，2人受伤。"}, follow=True)
    assert "发现与1起先前警情重复" in response.content.decode()
    assert Incident.objects.filter(cluster__isnull=False).count() == 2


def test_the_daily_review_shows_the_day_and_exports(client_as):
    register(number="D1", when=at(day=5, hour=8))
    register(number="D2", when=at(day=6, hour=8))
    c = client_as("station_chief")
    page = c.get(reverse("incidents:daily") + "?date=2024-03-05").content.decode()
    assert "D1" in page and "D2" not in page and "巴仁宝勒格村" in page
    response = c.get(reverse("incidents:daily") + "?date=2024-03-05&export=xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:3] == ["按村统计", "警情明细", "到期任务"]
    assert "D1" in [c.value for c in wb["警情明细"]["A"]]


def test_a_registered_daily_section_appears(client_as):
    from pingan.incidents import daily

    def section(user, day, area_code):
        return daily.DailySection("风险升级的矛盾纠纷", ["编号"], [["MD-1"]])

    daily.register_section(section)
    try:
        page = client_as("hq_officer").get(reverse("incidents:daily") + "?date=2024-03-05").content.decode()
        assert "风险升级的矛盾纠纷" in page and "MD-1" in page
    finally:
        daily._sections.remove(section)


@pytest.mark.parametrize("login, case, dispute", [("station_chief", True, True), ("village_officer", False, True)])
def test_the_detail_offers_to_open_a_case_or_a_dispute_to_those_who_may(client_as, login, case, dispute):
    incident = register(when=at()).incident
    page = client_as(login).get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert (f"{reverse('cases:create')}?incident={incident.pk}" in page) is case
    assert (f"{reverse('disputes:new')}?incident={incident.pk}" in page) is dispute
