import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.core.models import AuditAction, AuditLog
from pingan.core.scope import NotVisible
from pingan.legal import services
from pingan.legal.models import Criterion, LegalPerson, SelectionCheck, Status, StatusChange
from pingan.legal.tests import helpers as h
from pingan.org.models import Staff, StaffCategory

pytestmark = pytest.mark.django_db

LATER = h.DAY + dt.timedelta(days=5)


def _messages(exc: ValidationError) -> str:
    return "；".join(m for msgs in exc.message_dict.values() for m in msgs)


# ---- candidates ----------------------------------------------------------------------------------

def test_a_new_candidate_is_created_as_staff_of_the_judicial_office_and_audited():
    office = h.office_user()
    person = h.nominate(office, name="乌云其其格")
    assert person.status == Status.CANDIDATE and person.status_since == h.DAY
    staff = person.staff
    assert (staff.category, staff.agency.kind, staff.area.code, staff.active) == (
        StaffCategory.LEGAL_LITERATE, "judicial_office", h.GACHA, False)
    assert person.office == staff.agency
    assert StatusChange.objects.get(person=person).to_status == Status.CANDIDATE
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_type="legal.LegalPerson")
    assert row.actor_login == "sifasuo" and row.after["status"] == Status.CANDIDATE


def test_an_existing_person_is_reused_by_id_number_and_cannot_have_two_open_files():
    office = h.office_user()
    grid = h.agency("village_committee", h.GACHA)
    ident = h.identity("张海军")
    worker = Staff.objects.create(name="张海军", name_initials="zhj", category=StaffCategory.GRID_WORKER, agency=grid,
                                  area=h.area(h.GACHA), id_number=ident["id_number"], gender="M", ethnicity="汉族",
                                  birth_date=dt.date(1980, 5, 1))
    person = h.nominate(office, identity=ident, source_category="网格员")
    assert person.staff == worker and worker.category == StaffCategory.GRID_WORKER
    assert Staff.objects.filter(id_number=ident["id_number"]).count() == 1
    with pytest.raises(ValidationError, match="已有在办的法律明白人档案"):
        h.nominate(office, code=h.GACHA_2, identity=ident)
    with pytest.raises(ValidationError, match="另一姓名"):
        h.nominate(office, identity=ident | {"name": "李娜"})


def test_a_judicial_office_cannot_nominate_outside_its_township_and_police_cannot_at_all():
    with pytest.raises(NotVisible):
        h.nominate(h.office_user(), code=h.SIBLING_GACHA)
    assert not LegalPerson.objects.exists()
    with pytest.raises(PermissionDenied):
        h.nominate(h.police_user())


def test_only_village_level_units_take_candidates():
    with pytest.raises(ValidationError, match="不是村"):
        services.person_nominate(actor=None, village=h.area(h.TOWNSHIP), source_category="两委成员", channel="自荐",
                                 nominated_on=h.DAY, identity=h.identity())


# ---- selection rules: the political standard first ------------------------------------------------

def test_no_criterion_can_be_recorded_before_the_political_standard():
    person = h.nominate()
    with pytest.raises(ValidationError, match="须先审查政治标准"):
        services.check_record(actor=None, person=person, criterion=Criterion.MASS_BASE, passed=True, checked_on=LATER)
    services.check_record(actor=None, person=person, criterion=Criterion.POLITICAL, passed=True, checked_on=LATER)
    services.check_record(actor=None, person=person, criterion=Criterion.MASS_BASE, passed=True, checked_on=LATER)
    assert SelectionCheck.objects.filter(person=person).count() == 2


def test_a_failed_political_check_blocks_assessment_and_selection():
    person = h.nominate()
    services.check_record(actor=None, person=person, criterion=Criterion.POLITICAL, passed=False, checked_on=LATER,
                          note="受过治安管理处罚")
    for criterion in Criterion.values[1:]:
        services.check_record(actor=None, person=person, criterion=criterion, passed=True, checked_on=LATER)
    with pytest.raises(ValidationError, match="政治标准审查通过后才能进入考察"):
        services.person_transition(actor=None, person=person, to_status=Status.ASSESSING, on=LATER)
    assert services.selection_blockers(person) == ["政治标准审查未通过，不能入选"]
    with pytest.raises(ValidationError, match="政治标准审查未通过"):
        services.person_decide(actor=None, person=person, selected=True, decided_on=LATER)
    person = services.person_decide(actor=None, person=person, selected=False, decided_on=LATER,
                                    reason="政治标准审查未通过")
    assert person.status == Status.NOT_SELECTED and person.selected_on is None


