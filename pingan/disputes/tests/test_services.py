"""The closed loop through the services: the state machine, deadlines, extensions, supervision."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pingan.core.models import AuditAction, AuditLog
from pingan.disputes import rules, services
from pingan.disputes.models import (
    Dispute,
    DisputeStatus,
    MediationOutcome,
    Notification,
    NotificationKind,
    RiskLevel,
)
from pingan.disputes.tests import builders as b

pytestmark = pytest.mark.django_db
S = DisputeStatus
TODAY = timezone.localdate


def test_a_dispute_goes_round_the_whole_loop_and_every_step_is_in_the_history(persona):
    chief = persona("station_chief")
    d = b.dispute(actor=chief)
    assert d.number.startswith(f"150824JF{TODAY().year}") and d.status == S.REGISTERED
    d = b.to_status(d, S.CLOSED, actor=chief)
    steps = [(c.from_status, c.to_status) for c in d.status_changes.all()]
    assert steps == [("", S.REGISTERED), (S.REGISTERED, S.ASSESSED), (S.ASSESSED, S.ASSIGNED),
                     (S.ASSIGNED, S.MEDIATING), (S.MEDIATING, S.FOLLOW_UP), (S.FOLLOW_UP, S.CLOSED)]
    assert d.result == MediationOutcome.SUCCESS and d.closed_at and not d.is_open
    assert AuditLog.objects.filter(object_type="disputes.Dispute", object_id=str(d.pk)).count() >= 6


@pytest.mark.parametrize("status, step, message", [
    (S.REGISTERED, "assign", "当前状态为“已登记”，不能分派"),
    (S.REGISTERED, "session", "当前状态为“已登记”，不能记录调解"),
    (S.ASSESSED, "close", "当前状态为“已研判定级”，不能办结"),
    (S.ASSIGNED, "follow_up", "当前状态为“已分派”，不能回访"),
    (S.FOLLOW_UP, "session", "当前状态为“待回访”，不能记录调解"),
    (S.MEDIATING, "assess", "当前状态为“化解中”，不能研判定级"),
    (S.CLOSED, "assign", "当前状态为“已办结”，不能分派"),
    (S.CLOSED, "session", "当前状态为“已办结”，不能记录调解"),
])
def test_no_illegal_transition_and_the_refusal_says_why(persona, status, step, message):
    chief = persona("station_chief")
    d = b.to_status(b.dispute(actor=chief), status, actor=chief) if status != S.REGISTERED else b.dispute(actor=chief)
    calls = {
        "assign": lambda: services.dispute_assign(actor=chief, dispute=d, staff=b.mediator()),
        "session": lambda: services.dispute_record_session(actor=chief, dispute=d, held_on=TODAY(),
                                                           outcome=MediationOutcome.FAILED, summary="调解"),
        "close": lambda: services.dispute_close(actor=chief, dispute=d),
        "follow_up": lambda: services.dispute_follow_up(actor=chief, dispute=d, on=TODAY(), stable=True),
        "assess": lambda: services.dispute_assess(actor=chief, dispute=d, risk=RiskLevel.RED, reason="再定级"),
    }
    before = d.status_changes.count()
    with pytest.raises(ValidationError) as exc:
        calls[step]()
    assert message in exc.value.messages[0]
    d.refresh_from_db()
    assert d.status == status and d.status_changes.count() == before


def test_closure_needs_a_follow_up_that_found_the_settlement_holding(persona):
    chief = persona("station_chief")
    d = b.to_status(b.dispute(actor=chief), S.FOLLOW_UP, actor=chief)
    with pytest.raises(ValidationError, match="办结前须回访并确认纠纷已平稳化解"):
        services.dispute_close(actor=chief, dispute=d)


def test_an_unstable_follow_up_sends_the_dispute_back_to_mediation(persona):
    chief = persona("station_chief")
    d = b.to_status(b.dispute(actor=chief), S.FOLLOW_UP, actor=chief)
    services.dispute_follow_up(actor=chief, dispute=d, on=TODAY(), stable=False, satisfied=False,
                               note="对方未按协议砌墙，双方又起争执")
    d.refresh_from_db()
    assert d.status == S.MEDIATING and d.result == ""
    assert d.status_changes.last().note.startswith("回访发现纠纷反复")


def test_grading_needs_a_party_and_a_reason(persona):
    chief = persona("station_chief")
    d = b.dispute(actor=chief, parties=[])
    with pytest.raises(ValidationError, match="研判定级前须登记至少一名当事人"):
        services.dispute_assess(actor=chief, dispute=d, risk=RiskLevel.YELLOW, reason="一般纠纷")
    with pytest.raises(ValidationError, match="请填写定级理由"):
        services.dispute_assess(actor=chief, dispute=d, risk=RiskLevel.YELLOW, reason=" ")


def test_a_party_id_number_is_validated_when_given_and_masked_in_the_audit(persona):
    with pytest.raises(ValidationError, match="第1名当事人（王建国）：身份证号码校验位错误"):
        b.dispute(actor=persona("station_chief"), parties=[b.party("王建国", id_number="150824199005170010")])
    from pingan.testing.factories import valid_id_number

    number = valid_id_number()
    d = b.dispute(actor=persona("station_chief"), parties=[b.party("王建国", id_number=number)])
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_type="disputes.Dispute", object_id=str(d.pk))
    assert number not in str(row.after) and "13847100001" not in str(row.after)
    assert row.after["parties"][0]["id_number"] == number[:6] + "********" + number[-4:]


# ---- time limits and overdue ------------------------------------------------------------------

def test_overdue_is_computed_from_the_deadline_not_stored(persona):
    old = b.dispute(actor=persona("station_chief"), days_ago=40)  # blue: 30 days
    fresh = b.dispute(actor=persona("station_chief"), days_ago=3)
    assert old.deadline == old.registered_on + dt.timedelta(days=30)
    assert old.is_overdue and old.days_overdue == 10
    assert not fresh.is_overdue and fresh.days_left == 27
    assert set(Dispute.objects.overdue()) == {old}
    assert "overdue" not in {f.name for f in Dispute._meta.get_fields()}


def test_grading_sets_the_level_limit_from_registration(persona):
    chief = persona("station_chief")
    d = b.dispute(actor=chief, days_ago=2)
    d = services.dispute_assess(actor=chief, dispute=d, risk=RiskLevel.ORANGE, reason="双方情绪激动")
    assert d.deadline == d.registered_on + dt.timedelta(days=7)
    change = d.risk_changes.get()
    assert (change.from_risk, change.to_risk, change.signal, change.by) == (RiskLevel.BLUE, RiskLevel.ORANGE,
                                                                          "manual", chief)


def test_a_closed_dispute_is_never_overdue_but_a_late_closure_is_marked(persona):
    chief = persona("station_chief")
    d = b.to_status(b.dispute(actor=chief, days_ago=40), S.CLOSED, actor=chief)
    assert not d.is_overdue and d.closed_late
    assert not Dispute.objects.overdue().exists()


def test_an_extension_moves_the_deadline_and_is_audited_with_its_reason(persona):
    chief = persona("station_chief")
    d = b.to_status(b.dispute(actor=chief, days_ago=35), S.ASSIGNED, actor=chief)
    assert d.is_overdue
    old = d.deadline
    ext = services.dispute_extend(actor=chief, dispute=d, days=10, reason="当事人外出务工，需待其返乡调解")
    d.refresh_from_db()
    assert d.deadline == old + dt.timedelta(days=10) == ext.new_deadline and ext.old_deadline == old
    assert not d.is_overdue
    row = AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(d.pk)).first()
    assert row.detail == "延期10天：当事人外出务工，需待其返乡调解"
    assert row.before == {"deadline": old.isoformat()} and row.after == {"deadline": d.deadline.isoformat()}


def test_extensions_are_bounded(persona):
    chief = persona("station_chief")
    d = b.to_status(b.dispute(actor=chief), S.ASSIGNED, actor=chief)
    with pytest.raises(ValidationError, match="延期天数应为1至30天"):
        services.dispute_extend(actor=chief, dispute=d, days=45, reason="太久")
    for _ in range(rules.MAX_EXTENSIONS):
        services.dispute_extend(actor=chief, dispute=d, days=5, reason="需要更多时间")
    with pytest.raises(ValidationError, match="最多延期2次"):
        services.dispute_extend(actor=chief, dispute=d, days=5, reason="再延")


# ---- 分派 and 督办 -----------------------------------------------------------------------------

def test_assignment_goes_to_a_unit_covering_the_village_or_a_person_of_its_township(persona):
    chief = persona("station_chief")
    d = b.to_status(b.dispute(actor=chief), S.ASSESSED, actor=chief)
    with pytest.raises(ValidationError, match="辖区不包括"):
        services.dispute_assign(actor=chief, dispute=d, agency=b.station(b.SIBLING_TOWNSHIP))
    with pytest.raises(ValidationError, match="不在纠纷所在乡镇"):
        services.dispute_assign(actor=chief, dispute=d, staff=b.mediator(b.OTHER_TOWNSHIP_VILLAGE))
    d = services.dispute_assign(actor=chief, dispute=d, agency=b.judicial_office())
    assert d.status == S.ASSIGNED and d.assigned_agency == b.judicial_office()
    note = Notification.objects.get(dispute=d, kind=NotificationKind.ASSIGNED)
    assert note.agency == b.judicial_office() and "已分派给" in note.text


def test_reassignment_is_recorded(persona):
    chief = persona("station_chief")
    d = b.to_status(b.dispute(actor=chief), S.ASSIGNED, actor=chief)
    d = services.dispute_assign(actor=chief, dispute=d, agency=b.station(), note="涉及治安，由派出所承办")
    last = d.status_changes.last()
    assert (last.from_status, last.to_status) == (S.ASSIGNED, S.ASSIGNED) and last.note.startswith("改派至")


def test_supervision_comes_from_above_and_reaches_the_handler(persona, client_as):
    chief = persona("station_chief")  # township level
    d = b.to_status(b.dispute(actor=chief), S.ASSIGNED, actor=chief, staff=b.mediator())  # a village mediator
    s = services.dispute_supervise(actor=chief, dispute=d, note="请三日内组织双方再次调解")
    assert s.by_name.endswith(chief.full_name)
    note = Notification.objects.get(dispute=d, kind=NotificationKind.SUPERVISED)
    assert note.staff == d.assigned_staff and "请三日内组织双方再次调解" in note.text
    # the same level may not supervise a unit at its own level
    d2 = b.to_status(b.dispute(actor=chief), S.ASSESSED, actor=chief)
    d2 = services.dispute_assign(actor=chief, dispute=d2, agency=b.judicial_office())
    with pytest.raises(ValidationError, match="督办须由承办单位的上级提出"):
        services.dispute_supervise(actor=chief, dispute=d2, note="请尽快办理")
    # the banner can
    services.dispute_supervise(actor=persona("hq_officer"), dispute=d2, note="请尽快办理，周五前反馈")
    # the handler's home page shows it; the answer takes it off
    office = persona("judicial_office")
    items = {i.title: i for i in client_as("judicial_office").get("/").context["items"]}
    # both are the judicial office's: d through its mediator, d2 directly
    assert items["督办待反馈"].count == 2 and "周五前反馈" in items["督办待反馈"].hint
    services.supervision_answer(actor=office, supervision=d2.supervisions.get(), answer="已约定周四调解")
    items = {i.title: i for i in client_as("judicial_office").get("/").context["items"]}
    assert items["督办待反馈"].count == 1


def test_supervision_is_shown_on_the_dispute_page(persona, client_as):
    chief = persona("station_chief")
    d = b.to_status(b.dispute(actor=chief), S.ASSIGNED, actor=chief, staff=b.mediator())
    services.dispute_supervise(actor=chief, dispute=d, note="请三日内组织双方再次调解")
    page = client_as("judicial_office").get(f"/disputes/{d.pk}/").content.decode()
    assert "督办" in page and "请三日内组织双方再次调解" in page


def test_registration_is_signalled_to_other_apps(persona):
    from pingan.disputes.signals import dispute_registered

    got = []

    def receiver(sender, dispute, actor, **kwargs):
        got.append((dispute.source_incident, actor))

    dispute_registered.connect(receiver)
    try:
        inc = b.incident(phone="13847100001", content="邻里纠纷")
        b.dispute(actor=persona("station_chief"), source="incident", source_incident=inc)
    finally:
        dispute_registered.disconnect(receiver)
    assert got == [(inc, persona("station_chief"))]
