"""Scope: a station's one-stop record and its requests are seen by the police whose jurisdiction
covers the station; a sibling's answer 404; other lines are refused by role."""

import pytest

from pingan.onestop.models import ServiceRequest
from pingan.onestop.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    return b.request(b.station(b.TOWNSHIP), item="本所户籍证明"), b.request(b.station(b.SIBLING_TOWNSHIP), item="邻所户籍证明")


@pytest.mark.parametrize("login, sees", [
    ("station_chief", {"本所户籍证明"}),
    ("hq_officer", {"本所户籍证明", "邻所户籍证明"}),
    ("village_officer", set()),  # the township's station lies above their village
    ("judicial_office", set()),
    ("grid_worker", set()),
    ("sysadmin", set()),
])
def test_who_sees_which_requests(persona, rows, login, sees):
    assert {r.item for r in ServiceRequest.objects.visible_to(persona(login))} == sees


def test_a_sibling_station_and_its_requests_answer_404(client_as, rows):
    own, sibling = rows
    client = client_as("station_chief")
    assert client.get(f"/onestop/requests/{own.pk}/").status_code == 200
    assert client.get(f"/onestop/requests/{sibling.pk}/").status_code == 404
    assert client.get(f"/onestop/stations/{sibling.station_id}/").status_code == 404
    assert client.get(f"/api/onestop/stations/{sibling.station_id}/window").status_code == 404


def test_completing_a_sibling_request_writes_nothing(client_as, rows):
    _, sibling = rows
    pending = b.request(sibling.station, hours=None, item="邻所待办")
    response = client_as("station_chief").post(f"/onestop/requests/{pending.pk}/complete/",
                                               {"outcome": "办结", "completed_at": "2024-05-06T12:00"})
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.is_pending


def test_another_line_is_refused_by_role(client_as):
    assert client_as("judicial_office").get("/onestop/").status_code == 403
    assert client_as("station_chief").get("/onestop/stations/0/one-stop/").status_code == 403