def test_selection_needs_every_criterion_met_and_a_passed_assessment():
    person = h.nominate()
    services.check_record(actor=None, person=person, criterion=Criterion.POLITICAL, passed=True, checked_on=LATER)
    person = services.person_transition(actor=None, person=person, to_status=Status.ASSESSING, on=LATER)
    with pytest.raises(ValidationError) as exc:
        services.person_decide(actor=None, person=person, selected=True, decided_on=LATER)
    assert "尚未审查" in _messages(exc.value) and "尚未登记考察结论" in _messages(exc.value)
    for criterion in Criterion.values[1:]:
        services.check_record(actor=None, person=person, criterion=criterion, passed=criterion != Criterion.HEALTH,
                              checked_on=LATER)
    services.assessment_record(actor=None, person=person, passed=False, opinion="不合格", assessed_on=LATER)
    with pytest.raises(ValidationError) as exc:
        services.person_decide(actor=None, person=person, selected=True, decided_on=LATER)
    assert "不符合：身体健康" in _messages(exc.value) and "考察结论为不合格" in _messages(exc.value)
    services.check_record(actor=None, person=person, criterion=Criterion.HEALTH, passed=True, checked_on=LATER)
    services.assessment_record(actor=None, person=person, passed=True, opinion="合格", assessed_on=LATER)
    person = services.person_decide(actor=None, person=person, selected=True, decided_on=LATER, certificate_no="001")
    assert (person.status, person.selected_on, person.certificate_no) == (Status.TRAINING, LATER, "001")


def test_not_selected_needs_a_reason():
    person = h.nominate()
    with pytest.raises(ValidationError, match="未入选须填写原因"):
        services.person_decide(actor=None, person=person, selected=False, decided_on=LATER)


# ---- status transitions ----------------------------------------------------------------------------

def test_the_status_runs_candidate_assessment_training_serving_exit_with_dates_and_reasons():
    person = h.legal_person()
    assert person.status == Status.SERVING and person.staff.active
    exit_day = h.DAY + dt.timedelta(days=200)
    with pytest.raises(ValidationError, match="退出须填写原因"):
        services.person_transition(actor=None, person=person, to_status=Status.EXITED, on=exit_day)
    person = services.person_transition(actor=None, person=person, to_status=Status.EXITED, on=exit_day,
                                        reason="外出务工")
    assert (person.exited_on, person.exit_reason) == (exit_day, "外出务工")
    person.staff.refresh_from_db()
    assert not person.staff.active
    history = list(StatusChange.objects.filter(person=person).values_list("from_status", "to_status"))
    assert history == [("", "候选"), ("候选", "考察"), ("考察", "培训"), ("培训", "上岗"), ("上岗", "退出")]


@pytest.mark.parametrize("to_status, message", [
    (Status.SERVING, "不能从“候选”变为“上岗”"),
    (Status.EXITED, "不能从“候选”变为“退出”"),
    (Status.TRAINING, "不能从“候选”变为“培训”"),
    (Status.NOT_SELECTED, "须通过“作出决定”办理"),
])
def test_illegal_transitions_from_candidate_are_refused_in_chinese(to_status, message):
    person = h.nominate()
    with pytest.raises(ValidationError, match=message):
        services.person_transition(actor=None, person=person, to_status=to_status, on=LATER, reason="x")
    person.refresh_from_db()
    assert person.status == Status.CANDIDATE


def test_an_exited_person_is_final_and_a_date_cannot_go_backwards():
    person = h.legal_person()
    with pytest.raises(ValidationError, match="日期不能早于"):
        services.person_transition(actor=None, person=person, to_status=Status.EXITED, on=h.DAY, reason="x")
    person = services.person_transition(actor=None, person=person, to_status=Status.EXITED,
                                        on=h.DAY + dt.timedelta(days=90), reason="迁居外地")
    with pytest.raises(ValidationError, match="已是最终状态"):
        services.person_transition(actor=None, person=person, to_status=Status.SERVING, on=h.DAY + dt.timedelta(days=91))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.person_transition(actor=None, person=h.legal_person(name="苏和", serve=False),
                                   to_status=Status.SERVING, on=dt.date.today() + dt.timedelta(days=3))


