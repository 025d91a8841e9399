"""The writes: the status machine, the rules on persons, dispositions, recoveries, campaigns and
operations, the link to incidents, and the audit trail."""

import datetime as dt
import decimal

import pytest
from django.core.exceptions import ValidationError

from pingan.cases import services
from pingan.cases.models import Case, CaseKind, CaseStatus, DispositionKind, PartyRole, Person
from pingan.cases.tests import builders as b
from pingan.core.models import AuditAction, AuditLog
from pingan.core.scope import NotVisible

pytestmark = pytest.mark.django_db
D = dt.date
S = CaseStatus


def test_a_criminal_case_walks_its_chain_and_keeps_a_dated_trail():
    case = b.case()
    b.party(case, PartyRole.SUSPECT, caught=D(2024, 3, 20))
    b.walk(case, (S.FILED, D(2024, 3, 2)), (S.INVESTIGATING, D(2024, 3, 3)), (S.SOLVED, D(2024, 3, 20)),
           (S.PROSECUTED, D(2024, 4, 30)), (S.CLOSED, D(2024, 9, 1)))
    assert (case.filed_on, case.solved_on, case.prosecuted_on, case.closed_on) == (
        D(2024, 3, 2), D(2024, 3, 20), D(2024, 4, 30), D(2024, 9, 1))
    trail = list(case.events.order_by("on", "id").values_list("from_status", "to_status", "on"))
    assert trail[0] == ("", S.ACCEPTED, D(2024, 3, 1))
    assert trail[-1] == (S.PROSECUTED, S.CLOSED, D(2024, 9, 1))
    assert len(trail) == 6


def test_an_illegal_step_is_refused_in_chinese_with_the_allowed_steps():
    case = b.case()
    with pytest.raises(ValidationError) as exc:
        services.case_transition(actor=None, case=case, status=S.SOLVED, on=D(2024, 3, 2))
    assert "刑事案件当前为“受案”，不能转为“破案”；可转为：立案、不予立案/撤销" in exc.value.messages[0]
    admin = b.case(kind=CaseKind.ADMINISTRATIVE, cat="gambling")
    with pytest.raises(ValidationError, match="不能转为“立案”"):
        services.case_transition(actor=None, case=admin, status=S.FILED, on=D(2024, 3, 2))
    services.case_transition(actor=None, case=admin, status=S.DROPPED, on=D(2024, 3, 2), note="不构成违法")
    admin.refresh_from_db()
    assert admin.status == S.DROPPED and admin.closed_on == D(2024, 3, 2) and not admin.allowed_next()


def test_dropping_needs_a_reason():
    case = b.case()
    with pytest.raises(ValidationError, match="须写明理由"):
        services.case_transition(actor=None, case=case, status=S.DROPPED, on=D(2024, 3, 2))


def test_a_step_may_not_be_dated_before_the_last_one_or_in_the_future():
    case = b.case()
    with pytest.raises(ValidationError, match="不能早于上一步的日期"):
        services.case_transition(actor=None, case=case, status=S.FILED, on=D(2024, 2, 1))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.case_transition(actor=None, case=case, status=S.FILED, on=dt.date.today() + dt.timedelta(days=2))


def test_solving_needs_a_suspect_and_prosecution_a_caught_one():
    case = b.walk(b.case(), (S.FILED, D(2024, 3, 2)), (S.INVESTIGATING, D(2024, 3, 2)))
    with pytest.raises(ValidationError, match="破案前须登记至少一名犯罪嫌疑人"):
        services.case_transition(actor=None, case=case, status=S.SOLVED, on=D(2024, 3, 5))
    suspect = b.party(case, PartyRole.SUSPECT)
    b.walk(case, (S.SOLVED, D(2024, 3, 5)))
    with pytest.raises(ValidationError, match="移送起诉前须有已抓获"):
        services.case_transition(actor=None, case=case, status=S.PROSECUTED, on=D(2024, 3, 6))
    services.party_caught(actor=None, party=suspect, caught_on=D(2024, 3, 6))
    assert b.walk(case, (S.PROSECUTED, D(2024, 3, 7))).status == S.PROSECUTED


