"""The rules of 林草湖警长: where a zone hangs, who may stand on its chain, what a patrol, a joint
action and a case link must satisfy — each refusal with its reason in Chinese, each write audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pingan.core.models import AuditAction, AuditLog
from pingan.ecology import services
from pingan.ecology.models import EcoCase, FindingKind, Keeper, KeeperLevel, Patrol, Zone
from pingan.ecology.tests import builders as b
from pingan.org.models import StaffCategory

pytestmark = pytest.mark.django_db


def messages(exc) -> str:
    return "；".join(exc.value.messages)


# ---- zones ----------------------------------------------------------------------------------


def test_a_zone_on_one_village_hangs_on_that_village():
    assert b.zone(b.VILLAGE).area.code == b.VILLAGE


def test_a_zone_on_two_villages_hangs_on_their_township():
    assert b.zone(b.VILLAGE, b.SIBLING_VILLAGE).area.code == b.TOWNSHIP


def test_a_zone_across_townships_hangs_on_the_banner():
    assert b.zone(b.VILLAGE, b.OTHER_TOWNSHIP_VILLAGE).area.code == b.BANNER


def test_a_zone_cannot_cross_banners():
    with pytest.raises(ValidationError) as exc:
        b.zone(b.VILLAGE, "152922103200")
    assert "不能跨旗县" in messages(exc)


def test_a_zone_covers_only_townships_and_villages():
    with pytest.raises(ValidationError) as exc:
        b.zone(b.BANNER)
    assert "只能选择乡镇(苏木)或村(嘎查、社区)一级" in messages(exc)


def test_a_station_chief_cannot_put_the_next_township_in_a_zone(persona):
    with pytest.raises(ValidationError) as exc:
        b.zone(b.VILLAGE, b.OTHER_TOWNSHIP_VILLAGE, actor=persona("station_chief"))
    assert "超出您的辖区范围：双荣村" in messages(exc)


def test_a_zone_with_a_bad_boundary_is_refused_with_the_reason():
    with pytest.raises(ValidationError) as exc:
        b.zone(geometry='{"type":"Polygon","coordinates":[[[108,41],[109,41],[109,42],[108,42]]]}')
    assert "范围(GeoJSON)有误" in messages(exc) and "须闭合" in messages(exc)
    assert not Zone.objects.exists()


def test_a_zone_needs_a_positive_size_and_a_known_kind():
    with pytest.raises(ValidationError) as exc:
        b.zone(size="0", kind="海")
    assert "面积应大于0" in messages(exc) and "类型应为山、水、林、田、湖、草、沙之一" in messages(exc)


def test_a_zone_in_hectares_is_counted_in_mu():
    z = b.zone(size="120.5", unit="公顷")
    assert z.size_mu == pytest.approx(1807.5) and z.size_text == "120.5公顷"


def test_creating_a_zone_is_audited_with_its_places(persona):
    z = b.zone(b.VILLAGE, b.SIBLING_VILLAGE, actor=persona("station_chief"))
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_type="ecology.Zone", object_id=str(z.pk))
    assert row.actor_login == "station_chief" and row.after["places"] == [b.VILLAGE, b.SIBLING_VILLAGE]


def test_the_same_name_twice_in_one_place_is_refused():
    b.zone(name="城郊草原责任区")
    with pytest.raises(ValidationError) as exc:
        b.zone(name="城郊草原责任区")
    assert "已有名为“城郊草原责任区”的责任区" in messages(exc)


def test_a_zone_cannot_be_set_up_after_its_first_patrol():
    z = b.zone(established_on=dt.date(2023, 1, 1))
    services.patrol_log(actor=None, zone=z, patrolled_on=dt.date(2023, 3, 1), others_count=2)
    with pytest.raises(ValidationError) as exc:
        services.zone_update(actor=None, zone=z, name=z.name, kind=z.kind, places=list(z.places.all()), size=z.size,
                             size_unit=z.size_unit, established_on=dt.date(2023, 6, 1))
    assert "2023-03-01已有巡护或执法记录" in messages(exc)


# ---- the chain ------------------------------------------------------------------------------


def test_a_full_chain_makes_the_zone_complete():
    z = b.zone()
    assert Zone.objects.with_incomplete_chain().filter(pk=z.pk).exists()
    b.full_chain(z)
    assert Zone.objects.with_complete_chain().filter(pk=z.pk).exists()


@pytest.mark.parametrize("level", [KeeperLevel.BANNER, KeeperLevel.STATION, KeeperLevel.VILLAGE])
def test_the_police_levels_must_come_from_the_staff_register(level):
    with pytest.raises(ValidationError) as exc:
        services.keeper_add(actor=None, zone=b.zone(), level=level, name="张三", phone="13900000000")
    assert "须从人员台账中选择民警、辅警" in messages(exc)


def test_an_auxiliary_cannot_be_the_station_chief_of_a_zone():
    aux = b.officer(StaffCategory.AUXILIARY, at=b.VILLAGE)
    with pytest.raises(ValidationError) as exc:
        services.keeper_add(actor=None, zone=b.zone(), level=KeeperLevel.STATION, staff=aux)
    assert "不能担任本责任区的派出所所长" in messages(exc)


def test_a_village_officer_of_another_township_cannot_stand_on_the_chain():
    stranger = b.officer(StaffCategory.AUXILIARY, at=b.OTHER_TOWNSHIP_VILLAGE)
    with pytest.raises(ValidationError):
        services.keeper_add(actor=None, zone=b.zone(b.VILLAGE), level=KeeperLevel.VILLAGE, staff=stranger)


def test_a_ranger_not_on_the_register_needs_a_name_and_a_phone():
    z = b.zone()
    with pytest.raises(ValidationError) as exc:
        services.keeper_add(actor=None, zone=z, level=KeeperLevel.GUARD, name="王五", phone="123")
    assert "请填写联系电话" in messages(exc)
    keeper = services.keeper_add(actor=None, zone=z, level=KeeperLevel.GUARD, name="王五", phone="+86 139-4780-0002")
    assert keeper.phone == "13947800002" and keeper.phone_masked == "139****0002"


def test_the_same_person_is_not_put_twice_on_one_chain():
    z = b.zone()
    services.keeper_add(actor=None, zone=z, level=KeeperLevel.GUARD, name="王五", phone="13947800002")
    with pytest.raises(ValidationError) as exc:
        services.keeper_add(actor=None, zone=z, level=KeeperLevel.GUARD, name="王五", phone="13947800002")
    assert "已在本责任区的责任链上" in messages(exc)


def test_the_audit_row_of_a_keeper_masks_the_phone():
    keeper = services.keeper_add(actor=None, zone=b.zone(), level=KeeperLevel.GUARD, name="王五", phone="13947800002")
    row = AuditLog.objects.get(object_type="ecology.Keeper", object_id=str(keeper.pk))
    assert row.after["phone"] == "139****0002"


def test_a_keeper_taken_off_leaves_a_gap_and_the_history():
    z = b.zone(established_on=dt.date(2023, 1, 1))
    chain = b.full_chain(z, start=dt.date(2023, 1, 1))
    services.keeper_end(actor=None, keeper=chain[3], end=dt.date(2024, 6, 30))
    assert Zone.objects.with_complete_chain(dt.date(2024, 6, 30)).filter(pk=z.pk).exists()
    assert Zone.objects.with_incomplete_chain(dt.date(2024, 7, 1)).filter(pk=z.pk).exists()
    with pytest.raises(ValidationError):
        services.keeper_end(actor=None, keeper=Keeper.objects.get(pk=chain[3].pk))


# ---- patrols --------------------------------------------------------------------------------


def test_a_patrol_records_the_people_of_the_chain():
    z = b.zone()
    chain = b.full_chain(z)
    p = services.patrol_log(actor=None, zone=z, patrolled_on=dt.date(2024, 5, 2), people=chain[2:],
                            finding_kind=FindingKind.GRAZING, findings="禁牧期发现羊群约80只", others_count=1)
    assert set(p.people.all()) == set(chain[2:]) and p.found_problem


def test_a_patrol_with_someone_off_the_chain_that_day_is_refused():
    z = b.zone()
    chain = b.full_chain(z, start=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError) as exc:
        services.patrol_log(actor=None, zone=z, patrolled_on=dt.date(2024, 5, 2), people=chain[3:])
    assert "护林员丁在巡护当日不在本责任区的责任链上" in messages(exc)


def test_a_patrol_before_the_zone_was_set_up_or_in_the_future_is_refused():
    z = b.zone(established_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.patrol_log(actor=None, zone=z, patrolled_on=dt.date(2023, 12, 31), others_count=1)
    assert "早于责任区设立日期" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.patrol_log(actor=None, zone=z, patrolled_on=dt.date.today() + dt.timedelta(days=3), others_count=1)
    assert "不能晚于今天" in messages(exc)


def test_a_finding_needs_its_description_and_a_patrol_needs_someone():
    z = b.zone()
    with pytest.raises(ValidationError) as exc:
        services.patrol_log(actor=None, zone=z, patrolled_on=dt.date(2024, 5, 2), finding_kind=FindingKind.LOGGING)
    assert "发现问题时须填写巡护情况" in messages(exc) and "请选择巡护人员或填写其他参加人数" in messages(exc)
    assert not Patrol.objects.exists()


# ---- joint actions --------------------------------------------------------------------------


def test_a_joint_action_is_with_the_banners_administrative_agencies():
    z = b.zone()
    action = services.joint_action_record(actor=None, zone=z, acted_on=dt.date(2024, 4, 9), title="春季禁牧联合检查",
                                          agencies=[b.partner(), b.partner("乌拉特中旗自然资源局")], findings="偷牧2起")
    assert action.agencies.count() == 2


def test_a_police_station_or_another_banners_agency_is_not_a_partner():
    from pingan.org.models import Agency, AgencyKind
    from pingan.testing.factories import area

    elsewhere = Agency.objects.create(name="阿拉善右旗林草局", kind=AgencyKind.ADMIN_AGENCY, area=area("152922000000"))
    with pytest.raises(ValidationError) as exc:
        services.joint_action_record(actor=None, zone=b.zone(), acted_on=dt.date(2024, 4, 9), title="联合检查",
                                     agencies=[elsewhere, b.station()], findings="无")
    assert "不是本责任区所在旗县(盟市)的行政机关" in messages(exc)


# ---- ecological cases -----------------------------------------------------------------------


def test_an_ecological_case_links_to_the_zone_and_the_action_that_opened_it():
    z = b.zone()
    action = services.joint_action_record(actor=None, zone=z, acted_on=dt.date(2024, 5, 1), title="打击非法开垦",
                                          agencies=[b.partner()], findings="发现开垦1处")
    link = services.eco_case_link(actor=None, zone=z, case=b.eco_case(accepted_on=dt.date(2024, 5, 3)),
                                  joint_action=action)
    assert link.source == "联合执法" and list(action.eco_cases.all()) == [link]


def test_a_case_of_another_category_is_not_an_ecological_case():
    with pytest.raises(ValidationError) as exc:
        services.eco_case_link(actor=None, zone=b.zone(), case=b.eco_case(code="theft_livestock"))
    assert "不是生态环境案件" in messages(exc)


def test_a_case_elsewhere_is_not_linked_to_the_zone():
    with pytest.raises(ValidationError) as exc:
        services.eco_case_link(actor=None, zone=b.zone(b.VILLAGE), case=b.eco_case(at=b.SIBLING_VILLAGE))
    assert "不在责任区" in messages(exc)


def test_a_case_accepted_before_the_action_was_not_opened_by_it():
    z = b.zone()
    action = services.joint_action_record(actor=None, zone=z, acted_on=dt.date(2024, 5, 10), title="联合检查",
                                          agencies=[b.partner()], findings="无")
    with pytest.raises(ValidationError) as exc:
        services.eco_case_link(actor=None, zone=z, case=b.eco_case(accepted_on=dt.date(2024, 5, 3)),
                               joint_action=action)
    assert "早于联合执法日期" in messages(exc)


def test_a_case_the_actor_cannot_see_is_refused(persona):
    z = b.zone(b.VILLAGE, b.OTHER_TOWNSHIP_VILLAGE)
    hidden = b.eco_case(at=b.OTHER_TOWNSHIP_VILLAGE)
    with pytest.raises(ValidationError) as exc:
        services.eco_case_link(actor=persona("station_chief"), zone=z, case=hidden)
    assert "超出您的辖区范围" in messages(exc)
    assert not EcoCase.objects.exists()


def test_dissolving_a_zone_ends_its_chain_the_same_day():
    z = b.zone(established_on=dt.date(2023, 1, 1))
    b.full_chain(z, start=dt.date(2023, 1, 1))
    services.zone_update(actor=None, zone=z, name=z.name, kind=z.kind, places=list(z.places.all()), size=z.size,
                         size_unit=z.size_unit, established_on=z.established_on, ended_on=dt.date(2024, 6, 30))
    assert set(Keeper.objects.filter(zone=z).values_list("end", flat=True)) == {dt.date(2024, 6, 30)}
    assert not Zone.objects.in_force(dt.date(2024, 7, 1)).filter(pk=z.pk).exists()
