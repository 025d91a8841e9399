"""Who sees which case, person, campaign and operation: own / sibling / parent, the village officer's
villages, the handling station, other business lines; and the operation seen per station."""

import datetime as dt

import pytest
from django.urls import reverse

from pingan.cases import selectors
from pingan.cases.models import Campaign, Case, CaseParty, Operation, PartyRole, Person
from pingan.cases.tests import builders as b
from pingan.core.scope import NotVisible

pytestmark = pytest.mark.django_db


def visible(model, user):
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


def test_cases_are_cut_by_jurisdiction(persona):
    own = b.case(code=b.VILLAGE)
    neighbour_village = b.case(code=b.SIBLING_VILLAGE)
    township = b.case(code=b.TOWNSHIP)
    sibling = b.case(code=b.SIBLING_TOWNSHIP_VILLAGE)
    assert visible(Case, persona("hq_officer")) == {own.pk, neighbour_village.pk, township.pk, sibling.pk}
    assert visible(Case, persona("station_chief")) == {own.pk, neighbour_village.pk, township.pk}
    # The village officer sees the cases of their village only — not the neighbour's, not the township's.
    assert visible(Case, persona("village_officer")) == {own.pk}
    for login in ("grid_worker", "justice_clerk", "judicial_office", "prosecutor", "liaison", "sysadmin", "auditor"):
        assert visible(Case, persona(login)) == set(), login


def test_a_case_handled_by_the_station_elsewhere_is_visible_to_that_station(persona):
    handled = b.case(code=b.SIBLING_TOWNSHIP_VILLAGE, station=b.station(b.TOWNSHIP))
    assert handled.pk in visible(Case, persona("station_chief"))
    assert handled.pk not in visible(Case, persona("village_officer"))


def test_a_case_out_of_scope_answers_404_on_every_door(client_as):
    sibling = b.case(code=b.SIBLING_TOWNSHIP_VILLAGE, title="邻镇案件")
    client = client_as("station_chief")
    assert client.get(reverse("cases:detail", args=[sibling.pk])).status_code == 404
    assert client.get(f"/api/cases/{sibling.pk}").status_code == 404
    assert "邻镇案件" not in client.get(reverse("cases:list")).content.decode()
    assert client.post(reverse("cases:transition", args=[sibling.pk]), {"status": "filed", "on": "2024-03-02"}
                       ).status_code == 404
    sibling.refresh_from_db()
    assert sibling.status == "accepted"


def test_persons_and_their_rows_are_visible_through_their_cases(persona):
    shared = b.person("两地人")
    own = b.party(b.case(code=b.VILLAGE), PartyRole.SUSPECT, shared)
    other = b.party(b.case(code=b.SIBLING_TOWNSHIP_VILLAGE), PartyRole.SUSPECT, shared)
    alone = b.party(b.case(code=b.SIBLING_TOWNSHIP_VILLAGE), PartyRole.SUSPECT, b.person("外镇人"))
    chief = persona("station_chief")
    assert visible(Person, chief) == {own.person_id}
    assert alone.person_id not in visible(Person, chief)
    assert visible(CaseParty, chief) == {own.pk}
    assert other.pk in visible(CaseParty, persona("hq_officer"))


def test_a_banner_campaign_is_seen_by_every_station_under_it_and_a_township_one_only_there(persona):
    banner = b.campaign()
    own = b.campaign(code=b.TOWNSHIP, name="海流图镇行动")
    sibling = b.campaign(code=b.SIBLING_TOWNSHIP, name="乌加河镇行动")
    assert visible(Campaign, persona("hq_officer")) == {banner.pk, own.pk, sibling.pk}
    assert visible(Campaign, persona("station_chief")) == {banner.pk, own.pk}
    assert visible(Campaign, persona("village_officer")) == {banner.pk, own.pk}
    assert visible(Campaign, persona("justice_clerk")) == set()
    assert selectors.campaign_manageable(persona("station_chief"), own)
    assert not selectors.campaign_manageable(persona("station_chief"), banner)


def _series():
    own = b.case(code=b.VILLAGE, title="本所系列案", method="night_herd", goods="sheep")
    other = b.case(code=b.SIBLING_TOWNSHIP_VILLAGE, title="邻所系列案", method="night_herd", goods="sheep")
    b.party(own, PartyRole.SUSPECT, b.person("本所嫌疑人"), caught=dt.date(2024, 3, 20))
    b.party(other, PartyRole.SUSPECT, b.person("邻所嫌疑人"), caught=dt.date(2024, 3, 21))
    from pingan.cases import services

    services.recovery_add(actor=None, case=other, recovered_on=dt.date(2024, 3, 25), amount="7700.00")
    return b.operation([own, other], name="两所系列盗窃羊只案"), own, other


def test_an_operation_shows_each_station_only_its_own_cases_and_the_command_centre_all(persona):
    op, own, other = _series()
    leader = selectors.operation_view(persona("hq_officer"), op)
    assert leader.full and [c.pk for c in leader.cases] == [own.pk, other.pk]
    assert leader.caught_persons == 2 and str(leader.recovered_total) == "7700.00"
    chief = selectors.operation_view(persona("station_chief"), selectors.operation_get(persona("station_chief"), op.pk))
    assert not chief.full and [c.pk for c in chief.cases] == [own.pk]
    assert chief.caught_persons == 1 and chief.recovered_total == 0
    # A station with no case in the operation does not see it at all.
    officer = persona("village_officer")
    Case.objects.filter(pk=own.pk).update(area=b.area(b.SIBLING_VILLAGE))
    assert op.pk not in visible(Operation, officer)
    with pytest.raises(NotVisible):
        selectors.operation_get(officer, op.pk)


def test_the_operation_page_and_api_leak_nothing_of_the_other_station(client_as):
    op, own, other = _series()
    chief = client_as("station_chief")
    page = chief.get(reverse("cases:operation", args=[op.pk])).content.decode()
    assert own.number in page and "本所嫌疑人" in page
    for leak in (other.number, "邻所系列案", "邻所嫌疑人", "7700"):
        assert leak not in page, leak
    api = chief.get(f"/api/cases/operations/{op.pk}").json()
    assert api["full"] is False and [c["number"] for c in api["cases"]] == [own.number]
    assert api["suspects_caught"] == 1
    leader = client_as("hq_officer").get(reverse("cases:operation", args=[op.pk])).content.decode()
    assert other.number in leader and "邻所嫌疑人" in leader
    # The station cannot change the operation (the command centre's), whatever it sees.
    assert chief.post(reverse("cases:operation_cases", args=[op.pk]), {"case": own.pk, "action": "remove"}
                      ).status_code == 403
    own.refresh_from_db()
    assert own.operation_id == op.pk


def test_the_two_path_scope_is_two_id_lists_not_three_joins(persona):
    """The scope is served by the indexes on area and station (core.scope.AnyOf): on PostgreSQL
    ``= ANY(ARRAY(…))`` twice, OR'ed, with no join from the cases to the area tree."""
    from django.db import connection

    own = b.case(code=b.VILLAGE)
    handled = b.case(code=b.SIBLING_TOWNSHIP_VILLAGE, station=b.station(b.TOWNSHIP))
    qs = Case.objects.visible_to(persona("station_chief"))
    sql = str(qs.query)
    assert ("= ANY(ARRAY" if connection.vendor == "postgresql" else "IN (SELECT") in sql
    assert 'FROM "cases_case" INNER JOIN' not in sql and 'FROM "cases_case" LEFT OUTER JOIN' not in sql
    assert {own.pk, handled.pk} <= set(qs.values_list("pk", flat=True))
