"""The pages as a station chief and a village officer use them: set a zone up, fill its chain, log a
patrol from the phone form, export, reveal the chain's phones (audited)."""

import datetime as dt

import pytest
from django.utils import timezone

from pingan.core.models import AuditAction, AuditLog
from pingan.ecology.models import Keeper, Patrol, Zone
from pingan.ecology.tests import builders as b
from pingan.testing.factories import area

pytestmark = pytest.mark.django_db


def test_a_station_chief_sets_up_a_zone_from_the_form(client_as):
    client = client_as("station_chief")
    response = client.post("/ecology/zones/new/", {
        "name": "城郊草原责任区", "kind": "草", "places": [area(b.VILLAGE).pk, area(b.SIBLING_VILLAGE).pk],
        "size": "12500", "size_unit": "亩", "established_on": "2024-03-01",
        "geometry": '{"type":"Point","coordinates":[108.5,41.6]}'})
    zone = Zone.objects.get(name="城郊草原责任区")
    assert response.status_code == 302 and response["Location"] == f"/ecology/zones/{zone.pk}/"
    assert zone.area.code == b.TOWNSHIP and zone.places.count() == 2


def test_a_bad_boundary_comes_back_on_the_form_with_the_reason(client_as):
    response = client_as("station_chief").post("/ecology/zones/new/", {
        "name": "湖泊湿地", "kind": "湖", "places": [area(b.VILLAGE).pk], "size": "300", "size_unit": "公顷",
        "established_on": "2024-03-01", "geometry": '{"type":"Polygon","coordinates":[[[1,2],[3,4]]]}'})
    assert response.status_code == 200
    assert "范围(GeoJSON)有误" in response.content.decode() and not Zone.objects.exists()


def test_the_chain_shows_masked_phones_and_a_reveal_is_audited(client_as, persona):
    zone = b.zone()
    b.full_chain(zone)
    client = client_as("station_chief")
    page = client.get(f"/ecology/zones/{zone.pk}/").content.decode()
    assert "139****0001" in page and "13947800001" not in page
    revealed = client.post(f"/ecology/zones/{zone.pk}/keepers/reveal/").content.decode()
    assert "13947800001" in revealed
    assert AuditLog.objects.filter(action=AuditAction.VIEW_PII, actor_login="station_chief").count() == 1
    assert client_as("village_officer").post(f"/ecology/zones/{zone.pk}/keepers/reveal/").status_code == 403


def test_a_ranger_is_added_and_taken_off_the_chain(client_as):
    zone = b.zone()
    client = client_as("station_chief")
    client.post(f"/ecology/zones/{zone.pk}/keepers/", {"level": 4, "name": "巴特尔", "phone": "13947800005",
                                                       "post": "草原管护员", "start": "2024-01-01"})
    keeper = Keeper.objects.get(zone=zone, name="巴特尔")
    client.post(f"/ecology/keepers/{keeper.pk}/end/", {"end": timezone.localdate().isoformat(), "reason": "调离"})
    keeper.refresh_from_db()
    assert keeper.end == timezone.localdate()


def test_a_village_officer_logs_a_patrol_on_the_phone_form(client_as):
    zone = b.zone(established_on=dt.date(2024, 1, 1))
    chain = b.full_chain(zone, start=dt.date(2024, 1, 1))
    client = client_as("village_officer")
    form = client.get(f"/ecology/patrols/new/?zone={zone.pk}").content.decode()
    assert "护林员丁" in form
    response = client.post("/ecology/patrols/new/", {
        "zone": zone.pk, "patrolled_on": "2024-05-02", "people": [chain[2].pk, chain[3].pk], "others_count": "0",
        "route": "沿围栏", "finding_kind": "违规放牧", "findings": "禁牧期发现羊群约80只", "handling": "责令驱离"})
    patrol = Patrol.objects.get(zone=zone)
    assert response.status_code == 302 and patrol.people.count() == 2 and patrol.found_problem


def test_every_list_exports_to_xlsx_with_an_audit_row(client_as):
    b.zone()
    client = client_as("station_chief")
    for url in ("/ecology/", "/ecology/patrols/", "/ecology/actions/", "/ecology/cases/"):
        response = client.get(url + "?export=xlsx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor_login="station_chief").count() == 4


def test_the_zone_list_filters_chains_with_a_gap(client_as):
    complete = b.zone(name="链条齐全草原")
    b.full_chain(complete)
    b.zone(name="缺护林员")
    page = client_as("station_chief").get("/ecology/?chain=incomplete").content.decode()
    assert "缺护林员" in page and "链条齐全草原" not in page
