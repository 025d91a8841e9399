"""Early warning: each signal raises the risk, says why, shortens the deadline and notifies."""

import datetime as dt

import pytest
from django.utils import timezone

from pingan.core.models import AuditLog
from pingan.disputes import services
from pingan.disputes.models import (
    DisputeIncident,
    DisputeKind,
    DisputeStatus,
    Notification,
    NotificationKind,
    RiskChange,
    RiskSignal,
)
from pingan.disputes.tests import builders as b

pytestmark = pytest.mark.django_db
S = DisputeStatus
NOW = timezone.now


def raises(d):
    return list(d.risk_changes.filter(to_risk__gt=0).order_by("at", "id"))


# ---- threats in the text -------------------------------------------------------------------------

def test_a_threat_in_the_registration_raises_the_risk_with_the_words_and_tells_the_station(persona):
    b.station()  # 海流图镇派出所 covers the village
    d = b.dispute(actor=persona("village_officer"), title="土地纠纷，男方扬言要喝农药",
                  description="因承包地边界争执多年")
    assert d.risk == b.RED
    change = d.risk_changes.get()
    assert (change.from_risk, change.to_risk, change.signal) == (b.BLUE, b.RED, RiskSignal.THREAT_WORDS)
    assert "“喝农药”" in change.reason and change.by is None
    assert d.deadline == d.registered_on + dt.timedelta(days=3)
    note = Notification.objects.get(dispute=d, kind=NotificationKind.RISK_RAISED, agency=b.station())
    assert "风险由蓝升为红" in note.text


def test_a_threat_in_a_mediation_record_raises_an_open_dispute(persona):
    chief = persona("station_chief")
    d = b.to_status(b.dispute(actor=chief), S.ASSIGNED, actor=chief)
    services.dispute_record_session(actor=chief, dispute=d, held_on=timezone.localdate(), outcome="failed",
                                    summary="调解中被申请人情绪激动，扬言要报复")
    d.refresh_from_db()
    assert d.risk == b.ORANGE and "调解记录" in d.risk_reason
    # the handler is told, not the whole township
    assert Notification.objects.get(dispute=d, kind=NotificationKind.RISK_RAISED).staff == d.assigned_staff


# ---- many parties --------------------------------------------------------------------------------

@pytest.mark.parametrize("people, level", [(4, b.BLUE), (5, b.ORANGE), (12, b.ORANGE), (30, b.RED)])
def test_many_claimants_raise_a_wage_dispute(persona, people, level):
    d = b.dispute(actor=persona("grid_worker"), kind=DisputeKind.LABOUR, title="工地拖欠农民工工资",
                  people_involved=people, parties=[b.party("某建筑公司", "")])
    assert d.risk == level
    if level != b.BLUE:
        assert f"涉及讨薪人数{people}人" in d.risk_changes.get(signal=RiskSignal.MANY_PARTIES).reason


def test_adding_the_fifth_party_raises_the_risk(persona):
    chief = persona("station_chief")
    d = b.dispute(actor=chief)  # two parties
    for i, name in enumerate(["王建国", "刘洋"]):
        services.dispute_add_party(actor=chief, dispute=d, party=b.party(name, f"1384710010{i}"))
    d.refresh_from_db()
    assert d.risk == b.BLUE
    services.dispute_add_party(actor=chief, dispute=d, party=b.party("赵敏", "13847100200"))
    d.refresh_from_db()
    assert d.risk == b.ORANGE and d.risk_changes.get().signal == RiskSignal.MANY_PARTIES
    assert AuditLog.objects.filter(object_id=str(d.pk), detail__startswith="系统预警升级风险").exists()


# ---- repeat incidents by the same parties ---------------------------------------------------------

def test_a_repeat_call_by_a_party_links_the_incident_and_raises_the_risk(persona):
    first = b.incident(phone="13847100001", name="张海军", content="邻居因院墙发生争执", when=NOW() - dt.timedelta(days=3))
    d = b.dispute(actor=persona("station_chief"), source="incident", source_incident=first, days_ago=2)
    assert d.risk == b.BLUE
    again = b.incident(phone="138 4710 0001", content="又因院墙吵起来了")
    b.send(again)
    d.refresh_from_db()
    link = DisputeIncident.objects.get(dispute=d, incident=again)
    assert "报警电话与当事人张海军一致" in link.reasons
    change = d.risk_changes.get()
    assert (change.to_risk, change.signal, change.incident) == (b.YELLOW, RiskSignal.REPEAT_INCIDENT, again)
    assert "30天内第2次报警" in change.reason
    third = b.incident(phone="13847100001", content="第三次报警")
    b.send(third)
    d.refresh_from_db()
    assert d.risk == b.ORANGE and "第3次报警" in d.risk_reason