def test_a_legal_literate_user_cannot_run_the_selection_even_on_their_own_file():
    person = h.nominate()
    me = h.legal_literate_user(person)
    with pytest.raises(PermissionDenied):
        services.check_record(actor=me, person=person, criterion=Criterion.POLITICAL, passed=True, checked_on=LATER)


# ---- quotas, pairing, activities ------------------------------------------------------------------

def test_only_the_bureau_of_the_banner_sets_quotas():
    from pingan.legal.models import Quota

    banner = h.area(h.BANNER)
    services.quota_set(actor=h.bureau_user(), banner=banner, unit_kind="社区", quota=5)
    services.quota_set(actor=None, banner=banner, unit_kind="社区", quota=6)
    assert Quota.objects.get(banner=banner, unit_kind="社区").quota == 6
    with pytest.raises(NotVisible):
        services.quota_set(actor=h.office_user(), banner=banner, unit_kind="嘎查", quota=3)
    with pytest.raises(ValidationError, match="社区、嘎查或村"):
        services.quota_set(actor=None, banner=banner, unit_kind="镇", quota=3)


def test_a_new_pairing_ends_the_previous_one_the_day_before():
    first, second = h.adviser(name="王律师"), h.adviser(name="李律师")
    old = services.pairing_set(actor=None, village=h.area(h.GACHA), adviser=first, start=dt.date(2023, 1, 1))
    services.pairing_set(actor=None, village=h.area(h.GACHA), adviser=second, start=dt.date(2024, 1, 1))
    old.refresh_from_db()
    assert old.end == dt.date(2023, 12, 31)
    with pytest.raises(ValidationError, match="不是在岗的村\\(居\\)法律顾问"):
        services.pairing_set(actor=None, village=h.area(h.GACHA), adviser=h.legal_person().staff,
                             start=dt.date(2024, 6, 1))


def test_an_activity_needs_its_kind_fields_and_a_person_on_the_register_that_day():
    person = h.legal_person()
    village = h.area(h.GACHA)
    with pytest.raises(ValidationError, match="矛盾纠纷调解须填写当事人"):
        services.activity_record(actor=None, kind="mediation", date=dt.date(2024, 5, 1), village=village,
                                 title="草场边界纠纷", participants=[person])
    with pytest.raises(ValidationError, match="不是在册的法律明白人"):
        services.activity_record(actor=None, kind="visit", date=dt.date(2023, 5, 1), village=village, title="走访",
                                 participants=[person], summary="走访牧户")
    with pytest.raises(ValidationError, match="至少有一名"):
        services.activity_record(actor=None, kind="visit", date=dt.date(2024, 5, 1), village=village, title="走访",
                                 participants=[], summary="走访牧户")
    activity = services.activity_record(actor=None, kind="mediation", date=dt.date(2024, 5, 1), village=village,
                                        title="草场边界纠纷", participants=[person], parties="张三、李四",
                                        outcome="调解成功")
    assert activity.office.kind == "judicial_office"
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_type="legal.Activity")
    assert row.after["parties"] == "张*、李*" and row.after["participants"] == [person.pk]


def test_a_mediation_links_to_the_dispute_it_concerns_and_an_unknown_number_is_refused():
    import datetime as dt

    from django.core.exceptions import ValidationError

    from pingan.disputes.tests import builders as dispute_builders
    from pingan.legal import services as legal_services
    from pingan.legal.tests import helpers as hh

    person = hh.legal_person(hh.GACHA)
    office = hh.office_user()
    dispute = dispute_builders.dispute(at=hh.GACHA, title="草场边界纠纷")
    activity = legal_services.activity_record(
        actor=office, kind="mediation", date=dt.date(2024, 5, 20), village=hh.area(hh.GACHA), participants=[person],
        title="草场边界纠纷", parties="王五、赵六", outcome="调解成功", dispute_ref=dispute.number)
    assert activity.dispute == dispute
    with pytest.raises(ValidationError, match="不存在或不在您的辖区内"):
        legal_services.activity_record(
            actor=office, kind="mediation", date=dt.date(2024, 5, 21), village=hh.area(hh.GACHA),
            participants=[person], title="另一纠纷", parties="甲、乙", outcome="调解成功", dispute_ref="JF-NOPE")
