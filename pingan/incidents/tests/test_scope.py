"""Who sees what: a village officer only their village's incidents — also inside a repeat group
that crosses the village border — with no personal data of the members they may not see; phone
numbers masked in lists, API and exports, revealed in full only on an audited request."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from ninja.testing import TestClient

from pingan.areas.models import Area
from pingan.core.models import AuditAction, AuditLog
from pingan.incidents import services
from pingan.incidents.api import router
from pingan.incidents.tests.helpers import at, register
from pingan.org.models import AgencyKind
from pingan.testing.personas import agency_for

pytestmark = pytest.mark.django_db

FIGHT = "报警称两村交界的打谷场有5人喝酒后打架，2人受伤。"


@pytest.fixture
def border_group():
    """One fight reported from both sides of the border of 巴仁宝勒格村 (own) and 巴彦塔拉村 (sibling)."""
    own = register(number="OWN1", address="巴仁宝勒格村3组", content=FIGHT, phone="13900000001", caller="甲").incident
    sib = register(number="SIB1", address="巴彦塔拉村", content=FIGHT, when=at(minute=5), phone="13911112222",
                   caller="乙某").incident
    other = register(number="OTH1", address="乌加河镇双荣村2组", content="报警称家中被盗。", when=at(day=3)).incident
    own.refresh_from_db()
    sib.refresh_from_db()
    return own, sib, other


def test_the_group_crosses_the_border(border_group):
    own, sib, _ = border_group
    assert own.cluster_id is not None and own.cluster_id == sib.cluster_id


def test_a_village_officer_sees_only_their_village(client_as, border_group):
    own, sib, other = border_group
    c = client_as("village_officer")
    page = c.get(reverse("incidents:list")).content.decode()
    assert "OWN1" in page and "SIB1" not in page and "OTH1" not in page
    assert c.get(reverse("incidents:detail", args=[sib.pk])).status_code == 404
    assert c.get(reverse("incidents:detail", args=[other.pk])).status_code == 404


def test_in_a_cross_border_group_the_hidden_member_is_only_a_count(client_as, border_group):
    own, sib, _ = border_group
    c = client_as("village_officer")
    page = c.get(reverse("incidents:cluster", args=[own.cluster_id])).content.decode()
    assert "OWN1" in page and "另有1起" in page
    for secret in ("SIB1", "乙某", "巴彦塔拉", "2222"):
        assert secret not in page
    detail = c.get(reverse("incidents:detail", args=[own.pk])).content.decode()
    assert "另有1起" in detail and "SIB1" not in detail and "乙某" not in detail


def test_the_station_chief_sees_both_and_a_sibling_township_chief_neither(client_as, persona, border_group):
    own, sib, other = border_group
    page = client_as("station_chief").get(reverse("incidents:cluster", args=[own.cluster_id])).content.decode()
    assert "OWN1" in page and "SIB1" in page and "另有" not in page
    assert client_as("station_chief").get(reverse("incidents:detail", args=[other.pk])).status_code == 404
    assert client_as("hq_officer").get(reverse("incidents:detail", args=[other.pk])).status_code == 200


@pytest.mark.parametrize("login", ["grid_worker", "justice_clerk", "prosecutor", "liaison", "sysadmin", "auditor"])
def test_other_lines_may_not_open_incidents(client_as, login, border_group):
    assert client_as(login).get(reverse("incidents:list")).status_code == 403


def test_phones_are_masked_in_list_and_api_and_revealed_only_audited(client_as, persona, border_group):
    own, _, _ = border_group
    c = client_as("station_chief")
    assert "13900000001" not in c.get(reverse("incidents:list")).content.decode()
    assert "139****0001" in c.get(reverse("incidents:detail", args=[own.pk])).content.decode()
    api = TestClient(router)
    chief = persona("station_chief")
    data = api.get("/", user=chief, auth=chief).json()
    assert {i["caller_phone"] for i in data["items"]} >= {"139****0001"}
    assert "13900000001" not in str(data)
    response = c.post(reverse("incidents:reveal", args=[own.pk]))
    assert "13900000001" in response.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.VIEW_PII, object_id=str(own.pk)).exists()
    assert client_as("village_officer").post(reverse("incidents:reveal", args=[own.pk])).status_code == 403


def test_the_export_masks_for_roles_without_full_personal_data(client_as, border_group):
    response = client_as("village_officer").get(reverse("incidents:list") + "?export=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in ws.iter_rows() for c in row]
    assert "OWN1" in values and "SIB1" not in values and "139****0001" in values
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="incidents.Incident").exists()


def test_the_api_answers_404_outside_the_scope(persona, border_group):
    own, sib, _ = border_group
    api = TestClient(router)
    officer = persona("village_officer")
    assert api.get(f"/{sib.pk}", user=officer, auth=officer).status_code == 404
    body = api.get(f"/{own.pk}", user=officer, auth=officer).json()
    assert body["repeat_group"]["hidden"] == 1 and [m["number"] for m in body["repeat_group"]["incidents"]] == ["OWN1"]


def test_a_station_answers_its_task_and_the_sibling_cannot_see_it(client_as, persona):
    station = agency_for(AgencyKind.POLICE_STATION, Area.objects.get(code="150824100000"))
    sibling = agency_for(AgencyKind.POLICE_STATION, Area.objects.get(code="150824101000"))
    mine = services.task_issue(actor=persona("hq_officer"), title="核查A", instruction="核查",
                               deadline=timezone.now() + dt.timedelta(days=1), station=station)
    theirs = services.task_issue(actor=persona("hq_officer"), title="核查B", instruction="核查",
                                 deadline=timezone.now() + dt.timedelta(days=1), station=sibling)
    c = client_as("station_chief")
    assert c.get(reverse("incidents:task", args=[theirs.pk])).status_code == 404
    c.post(reverse("incidents:task_answer", args=[mine.pk]), {"feedback": "已核查"})
    mine.refresh_from_db()
    assert mine.feedback == "已核查"
    assert client_as("station_chief").get(reverse("incidents:task_create")).status_code == 403