def test_a_penalty_decision_needs_a_measure_on_an_offender():
    case = b.walk(b.case(kind=CaseKind.ADMINISTRATIVE, cat="gambling"), (S.INQUIRY, D(2024, 3, 1)))
    offender = b.party(case, PartyRole.OFFENDER)
    with pytest.raises(ValidationError, match="作出处罚决定前须对至少一名违法行为人录入处理措施"):
        services.case_transition(actor=None, case=case, status=S.DECIDED, on=D(2024, 3, 2))
    b.dispose(offender, DispositionKind.FINE, D(2024, 3, 2), amount="500.00")
    assert b.walk(case, (S.DECIDED, D(2024, 3, 2))).decided_on == D(2024, 3, 2)


def test_roles_and_measures_must_fit_the_kind_of_case():
    admin = b.case(kind=CaseKind.ADMINISTRATIVE, cat="gambling")
    with pytest.raises(ValidationError, match="行政\\(治安\\)案件的人员身份应为：违法行为人、被害人、证人"):
        b.party(admin, PartyRole.SUSPECT)
    offender = b.party(admin, PartyRole.OFFENDER)
    with pytest.raises(ValidationError, match="处理措施应为"):
        b.dispose(offender, DispositionKind.ARREST, D(2024, 3, 2))
    witness = b.party(admin, PartyRole.WITNESS, b.person("李四", number=""))
    with pytest.raises(ValidationError, match="证人不能录入处理措施"):
        b.dispose(witness, DispositionKind.WARNING, D(2024, 3, 2))


def test_a_fine_needs_an_amount_in_yuan_and_detention_its_days():
    offender = b.party(b.case(kind=CaseKind.ADMINISTRATIVE, cat="porn"), PartyRole.OFFENDER)
    with pytest.raises(ValidationError, match="请填写金额"):
        b.dispose(offender, DispositionKind.FINE, D(2024, 3, 2))
    with pytest.raises(ValidationError, match="最多保留两位小数"):
        services.disposition_add(actor=None, party=offender, kind=DispositionKind.FINE, decided_on=D(2024, 3, 2),
                                 amount="500.005")
    with pytest.raises(ValidationError, match="行政拘留天数应为1至20日"):
        b.dispose(offender, DispositionKind.ADMIN_DETENTION, D(2024, 3, 2), days=25)
    with pytest.raises(ValidationError, match="不能早于受案日期"):
        b.dispose(offender, DispositionKind.WARNING, D(2024, 2, 2))
    fine = b.dispose(offender, DispositionKind.FINE, D(2024, 3, 2), amount="500.5")
    assert fine.amount == decimal.Decimal("500.50")


