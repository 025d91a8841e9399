"""The JSON API calls the same services as the pages: refusals answer 400 with the reason."""

import datetime as dt

import pytest

from pingan.ecology.models import EcoCase, Zone
from pingan.ecology.tests import builders as b

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_zone_is_set_up_with_a_geojson_object(client_as):
    response = post(client_as("station_chief"), "/api/ecology/zones", {
        "name": "城郊草原责任区", "kind": "草", "place_codes": [b.VILLAGE, b.SIBLING_VILLAGE], "size": "12500",
        "geometry": {"type": "Polygon", "coordinates": [[[108.4, 41.5], [108.6, 41.5], [108.6, 41.6], [108.4, 41.5]]]}})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["area_code"] == b.TOWNSHIP and body["geometry"]["type"] == "Polygon"
    assert body["chain_complete"] is False


def test_a_bad_geometry_answers_400_in_chinese(client_as):
    response = post(client_as("station_chief"), "/api/ecology/zones", {
        "name": "湖泊湿地", "kind": "湖", "place_codes": [b.VILLAGE], "size": "10",
        "geometry": {"type": "Point", "coordinates": [108.5, 120]}})
    assert response.status_code == 400
    assert "纬度120超出" in response.json()["detail"] and not Zone.objects.exists()


def test_a_place_out_of_scope_answers_404(client_as):
    response = post(client_as("station_chief"), "/api/ecology/zones", {
        "name": "外镇河道", "kind": "水", "place_codes": [b.OTHER_TOWNSHIP_VILLAGE], "size": "10"})
    assert response.status_code == 404


def test_the_chain_in_the_api_is_masked(client_as):
    zone = b.zone()
    b.full_chain(zone)
    body = client_as("station_chief").get(f"/api/ecology/zones/{zone.pk}").json()
    assert body["chain_complete"] is True
    assert [k["level"] for k in body["keepers"]] == [1, 2, 3, 4]
    assert body["keepers"][3]["phone"] == "139****0001"


def test_a_patrol_and_an_action_and_a_case_through_the_api(client_as):
    zone = b.zone(established_on=dt.date(2024, 1, 1))
    chain = b.full_chain(zone, start=dt.date(2024, 1, 1))
    client = client_as("station_chief")
    patrol = post(client, "/api/ecology/patrols", {"zone_id": zone.pk, "patrolled_on": "2024-05-02",
                                                   "people_ids": [chain[3].pk], "finding_kind": "毁草开垦",
                                                   "findings": "发现新开垦草原约20亩"})
    assert patrol.status_code == 201, patrol.content
    action = post(client, "/api/ecology/actions", {"zone_id": zone.pk, "acted_on": "2024-05-05", "title": "联合核查",
                                                   "agency_ids": [b.partner().pk], "findings": "核实开垦20亩"})
    assert action.status_code == 201, action.content
    case = b.eco_case(accepted_on=dt.date(2024, 5, 6))
    link = post(client, f"/api/ecology/zones/{zone.pk}/cases", {"case_number": case.number,
                                                                 "joint_action_id": action.json()["id"]})
    assert link.status_code == 201, link.content
    assert link.json()["source"] == "联合执法"
    listed = client.get("/api/ecology/actions").json()["items"]
    assert listed[0]["case_numbers"] == [case.number]
    assert EcoCase.objects.count() == 1


def test_someone_off_the_chain_in_a_patrol_answers_400(client_as):
    zone = b.zone()
    other = b.full_chain(b.zone(name="另一个责任区"))
    response = post(client_as("station_chief"), "/api/ecology/patrols",
                    {"zone_id": zone.pk, "people_ids": [other[3].pk]})
    assert response.status_code == 400 and "不在本责任区的责任链上" in response.json()["detail"]