def test_a_party_named_in_the_text_is_matched_in_the_same_township_only(persona):
    d = b.dispute(actor=persona("station_chief"), parties=[b.party("巴特尔", "")], days_ago=1)
    elsewhere = b.incident(at=b.OTHER_TOWNSHIP_VILLAGE, content="巴特尔家的羊啃了别人的草场")
    b.send(elsewhere)
    assert not DisputeIncident.objects.filter(dispute=d).exists()
    here = b.incident(at=b.SIBLING_VILLAGE, content="报警称巴特尔拿刀威胁邻居")
    b.send(here)
    d.refresh_from_db()
    assert "警情内容点名当事人巴特尔" in DisputeIncident.objects.get(dispute=d).reasons
    # one call is no repeat; the knife and the threat are the signal
    assert [c.signal for c in d.risk_changes.all()] == [RiskSignal.THREAT_WORDS]
    assert d.risk == b.ORANGE and "“拿刀”" in d.risk_reason


def test_an_incident_repeating_one_already_linked_is_matched_through_the_repeat_analysis(persona):
    first = b.incident(phone="13847100001", content="草场纠纷", when=NOW() - dt.timedelta(days=5))
    d = b.dispute(actor=persona("station_chief"), source="incident", source_incident=first, days_ago=4,
                  parties=[b.party("张海军", "")])
    other_caller = b.incident(phone="13999990000", name="路人", content="有人在草场吵架")
    b.send(other_caller, repeats=[first])
    d.refresh_from_db()
    assert "与本纠纷的来源警情" in DisputeIncident.objects.get(dispute=d, incident=other_caller).reasons
    assert d.risk == b.YELLOW


def test_earlier_calls_by_the_parties_count_at_registration(persona):
    for days in (20, 10):
        b.incident(phone="13847100001", content="院墙纠纷", when=NOW() - dt.timedelta(days=days))
    d = b.dispute(actor=persona("station_chief"))
    assert d.incident_links.count() == 2
    assert d.risk == b.YELLOW and "30天内第2次报警" in d.risk_reason


def test_closed_disputes_are_left_alone_and_no_raise_lowers_a_level(persona):
    chief = persona("station_chief")
    closed = b.to_status(b.dispute(actor=chief, days_ago=5), S.CLOSED, actor=chief)
    red = b.dispute(actor=chief, title="扬言同归于尽", parties=[b.party("李娜", "13847100009")], days_ago=1)
    b.send(b.incident(phone="13847100001", content="又吵起来"))
    b.send(b.incident(phone="13847100009", content="又吵起来"))
    closed.refresh_from_db()
    red.refresh_from_db()
    assert not closed.incident_links.exists() and closed.risk == b.BLUE
    assert red.incident_links.count() == 1 and red.risk == b.RED and red.risk_changes.count() == 1


def test_an_incident_from_before_the_dispute_was_registered_is_not_linked_by_the_signal(persona):
    d = b.dispute(actor=persona("station_chief"))
    old = b.incident(phone="13847100001", content="院墙纠纷", when=NOW() - dt.timedelta(days=60))
    b.send(old)
    assert not DisputeIncident.objects.filter(dispute=d, incident=old).exists()


def test_the_same_incident_is_linked_once(persona):
    b.dispute(actor=persona("station_chief"), days_ago=1)
    inc = b.incident(phone="13847100001", content="又吵")
    b.send(inc)
    b.send(inc)
    assert DisputeIncident.objects.filter(incident=inc).count() == 1


def test_a_failure_in_the_warning_never_stops_an_incident(persona, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "dispute_warn_from_incident", boom)
    inc = b.incident(phone="13847100001")
    (receiver, result), = [r for r in b.send(inc) if r[0].__module__ == "pingan.disputes.receivers"]
    assert result == []


def test_every_raise_is_explained_and_audited_as_the_system(persona):
    b.dispute(actor=persona("station_chief"), days_ago=1)
    b.send(b.incident(phone="13847100001", content="扬言要砍人"))
    change = RiskChange.objects.get()
    assert change.by is None and change.signal == RiskSignal.THREAT_WORDS and "“砍”" in change.reason
    row = AuditLog.objects.filter(actor_login="system", object_type="disputes.Dispute").first()
    assert "关联警情" in row.detail and "系统预警升级风险" in row.detail
    assert row.before["risk"] == b.BLUE and row.after["risk"] == b.RED


def test_the_incidents_app_registration_reaches_the_disputes(persona):
    """End to end through the incidents app's own service, when it offers one."""
    incidents = pytest.importorskip("pingan.incidents.services")
    if not hasattr(incidents, "incident_register"):
        pytest.skip("incidents.services.incident_register not available")
    chief = persona("station_chief")
    d = b.dispute(actor=chief, days_ago=1)
    incidents.incident_register(actor=chief, banner=b.village().banner(), number="150824TEST0001",
                                received_at=NOW(), category=b.category(), caller_name="张海军",
                                caller_phone="13847100001", address="巴仁宝勒格村", content="邻居又打人了",
                                area=b.village())
    d.refresh_from_db()
    assert d.incident_links.count() == 1 and d.risk == b.ORANGE


