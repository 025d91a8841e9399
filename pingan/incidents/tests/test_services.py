"""Registration, the trail, placement, decisions that stick, tasks and their deadlines."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pingan.areas.models import Area
from pingan.core.models import AuditAction, AuditLog
from pingan.incidents import analysis, services
from pingan.incidents.models import ClusterStatus, Incident, IncidentStatus, TaskStatus
from pingan.incidents.signals import incident_registered
from pingan.incidents.tests.helpers import BANNER, at, register
from pingan.org.models import AgencyKind
from pingan.testing.personas import agency_for

pytestmark = pytest.mark.django_db

FIGHT = "报警称村委会门口有5人喝酒后打架，2人受伤。"


def test_it_places_the_incident_on_the_village_the_address_names():
    result = register(address="海流图镇巴仁宝勒格村三组")
    assert result.incident.area.code == "150824100201" and not result.incident.needs_placement
    assert result.incident.events.get().status == IncidentStatus.RECEIVED
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_id=str(result.incident.pk)).exists()


def test_an_address_without_a_village_stays_up_the_tree_flagged_for_a_person():
    unknown = register(address="某某路口").incident
    assert unknown.area.code == BANNER and unknown.needs_placement
    township = register(address="海流图镇团结路12号").incident
    assert township.area.code == "150824100000" and township.needs_placement


def test_a_person_places_it(persona):
    incident = register(address="某某路口").incident
    services.incident_place(actor=persona("hq_officer"), incident=incident, area=Area.objects.get(code="150824100202"))
    incident.refresh_from_db()
    assert incident.area.code == "150824100202" and not incident.needs_placement


def test_it_finds_the_earlier_calls_and_tells_the_listeners():
    heard = []

    def listener(sender, incident, repeats, actor, **kw):
        heard.append((incident.number, [r.number for r in repeats]))

    incident_registered.connect(listener)
    try:
        first = register(content=FIGHT, phone="13900000001", caller="甲").incident
        second = register(content="群众报警村委会门口几个人喝酒后打起来了，2人受伤。", address="巴仁宝勒格3社",
                          when=at(hour=9, minute=15), phone="13900000002", caller="乙")
    finally:
        incident_registered.disconnect(listener)
    assert [r.pk for r in second.repeats] == [first.pk]
    assert heard == [(first.number, []), (second.incident.number, [first.number])]
    first.refresh_from_db()
    assert first.cluster_id == second.incident.cluster_id and first.cluster.size == 2
    assert any("写法不同" in r for r in second.reasons[first.pk])


def test_the_trail_allows_only_the_defined_steps():
    incident = register().incident
    services.incident_transition(actor=None, incident=incident, status=IncidentStatus.DISPATCHED)
    services.incident_transition(actor=None, incident=incident, status=IncidentStatus.ON_SCENE)
    with pytest.raises(ValidationError):
        services.incident_transition(actor=None, incident=incident, status=IncidentStatus.RECEIVED)
    services.incident_transition(actor=None, incident=incident, status=IncidentStatus.CONCLUDED)
    with pytest.raises(ValidationError):
        services.incident_transition(actor=None, incident=incident, status=IncidentStatus.DISPATCHED)
    assert list(incident.events.values_list("status", flat=True)) == ["received", "dispatched", "on_scene", "concluded"]


def _three_calls():
    a = register(content=FIGHT, phone="13900000001", caller="甲").incident
    b = register(content=FIGHT, when=at(minute=10), phone="13900000002", caller="乙").incident
    c = register(content=FIGHT, when=at(minute=20), phone="13900000003", caller="丙").incident
    return a, b, c


def test_a_split_sticks_on_re_analysis(persona):
    a, b, c = _three_calls()
    cluster = Incident.objects.get(pk=a.pk).cluster
    assert cluster.size == 3
    services.cluster_split(actor=persona("hq_officer"), cluster=cluster, incident_ids=[c.pk])
    analysis.reanalyse(Area.objects.get(code=BANNER))
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.cluster_id == b.cluster_id is not None and c.cluster_id is None
    assert a.cluster_id == cluster.pk  # the group keeps its id


def test_a_confirmation_sticks_on_re_analysis(persona):
    a, b, c = _three_calls()
    cluster = Incident.objects.get(pk=a.pk).cluster
    services.cluster_confirm(actor=persona("hq_officer"), cluster=cluster)
    analysis.reanalyse(Area.objects.get(code=BANNER))
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.CONFIRMED and cluster.size == 3


def test_a_task_is_overdue_when_unanswered_after_its_deadline(persona):
    station = agency_for(AgencyKind.POLICE_STATION, Area.objects.get(code="150824100000"))
    task = services.task_issue(actor=persona("hq_officer"), title="核查重复警情", instruction="上门核查并反馈",
                               deadline=timezone.now() + dt.timedelta(hours=2), station=station)
    assert not task.is_overdue()
    assert task.is_overdue(timezone.now() + dt.timedelta(hours=3))
    services.task_answer(actor=persona("station_chief"), task=task, feedback="已核查，系同一起纠纷，已调解")
    task.refresh_from_db()
    assert task.status == TaskStatus.ANSWERED and task.answered_on_time
    assert not task.is_overdue(timezone.now() + dt.timedelta(hours=3))


def test_a_task_needs_one_receiver_and_a_future_deadline(persona):
    station = agency_for(AgencyKind.POLICE_STATION, Area.objects.get(code="150824100000"))
    with pytest.raises(ValidationError):
        services.task_issue(actor=persona("hq_officer"), title="t", instruction="i",
                            deadline=timezone.now() - dt.timedelta(hours=1), station=station)
    with pytest.raises(ValidationError):
        services.task_issue(actor=persona("hq_officer"), title="t", instruction="i",
                            deadline=timezone.now() + dt.timedelta(hours=1))
