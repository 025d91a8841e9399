"""Scope: a zone is seen by the police of the node it hangs on and above, and by the police of every
place it covers; its chain, patrols, actions and case links exactly when the zone is. Anything else
answers 404 and writes nothing. Other lines see none of it."""

import datetime as dt

import pytest

from pingan.ecology import services
from pingan.ecology.models import EcoCase, JointAction, Keeper, Patrol, Zone
from pingan.ecology.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def zones():
    own = b.zone(b.VILLAGE, name="本村草原")
    township = b.zone(b.VILLAGE, b.SIBLING_VILLAGE, name="本镇湖泊")
    sibling = b.zone(b.SIBLING_VILLAGE, name="邻村林地")
    banner = b.zone(b.VILLAGE, b.OTHER_TOWNSHIP_VILLAGE, name="跨镇山地")
    other = b.zone(b.OTHER_TOWNSHIP_VILLAGE, name="外镇河道")
    for z in (own, township, sibling, banner, other):
        services.patrol_log(actor=None, zone=z, patrolled_on=dt.date(2024, 5, 2), others_count=1, route=f"{z.name}路线")
    return {"own": own, "township": township, "sibling": sibling, "banner": banner, "other": other}


@pytest.mark.parametrize("login, sees", [
    # the village officer: the zone on their village, and the zones hanging higher that cover it
    ("village_officer", {"本村草原", "本镇湖泊", "跨镇山地"}),
    ("station_chief", {"本村草原", "本镇湖泊", "邻村林地", "跨镇山地"}),
    ("hq_officer", {"本村草原", "本镇湖泊", "邻村林地", "跨镇山地", "外镇河道"}),
    ("grid_worker", set()),
    ("judicial_office", set()),
    ("justice_clerk", set()),
    ("prosecutor", set()),
    ("sysadmin", set()),
])
def test_who_sees_which_zones(persona, zones, login, sees):
    user = persona(login)
    assert {z.name for z in Zone.objects.visible_to(user)} == sees
    assert {p.zone.name for p in Patrol.objects.visible_to(user)} == sees


def test_a_zone_covering_several_places_in_scope_is_listed_once(persona, zones):
    user = persona("station_chief")
    names = list(Zone.objects.visible_to(user).values_list("name", flat=True))
    assert names.count("本镇湖泊") == 1


def test_the_chain_follows_the_zone(persona, zones):
    b.full_chain(zones["other"], village_at=b.OTHER_TOWNSHIP_VILLAGE)
    assert not Keeper.objects.visible_to(persona("station_chief")).filter(zone=zones["other"]).exists()
    assert Keeper.objects.visible_to(persona("hq_officer")).filter(zone=zones["other"]).count() == 4


def test_a_station_chief_opens_a_zone_of_their_township_and_not_the_next(client_as, zones):
    client = client_as("station_chief")
    assert client.get(f"/ecology/zones/{zones['banner'].pk}/").status_code == 200
    assert client.get(f"/ecology/zones/{zones['other'].pk}/").status_code == 404
    page = client.get("/ecology/patrols/").content.decode()
    assert "本村草原路线" in page and "外镇河道路线" not in page


def test_a_step_on_a_zone_out_of_scope_answers_404_and_writes_nothing(client_as, zones):
    client = client_as("station_chief")
    response = client.post(f"/ecology/zones/{zones['other'].pk}/keepers/",
                           {"level": 4, "name": "越权护林员", "phone": "13900000003", "start": "2024-01-01"})
    assert response.status_code == 404
    assert not Keeper.objects.filter(name="越权护林员").exists()


def test_the_api_answers_404_for_a_zone_out_of_scope(client_as, zones):
    client = client_as("village_officer")
    assert client.get(f"/api/ecology/zones/{zones['sibling'].pk}").status_code == 404
    response = client.post("/api/ecology/patrols", {"zone_id": zones["sibling"].pk, "others_count": 1},
                           content_type="application/json")
    assert response.status_code == 404
    assert Patrol.objects.filter(zone=zones["sibling"]).count() == 1


def test_another_line_is_refused_by_role(client_as, zones):
    assert client_as("judicial_office").get("/ecology/").status_code == 403
    assert not JointAction.objects.exists()


def test_a_case_in_another_township_stays_hidden_even_in_a_shared_zone(persona, zones):
    here = services.eco_case_link(actor=None, zone=zones["banner"], case=b.eco_case(at=b.VILLAGE))
    there = services.eco_case_link(actor=None, zone=zones["banner"], case=b.eco_case(at=b.OTHER_TOWNSHIP_VILLAGE))
    assert set(EcoCase.objects.visible_to(persona("station_chief"))) == {here}
    assert set(EcoCase.objects.visible_to(persona("hq_officer"))) == {here, there}