# ---- a 110 import: one batch for the whole file ----------------------------------------------------

def _csv(rows) -> bytes:
    header = "警情编号,接警时间,报警人,报警电话,发生地址,警情类别,警情内容\n"
    return (header + "".join(",".join(r) + "\n" for r in rows)).encode("utf-8")


def _import(actor, rows):
    from pingan.incidents.importer import import_incidents

    return import_incidents(actor=actor, banner=b.village().banner(), name="110.csv", content=_csv(rows))


def test_an_import_is_matched_once_for_the_whole_file_with_the_same_outcome(persona):
    from pingan.incidents.models import IncidentCategory

    chief = persona("station_chief")
    d = b.dispute(actor=chief, days_ago=2)  # parties 张海军 13847100001 and a neighbour
    category = IncidentCategory.objects.filter(parent__isnull=False).first().name
    when = (timezone.localtime() - dt.timedelta(hours=5)).strftime("%Y-%m-%d %H:%M")
    later = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    unrelated = [(f"T{n:06d}", when, "路人", f"1390000{n:04d}", "巴仁宝勒格村", category, f"第{n}起无关警情")
                 for n in range(30)]
    rows = unrelated + [("TX000001", when, "某人", "13847100001", "巴仁宝勒格村", category, "邻居又吵起来了"),
                        ("TX000002", later, "某人", "138 4710 0001", "巴仁宝勒格村", category, "又打人了")]
    report = _import(chief, rows)
    assert report.imported == 32
    d.refresh_from_db()
    assert set(d.incident_links.values_list("incident__number", flat=True)) == {"TX000001", "TX000002"}
    # matched in the order received: the second call is the repeat, and its violence a threat signal
    changes = list(d.risk_changes.order_by("at", "id"))
    assert [(c.incident.number, c.signal) for c in changes] == [
        ("TX000002", RiskSignal.REPEAT_INCIDENT), ("TX000002", RiskSignal.THREAT_WORDS)]
    assert "第2次报警" in changes[0].reason and d.risk == b.ORANGE


def test_an_import_sends_no_per_incident_warning(persona, monkeypatch):
    calls = []
    real = services.dispute_warn_from_incident

    def counting(**kwargs):
        calls.append(kwargs.get("open_disputes"))
        return real(**kwargs)

    monkeypatch.setattr(services, "dispute_warn_from_incident", counting)
    from pingan.incidents.models import IncidentCategory

    category = IncidentCategory.objects.filter(parent__isnull=False).first().name
    when = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    _import(persona("station_chief"), [(f"U{n:05d}", when, "", "", "巴仁宝勒格村", category, "求助") for n in range(5)])
    # every incident went through the batch, all against one index of the open disputes
    assert len(calls) == 5 and len({id(c) for c in calls}) == 1 and calls[0] is not None


def test_the_index_finds_overlapping_names(persona):
    from pingan.disputes.matching import OpenDisputes

    chief = persona("station_chief")
    short = b.dispute(actor=chief, parties=[b.party("王强", "")], days_ago=1)
    long = b.dispute(actor=chief, parties=[b.party("王强国", ""), b.party("强国华", "")], days_ago=1)
    index = OpenDisputes(b.village().banner().path)
    assert index.names_in("报警称王强国华家院墙被推倒") == {"王强", "王强国", "强国华"}
    found = index.matches(b.incident(content="王强国说邻居拿刀"))
    assert set(found) == {short.pk, long.pk}


# ---- the incident a dispute starts from -----------------------------------------------------------

def test_registering_a_dispute_from_an_incident_moves_the_incident_to_the_dispute(persona):
    from pingan.incidents.models import IncidentEvent, IncidentStatus

    first = b.incident(phone="13847100001", content="院墙纠纷", when=NOW() - dt.timedelta(days=3))
    IncidentEvent.objects.create(incident=first, status=IncidentStatus.RECEIVED, at=first.received_at)
    d = b.dispute(actor=persona("station_chief"), source="incident", source_incident=first, days_ago=2)
    first.refresh_from_db()
    assert first.status == IncidentStatus.TO_DISPUTE
    step = first.events.get(status=IncidentStatus.TO_DISPUTE)
    assert step.note == f"登记为矛盾纠纷{d.number}" and step.at == d.registered_at


def test_an_incident_whose_trail_has_ended_keeps_its_trail(persona):
    from pingan.incidents.models import IncidentStatus

    done = b.incident(phone="13847100001", content="院墙纠纷", when=NOW() - dt.timedelta(days=3))
    done.status = IncidentStatus.CONCLUDED
    done.save(update_fields=["status"])
    d = b.dispute(actor=persona("station_chief"), source="incident", source_incident=done, days_ago=2)
    done.refresh_from_db()
    assert done.status == IncidentStatus.CONCLUDED and d.source_incident == done
