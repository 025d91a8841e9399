"""The 林草湖警长 figures are computed from records: zones in force at year end, areas in 亩, people
on chains counted once, patrols, actions and cases by their dates in the year."""

import datetime as dt
import decimal

import pytest

from pingan.areas.models import Area
from pingan.ecology import services
from pingan.ecology.models import FindingKind, Zone
from pingan.ecology.tests import builders as b
from pingan.reports.registry import ReportContext, compute_all, indicator
from pingan.reports.text import report_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx():
    return ReportContext(Area.objects.get(code=b.BANNER), 2024)


def value(code, ctx):
    return indicator(code).compute(ctx)


def test_zones_are_those_in_force_at_year_end(ctx):
    b.zone(name="在册", established_on=dt.date(2022, 1, 1))
    b.zone(name="2024年新设", established_on=dt.date(2024, 3, 1))
    ended = b.zone(name="2023年撤销", established_on=dt.date(2021, 1, 1))
    Zone.objects.filter(pk=ended.pk).update(ended_on=dt.date(2023, 6, 30))
    Zone.objects.create(name="2025年新设", kind="林", area=Area.objects.get(code=b.VILLAGE), size=10,
                        established_on=dt.date(2025, 4, 1))
    assert value("ecology.zones", ctx) == 2
    assert value("ecology.zones_added", ctx) == 1
    assert {z.name for z in indicator("ecology.zones").scoped_records(ctx)} == {"在册", "2024年新设"}


def test_the_area_adds_hectares_as_fifteen_mu(ctx):
    b.zone(size="1000", unit="亩")
    b.zone(size="200.5", unit="公顷")
    assert value("ecology.zone_area_mu", ctx) == decimal.Decimal("4007.50")


def test_a_person_on_two_chains_is_one_person(ctx):
    z1, z2 = b.zone(name="本村草原"), b.zone(name="本村林地")
    b.full_chain(z1)
    chief = z1.keepers.get(level=1).staff
    services.keeper_add(actor=None, zone=z2, level=1, staff=chief, start=b.START)
    services.keeper_add(actor=None, zone=z2, level=4, name="护林员丁", phone="13947800001", start=b.START)
    services.keeper_add(actor=None, zone=z2, level=4, name="护林员戊", phone="13947800009", start=b.START)
    assert value("ecology.keepers", ctx) == 5  # 旗级警长, 所长, 辅警, 护林员丁 (both zones), 护林员戊
    assert value("ecology.guards", ctx) == 2
    assert value("ecology.complete_chains", ctx) == 1


def test_patrols_findings_and_actions_count_by_their_dates(ctx):
    z = b.zone(established_on=dt.date(2023, 1, 1))
    for on, kind in ((dt.date(2023, 12, 30), FindingKind.NONE), (dt.date(2024, 1, 2), FindingKind.NONE),
                     (dt.date(2024, 5, 2), FindingKind.GRAZING), (dt.date(2024, 12, 31), FindingKind.NONE)):
        services.patrol_log(actor=None, zone=z, patrolled_on=on, others_count=1, finding_kind=kind,
                            findings="巡护" if kind == FindingKind.NONE else "偷牧")
    for on in (dt.date(2023, 11, 1), dt.date(2024, 4, 1), dt.date(2024, 9, 1)):
        services.joint_action_record(actor=None, zone=z, acted_on=on, title="联合检查", findings="无",
                                     agencies=[b.partner(), b.partner("乌拉特中旗水务局")] if on.month == 9 else [b.partner()])
    assert value("ecology.patrols", ctx) == 3
    assert value("ecology.patrol_findings", ctx) == 1
    assert value("ecology.joint_actions", ctx) == 2
    assert value("ecology.joint_agencies", ctx) == 2


def test_a_case_counts_once_by_its_acceptance_date(ctx):
    z1 = b.zone(b.VILLAGE, name="本村草原")
    z2 = b.zone(b.VILLAGE, b.SIBLING_VILLAGE, name="本镇草原")
    action = services.joint_action_record(actor=None, zone=z1, acted_on=dt.date(2024, 5, 1), title="联合检查",
                                          agencies=[b.partner()], findings="发现开垦")
    case = b.eco_case(accepted_on=dt.date(2024, 5, 3))
    services.eco_case_link(actor=None, zone=z1, case=case, joint_action=action)
    services.eco_case_link(actor=None, zone=z2, case=case)  # the same case in an overlapping zone
    services.eco_case_link(actor=None, zone=z1, case=b.eco_case(accepted_on=dt.date(2023, 12, 20)))
    assert value("ecology.cases", ctx) == 1
    assert value("ecology.joint_cases", ctx) == 1


def test_a_station_chief_reads_the_figures_of_their_township(persona):
    b.zone(b.VILLAGE, name="本村")
    b.zone(b.OTHER_TOWNSHIP_VILLAGE, name="外镇")
    own = ReportContext(Area.objects.get(code=b.BANNER), 2024, actor=persona("station_chief"))
    assert value("ecology.zones", own) == 1


def test_the_summary_reads_as_a_bureau_writes_it(ctx):
    z = b.zone(kind="草", size="3000", unit="公顷")
    b.zone(kind="沙", name="沙地", size="5000", unit="亩")
    b.full_chain(z)
    services.patrol_log(actor=None, zone=z, patrolled_on=dt.date(2024, 5, 2), others_count=1)
    services.joint_action_record(actor=None, zone=z, acted_on=dt.date(2024, 4, 1), title="联合检查", findings="无",
                                 agencies=[b.partner("乌拉特中旗林业和草原局")])
    text = report_text(ctx, compute_all(ctx))
    assert "建立“林草湖警长”制度" not in text  # the wording is the programme's own, from the records
    assert "划定生态保护责任区2个（草1个、沙1个），面积合计5.00万亩" in text
    assert "1个责任区责任链完整" in text
    assert "开展联合执法1次" in text and "林草局" in text
    assert "“山有人管、林有人护、案有人查、责有人担”" in text
