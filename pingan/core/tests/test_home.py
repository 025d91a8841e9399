import datetime as dt

import pytest

from pingan.org.models import AgencyKind, AssignmentRole, Posting, VillageAssignment
from pingan.testing.factories import AgencyFactory, StaffFactory, area
from pingan.testing.personas import BANNER, TOWNSHIP, VILLAGE

pytestmark = pytest.mark.django_db


def test_every_role_gets_a_home_page(client_as, any_persona):
    from django.test import Client

    client = Client()
    client.force_login(any_persona)
    response = client.get("/")
    assert response.status_code == 200
    assert "工作台" in response.content.decode()


def test_a_station_chief_sees_the_villages_of_their_township_without_an_officer(client_as):
    station = AgencyFactory(kind=AgencyKind.POLICE_STATION, area=area(TOWNSHIP))
    VillageAssignment.objects.create(staff=StaffFactory(agency=station), village=area(VILLAGE),
                                     role=AssignmentRole.AUXILIARY, start=dt.date(2024, 1, 1))
    items = {i.title: i for i in client_as("station_chief").get("/").context["items"]}
    # 海流图镇 has two 村: one covered, one gap.
    assert items["行政村已配备驻村辅警"].count == 1
    assert items["未配备驻村辅警的行政村"].count == 1
    assert items["未配备驻村辅警的行政村"].level == "danger"


def test_the_bureau_leader_sees_hq_staff_with_under_two_years_at_stations(client_as):
    hq = AgencyFactory(kind=AgencyKind.POLICE_HQ, area=area(BANNER))
    station = AgencyFactory(kind=AgencyKind.POLICE_STATION, area=area(TOWNSHIP))
    today = dt.date.today()
    fresh = StaffFactory(agency=hq, category="民警")
    Posting.objects.create(staff=fresh, agency=hq, start=today - dt.timedelta(days=300))
    seasoned = StaffFactory(agency=hq, category="民警")
    Posting.objects.create(staff=seasoned, agency=station, start=today - dt.timedelta(days=1200),
                           end=today - dt.timedelta(days=301))
    Posting.objects.create(staff=seasoned, agency=hq, start=today - dt.timedelta(days=300))
    items = {i.title: i for i in client_as("hq_officer").get("/").context["items"]}
    assert items["机关民辅警基层经历不满2年"].count == 1


def test_the_auditor_sees_failed_logins_and_nothing_of_the_organisation(client):
    client.post("/login/", {"username": "nobody", "password": "wrong"})
    from pingan.testing.personas import make_persona

    client.force_login(make_persona("auditor"))
    items = {i.title: i for i in client.get("/").context["items"]}
    assert items["近7天登录失败"].count >= 1
    assert "未配备驻村辅警的行政村" not in items
