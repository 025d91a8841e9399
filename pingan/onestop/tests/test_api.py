"""The JSON API: register at the window with a checked ID number, complete, read the window."""

import pytest

from pingan.onestop.models import ServiceRequest
from pingan.onestop.tests import builders as b

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_request_is_registered_and_completed(client_as, persona):
    st = persona("station_chief").agency
    client = client_as("station_chief")
    response = post(client, "/api/onestop/requests", {
        "station_id": st.pk, "kind": "户政", "item": "户口迁入", "channel": "一网通办",
        "received_at": "2024-05-06T09:00:00+08:00", "applicant_name": "张海军", "applicant_id_number": b.id_number(4)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "" and "*" in body["applicant_id_number"]
    done = post(client, f"/api/onestop/requests/{body['id']}/complete",
                {"outcome": "办结", "completed_at": "2024-05-08T15:00:00+08:00"})
    assert done.status_code == 200 and done.json()["hours"] == "54.0"


def test_completion_before_receipt_answers_400(client_as, persona):
    response = post(client_as("station_chief"), "/api/onestop/requests", {
        "station_id": persona("station_chief").agency.pk, "kind": "户政", "item": "户籍证明",
        "received_at": "2024-05-06T09:00:00+08:00", "completed_at": "2024-05-06T08:00:00+08:00", "outcome": "办结",
        "applicant_name": "张海军", "applicant_id_number": b.id_number(5)})
    assert response.status_code == 400 and "不能早于受理时间" in response.json()["detail"]
    assert not ServiceRequest.objects.exists()


def test_the_window_summary(client_as, persona):
    st = persona("station_chief").agency
    b.request(st, hours=2, kind="车驾管", item="驾驶证期满换证")
    b.request(st, hours=None)
    body = client_as("station_chief").get(
        f"/api/onestop/stations/{st.pk}/window?date_from=2024-01-01&date_to=2024-12-31").json()
    assert body["total"] == 2 and body["pending"] == 1 and body["average_hours"] == "2.0"
    assert {k["kind"] for k in body["by_kind"]} == {"户政", "车驾管"}
