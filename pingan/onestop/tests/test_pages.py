"""The window as a clerk and a station chief use it: register at the window (done on the spot), the
station's page with its counts and average time, the list masked and exported, a reveal audited."""

import datetime as dt

import pytest

from pingan.core.models import AuditAction, AuditLog
from pingan.onestop.models import OneStopStation, ServiceRequest
from pingan.onestop.tests import builders as b

pytestmark = pytest.mark.django_db


def test_a_request_registered_at_the_window_is_done_on_the_spot(client_as, persona):
    st = persona("station_chief").agency
    client = client_as("station_chief")
    assert "窗口登记" in client.get("/onestop/requests/new/").content.decode()
    response = client.post("/onestop/requests/new/", {
        "station": st.pk, "kind": "户政", "item": "户籍证明", "channel": "窗口", "received_at": "2024-05-06T09:30",
        "applicant_name": "张海军", "applicant_id_number": b.id_number(3), "done_now": "on"})
    assert response.status_code == 302
    row = ServiceRequest.objects.get()
    assert row.outcome == "办结" and row.completed_at >= row.received_at


def test_a_wrong_id_number_comes_back_on_the_form(client_as, persona):
    response = client_as("station_chief").post("/onestop/requests/new/", {
        "station": persona("station_chief").agency.pk, "kind": "户政", "item": "户籍证明", "channel": "窗口",
        "received_at": "2024-05-06T09:30", "applicant_name": "张海军", "applicant_id_number": "150824198001010011"})
    assert response.status_code == 200 and "校验位错误" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_the_window_page_counts_and_averages(client_as, persona):
    st = persona("station_chief").agency
    b.request(st, hours=1)
    b.request(st, hours=3, channel="一网通办")
    b.request(st, hours=None)
    page = client_as("station_chief").get(f"/onestop/stations/{st.pk}/?from=2024-01-01&to=2024-12-31").content.decode()
    assert "2小时" in page  # the average of 1 and 3 hours
    assert "33.3%" in page  # one of three online


def test_the_list_and_its_export_mask_the_id_number_and_a_reveal_is_audited(client_as, persona):
    row = b.request(persona("station_chief").agency, applicant_id_number=b.id_number(9))
    client = client_as("station_chief")
    page = client.get("/onestop/requests/").content.decode()
    assert row.id_masked in page and row.applicant_id_number not in page
    export = client.get("/onestop/requests/?export=xlsx")
    assert export.status_code == 200 and AuditLog.objects.filter(action=AuditAction.EXPORT).count() == 1
    revealed = client.post(f"/onestop/requests/{row.pk}/reveal/").content.decode()
    assert row.applicant_id_number in revealed
    assert AuditLog.objects.filter(action=AuditAction.VIEW_PII, object_id=str(row.pk)).count() == 1


def test_the_bureau_makes_a_station_one_stop(client_as, persona):
    st = b.station()
    client = client_as("hq_officer")
    response = client.post(f"/onestop/stations/{st.pk}/one-stop/", {"since": "2024-05-20", "services": ["户政", "车驾管"],
                                                                      "windows": 2})
    assert response.status_code == 302
    assert OneStopStation.objects.get(station=st).since == dt.date(2024, 5, 20)
    assert "一站式派出所 · 2024-05-20起" in client.get(f"/onestop/stations/{st.pk}/").content.decode()
