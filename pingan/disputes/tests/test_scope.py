"""Scope: disputes, visits and hazards hang on a village and are seen by the police, justice and grid
lines of that village's subtree; anything else answers 404 and writes nothing."""

import pytest

from pingan.disputes.models import Dispute, DisputeStatus, Hazard, Visit
from pingan.disputes.tests import builders as b

pytestmark = pytest.mark.django_db
S = DisputeStatus


@pytest.fixture
def own_and_sibling():
    own = b.dispute(at=b.VILLAGE, title="本村纠纷甲")
    sibling = b.dispute(at=b.SIBLING_VILLAGE, title="邻村纠纷乙")
    other_township = b.dispute(at=b.OTHER_TOWNSHIP_VILLAGE, title="外镇纠纷丙")
    return own, sibling, other_township


@pytest.mark.parametrize("login, sees", [
    ("village_officer", {"本村纠纷甲"}),
    ("grid_worker", {"本村纠纷甲"}),
    ("legal_literate", {"本村纠纷甲"}),
    ("station_chief", {"本村纠纷甲", "邻村纠纷乙"}),
    ("judicial_office", {"本村纠纷甲", "邻村纠纷乙"}),
    ("hq_officer", {"本村纠纷甲", "邻村纠纷乙", "外镇纠纷丙"}),
    ("justice_clerk", {"本村纠纷甲", "邻村纠纷乙", "外镇纠纷丙"}),
    ("prosecutor", set()),
    ("liaison", set()),
    ("sysadmin", set()),
])
def test_who_sees_which_disputes(persona, own_and_sibling, login, sees):
    assert {d.title for d in Dispute.objects.visible_to(persona(login))} == sees


def test_a_village_officer_lists_only_their_village_and_a_sibling_dispute_answers_404(client_as, own_and_sibling):
    own, sibling, _ = own_and_sibling
    client = client_as("village_officer")
    page = client.get("/disputes/").content.decode()
    assert "本村纠纷甲" in page and "邻村纠纷乙" not in page
    assert client.get(f"/disputes/{own.pk}/").status_code == 200
    assert client.get(f"/disputes/{sibling.pk}/").status_code == 404


def test_a_judicial_office_sees_its_township_and_not_the_next(client_as, own_and_sibling):
    own, sibling, other = own_and_sibling
    client = client_as("judicial_office")
    assert client.get(f"/disputes/{sibling.pk}/").status_code == 200
    assert client.get(f"/disputes/{other.pk}/").status_code == 404


def test_a_step_on_a_sibling_dispute_answers_404_and_writes_nothing(client_as, own_and_sibling, persona):
    _, sibling, other = own_and_sibling
    client = client_as("station_chief")
    before = (other.status, other.status_changes.count(), other.risk_changes.count())
    response = client.post(f"/disputes/{other.pk}/assess/", {"risk": 4, "reason": "越权定级"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert (other.status, other.status_changes.count(), other.risk_changes.count()) == before


def test_roles_outside_the_three_lines_are_refused(client_as, own_and_sibling):
    own, _, _ = own_and_sibling
    for login in ("prosecutor", "liaison", "auditor"):
        assert client_as(login).get("/disputes/").status_code == 403
        assert client_as(login).get(f"/disputes/{own.pk}/").status_code == 403


def test_a_role_may_read_but_not_grade(client_as, own_and_sibling):
    own, _, _ = own_and_sibling
    response = client_as("village_officer").post(f"/disputes/{own.pk}/assess/", {"risk": 4, "reason": "x"})
    assert response.status_code == 403


def test_the_justice_line_sees_a_dispute_but_not_the_police_incidents_behind_it(client_as, persona):
    inc = b.incident(phone="13847100001", content="院墙纠纷报警")
    d = b.dispute(actor=persona("station_chief"), source="incident", source_incident=inc)
    b.send(b.incident(phone="13847100001", content="又吵起来"))
    police = client_as("station_chief").get(f"/disputes/{d.pk}/").content.decode()
    justice = client_as("judicial_office").get(f"/disputes/{d.pk}/").content.decode()
    assert inc.number in police
    assert inc.number not in justice and "另有1条关联警情" in justice


def test_registering_outside_ones_scope_is_refused(persona):
    from pingan.core.scope import NotVisible

    with pytest.raises(NotVisible):
        b.dispute(actor=persona("village_officer"), at=b.SIBLING_VILLAGE)
    assert not Dispute.objects.exists()


def test_visits_and_hazards_follow_the_same_scope(persona, client_as):
    from pingan.disputes import services

    for code in (b.VILLAGE, b.SIBLING_VILLAGE):
        services.visit_log(actor=None, area=b.village(code), place_kind="学校", place_name=f"{code}小学",
                           team=[b.mediator(code)], hazard=services.HazardIn(category="校园", description="围墙破损"))
    officer = persona("village_officer")
    assert [v.place_name for v in Visit.objects.visible_to(officer)] == [f"{b.VILLAGE}小学"]
    assert Hazard.objects.visible_to(officer).count() == 1
    sibling_visit = Visit.objects.get(area__code=b.SIBLING_VILLAGE)
    sibling_hazard = Hazard.objects.get(area__code=b.SIBLING_VILLAGE)
    client = client_as("village_officer")
    assert client.get(f"/disputes/visits/{sibling_visit.pk}/").status_code == 404
    assert client.get(f"/disputes/hazards/{sibling_hazard.pk}/").status_code == 404
    assert client.post(f"/disputes/hazards/{sibling_hazard.pk}/rectify/",
                       {"rectified_on": "2024-01-01", "evidence": "已修复围墙"}).status_code == 404
    sibling_hazard.refresh_from_db()
    assert sibling_hazard.status == "open"