def test_suspects_and_offenders_need_a_valid_id_number():
    case = b.case()
    with pytest.raises(ValidationError) as exc:
        b.party(case, PartyRole.SUSPECT, b.person(number=""))
    assert "犯罪嫌疑人、违法行为人须录入身份证号码" in exc.value.messages[0]
    bad = b.id_number()[:-1] + ("0" if b.id_number()[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="身份证号码校验位错误"):
        b.party(case, PartyRole.SUSPECT, b.person(number=bad))
    victim = b.party(case, PartyRole.VICTIM, b.person("王五", number=""))
    assert victim.person.id_number is None


def test_one_person_across_cases_is_one_row_identified_by_the_id_number():
    number = b.id_number()
    first = b.party(b.case(), PartyRole.SUSPECT, b.person("赵六", number))
    second = b.party(b.case(accepted=D(2024, 5, 1)), PartyRole.SUSPECT, b.person("赵六", number, phone="13800001111"))
    assert first.person_id == second.person_id
    assert Person.objects.get(pk=first.person_id).phone == "13800001111"
    with pytest.raises(ValidationError, match="与填写的姓名不一致"):
        b.party(b.case(), PartyRole.SUSPECT, b.person("钱七", number))
    with pytest.raises(ValidationError, match="已在本案中登记"):
        b.party(first.case, PartyRole.WITNESS, b.person("赵六", number))


def test_a_name_mismatch_does_not_reveal_a_person_outside_the_actors_scope(persona):
    number = b.id_number()
    b.party(b.case(code=b.SIBLING_TOWNSHIP_VILLAGE), PartyRole.SUSPECT, b.person("孙八", number))
    chief = persona("station_chief")
    own = b.case(code=b.VILLAGE)
    with pytest.raises(ValidationError) as exc:
        services.party_add(actor=chief, case=own, person=b.person("周九", number), role=PartyRole.SUSPECT)
    assert "孙八" not in str(exc.value) and "请核对" in str(exc.value)


def test_recoveries_may_not_exceed_the_losses_recorded():
    case = b.case(cat="fraud_telecom")
    services.loss_add(actor=None, case=case, item="被骗资金", value=decimal.Decimal("10000.00"))
    services.recovery_add(actor=None, case=case, recovered_on=D(2024, 3, 5), amount="6000.00")
    with pytest.raises(ValidationError, match="将超过本案损失总额10000.00元"):
        services.recovery_add(actor=None, case=case, recovered_on=D(2024, 3, 6), amount="4000.01")
    services.recovery_add(actor=None, case=case, recovered_on=D(2024, 3, 6), amount="4000.00")
    assert services.recovered_total(case) == decimal.Decimal("10000.00")


def test_case_numbers_are_unique_and_generated_per_kind_banner_and_year():
    a = b.case()
    c = b.case(kind=CaseKind.ADMINISTRATIVE, cat="porn")
    assert a.number.startswith("A1508242024") and c.number.startswith("B1508242024")
    with pytest.raises(ValidationError, match=f"案件编号{a.number}已存在"):
        b.case(number=a.number)


def test_a_top_category_with_kinds_needs_a_kind():
    with pytest.raises(ValidationError, match="请选择盗窃的具体类别：入户盗窃、盗窃牲畜家禽、盗窃农作物、其他盗窃"):
        b.case(cat="theft")


def test_a_station_chief_cannot_register_a_case_outside_the_township(persona):
    with pytest.raises(NotVisible):
        b.case(code=b.SIBLING_TOWNSHIP_VILLAGE, actor=persona("station_chief"))
    case = b.case(actor=persona("station_chief"))
    assert case.created_by.username == "station_chief"


def test_every_write_is_audited_with_masked_personal_data(persona):
    chief = persona("station_chief")
    case = b.case(actor=chief, kind=CaseKind.ADMINISTRATIVE, cat="porn")
    number = b.id_number()
    party = services.party_add(actor=chief, case=case, person=b.person("吴十", number), role=PartyRole.OFFENDER)
    services.disposition_add(actor=chief, party=party, kind=DispositionKind.WARNING, decided_on=D(2024, 3, 1))
    services.case_transition(actor=chief, case=case, status=S.INQUIRY, on=D(2024, 3, 1))
    rows = AuditLog.objects.filter(actor_login="station_chief")
    assert {r.object_type for r in rows} >= {"cases.Case", "cases.Person", "cases.CaseParty", "cases.Disposition"}
    person_row = rows.get(object_type="cases.Person")
    assert person_row.action == AuditAction.CREATE
    assert person_row.after["id_number"] != number and person_row.after["id_number"].endswith(number[-4:])
    assert "13912345678" not in str(person_row.after)


# ---- incidents ----------------------------------------------------------------------------

def _incident(status: str, code: str = b.VILLAGE):
    from django.utils import timezone

    from pingan.incidents.models import Incident, IncidentCategory, IncidentEvent

    at = timezone.make_aware(dt.datetime(2024, 2, 28, 22, 0))
    incident = Incident.objects.create(number=f"J{status}{Incident.objects.count()}", banner=b.area(b.BANNER),
                                       area=b.area(code), received_at=at, category=IncidentCategory.objects.get(
                                           name="盗窃牲畜"), content="羊被偷了", status=status)
    IncidentEvent.objects.create(incident=incident, status=status, at=at)
    return incident


def test_a_case_opened_from_an_incident_on_scene_moves_it_to_to_case():
    incident = _incident("on_scene")
    case = b.case(incidents=[incident])
    incident.refresh_from_db()
    assert incident.status == "to_case"
    event = incident.events.order_by("-at").first()
    assert event.status == "to_case" and case.number in event.note
    assert list(case.incidents.all()) == [incident]


def test_an_incident_whose_trail_does_not_allow_to_case_is_only_linked():
    incident = _incident("received")
    case = b.case(incidents=[incident])
    incident.refresh_from_db()
    assert incident.status == "received" and case.incidents.filter(pk=incident.pk).exists()


def test_an_incident_outside_the_actors_scope_cannot_be_linked(persona):
    incident = _incident("on_scene", code=b.SIBLING_TOWNSHIP_VILLAGE)
    with pytest.raises(NotVisible):
        b.case(incidents=[incident], actor=persona("station_chief"))
    assert not Case.objects.exists()


# ---- campaigns and operations -------------------------------------------------------------

def test_a_case_is_tagged_to_a_campaign_only_within_its_period():
    campaign = b.campaign(start=D(2024, 6, 1), end=D(2024, 8, 31))
    with pytest.raises(ValidationError, match="不在“测试专项行动”的行动期间"):
        b.case(campaigns=[campaign])
    assert b.case(accepted=D(2024, 6, 2), campaigns=[campaign]).campaigns.get() == campaign


def test_inspections_and_seizures_must_fall_in_the_campaign():
    campaign = b.campaign(code=b.TOWNSHIP)
    with pytest.raises(ValidationError, match="日期不在行动期间"):
        services.inspection_add(actor=None, campaign=campaign, area=b.area(b.VILLAGE), place="某宾馆",
                                place_kind="hotel", inspected_on=D(2024, 2, 1))
    with pytest.raises(ValidationError, match="所在地不在行动范围"):
        services.seizure_add(actor=None, campaign=campaign, area=b.area(b.SIBLING_TOWNSHIP_VILLAGE), item_kind="gun",
                             quantity=1, seized_on=D(2024, 4, 1))
    with pytest.raises(ValidationError, match="数量应为大于0的数字"):
        services.seizure_add(actor=None, campaign=campaign, area=b.area(b.VILLAGE), item_kind="gun", quantity=0,
                             seized_on=D(2024, 4, 1))


def test_a_station_chief_cannot_change_the_banner_campaign_but_can_their_own(persona):
    chief = persona("station_chief")
    banner = b.campaign()
    with pytest.raises(NotVisible):
        services.campaign_update(actor=chief, campaign=banner, name="改名", kind="clearance", start=banner.start,
                                 end=banner.end)
    own = services.campaign_create(actor=chief, name="海流图镇清查", kind="other", area=b.area(b.TOWNSHIP),
                                   start=D(2024, 3, 1), end=D(2024, 3, 31))
    services.campaign_update(actor=chief, campaign=own, name="海流图镇出租房屋清查", kind="other", start=own.start,
                             end=own.end)
    own.refresh_from_db()
    assert own.name == "海流图镇出租房屋清查"
    with pytest.raises(NotVisible):
        services.campaign_create(actor=chief, name="全旗行动", kind="other", area=b.area(b.BANNER),
                                 start=D(2024, 3, 1), end=D(2024, 3, 31))


def test_an_operation_links_only_theft_cases_of_its_area_and_each_case_once():
    theft = b.case()
    other = b.case(cat="porn")
    op = b.operation([theft])
    theft.refresh_from_db()
    assert theft.operation == op
    with pytest.raises(ValidationError, match="不是盗窃案件"):
        services.operation_add_case(actor=None, operation=op, case=other)
    second = b.operation(name="另一次作战")
    with pytest.raises(ValidationError, match="已串并到其他合成作战"):
        services.operation_add_case(actor=None, operation=second, case=theft)
    township_op = b.operation(code=b.SIBLING_TOWNSHIP, name="乌加河作战")
    with pytest.raises(ValidationError, match="不在本次作战的辖区"):
        services.operation_add_case(actor=None, operation=township_op, case=b.case())


def test_series_candidates_share_method_goods_and_place():
    from pingan.cases import selectors

    ref = b.case(method="night_herd", goods="sheep")
    same = b.case(code=b.SIBLING_VILLAGE, method="night_herd", goods="sheep", accepted=D(2024, 3, 20))
    b.case(code=b.SIBLING_TOWNSHIP_VILLAGE, method="night_herd", goods="sheep", accepted=D(2024, 4, 2),
           title="乌加河同手段同物品")
    b.case(method="pry_lock", goods="cash", title="同乡镇不同手段")
    b.case(method="night_herd", goods="sheep", accepted=D(2024, 12, 1), title="时间太远")
    found = selectors.series_candidates(None, case=ref)
    titles = [c.case.title for c in found]
    assert found[0].case == same and found[0].score == 5
    assert "乌加河同手段同物品" in titles
    assert "同乡镇不同手段" not in titles and "时间太远" not in titles
    assert "作案手段相同（夜间驱赶(牲畜)）" in found[0].reasons
