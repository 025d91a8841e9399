"""The counting rules of the report indicators, computed from individual records: persons dealt with
vs person-times, cases accepted vs solved, the year boundaries, and the reader's scope."""

import datetime as dt
import decimal

import pytest

from pingan.cases import services
from pingan.cases.models import CaseKind, CaseStatus, DispositionKind, PartyRole
from pingan.cases.tests import builders as b
from pingan.reports.registry import ReportContext, indicator

pytestmark = pytest.mark.django_db
D = dt.date
S = CaseStatus
K = DispositionKind


def value(code: str, year: int = 2024, actor=None):
    return indicator(code).compute(ReportContext(b.area(b.BANNER), year, actor))


def _gambling(day: D, people, code: str = b.VILLAGE):
    case = b.case(kind=CaseKind.ADMINISTRATIVE, cat="gambling", accepted=day, code=code)
    parties = [b.party(case, PartyRole.OFFENDER, who) for who in people]
    return case, parties


def test_persons_and_person_times_are_different_figures():
    a, b_, c = b.person("赌甲"), b.person("赌乙"), b.person("赌丙")
    case1, (p1a, p1b) = _gambling(D(2024, 3, 1), [a, b_])
    case2, (p2a, p2c) = _gambling(D(2024, 5, 1), [a, c])
    # In case 1, 甲 is detained AND fined: still one person-time in that case.
    b.dispose(p1a, K.ADMIN_DETENTION, D(2024, 3, 2), days=5)
    b.dispose(p1a, K.FINE, D(2024, 3, 2), amount="500")
    b.dispose(p1b, K.WARNING, D(2024, 3, 2))
    b.dispose(p2a, K.FINE, D(2024, 5, 2), amount="1000")
    # 丙 is in case 2 but has no measure: not dealt with.
    assert value("cases.gambling.person_times_dealt") == 3  # 甲 twice (two cases), 乙 once
    assert value("cases.gambling.persons_dealt") == 2  # 甲, 乙
    assert value("cases.gambling.administrative") == 2
    b.dispose(p2c, K.WARNING, D(2024, 5, 2))
    assert (value("cases.gambling.person_times_dealt"), value("cases.gambling.persons_dealt")) == (4, 3)


def test_porn_persons_count_criminal_and_administrative_cases_together_once_per_person():
    organiser = b.person("组织者")
    crim = b.case(cat="porn", accepted=D(2024, 4, 1))
    suspect = b.party(crim, PartyRole.SUSPECT, organiser, caught=D(2024, 4, 2))
    b.dispose(suspect, K.CRIMINAL_DETENTION, D(2024, 4, 2))
    b.dispose(suspect, K.BAIL, D(2024, 5, 1))
    adm = b.case(kind=CaseKind.ADMINISTRATIVE, cat="porn", accepted=D(2024, 7, 1))
    b.dispose(b.party(adm, PartyRole.OFFENDER, organiser), K.ADMIN_DETENTION, D(2024, 7, 2), days=10)
    b.dispose(b.party(adm, PartyRole.OFFENDER), K.FINE, D(2024, 7, 2), amount="500")
    assert value("cases.porn.criminal") == 1 and value("cases.porn.administrative") == 1
    assert value("cases.porn.persons_dealt") == 2
    assert value("cases.porn.person_times_dealt") == 3


def test_the_year_of_a_disposition_decides_when_a_person_is_dealt_with():
    case, (late, early) = _gambling(D(2023, 12, 20), [b.person("跨年"), b.person("去年")])
    b.dispose(early, K.WARNING, D(2023, 12, 31))
    b.dispose(late, K.WARNING, D(2024, 1, 1))
    assert value("cases.gambling.administrative") == 0  # accepted in 2023
    assert value("cases.gambling.administrative", 2023) == 1
    assert value("cases.gambling.person_times_dealt") == 1
    assert value("cases.gambling.person_times_dealt", 2023) == 1


def test_solved_counts_by_the_day_solved_and_suspects_by_the_day_caught():
    thief = b.person("惯偷")
    old = b.case(accepted=D(2023, 12, 15))
    b.party(old, PartyRole.SUSPECT, thief, caught=D(2024, 1, 3))
    b.walk(old, (S.FILED, D(2023, 12, 15)), (S.INVESTIGATING, D(2023, 12, 15)), (S.SOLVED, D(2024, 1, 3)))
    new = b.case(accepted=D(2024, 2, 1), cat="theft_burglary")
    b.party(new, PartyRole.SUSPECT, thief, caught=D(2024, 2, 9))
    b.walk(new, (S.FILED, D(2024, 2, 1)), (S.INVESTIGATING, D(2024, 2, 1)), (S.SOLVED, D(2024, 2, 9)))
    at_large = b.case(accepted=D(2024, 3, 1), cat="theft_crops")
    b.party(at_large, PartyRole.SUSPECT)
    b.walk(at_large, (S.FILED, D(2024, 3, 1)), (S.INVESTIGATING, D(2024, 3, 1)), (S.SOLVED, D(2024, 3, 9)))
    unsolved = b.case(accepted=D(2024, 4, 1))
    b.walk(unsolved, (S.FILED, D(2024, 4, 1)))
    caught_2023 = b.case(accepted=D(2023, 11, 1))
    b.party(caught_2023, PartyRole.SUSPECT, caught=D(2023, 11, 5))
    b.walk(caught_2023, (S.FILED, D(2023, 11, 1)), (S.INVESTIGATING, D(2023, 11, 1)), (S.SOLVED, D(2023, 11, 5)))
    assert value("theft.cases_solved") == 3  # old (solved in 2024), new, at_large
    assert value("theft.accepted") == 3  # new, at_large, unsolved
    assert value("theft.suspects_caught") == 1  # the same thief, twice, counts once; at_large not caught
    assert value("theft.cases_solved", 2023) == 1 and value("theft.suspects_caught", 2023) == 1


def test_fraud_recoveries_count_in_the_year_they_were_made_as_decimal_yuan():
    old = b.case(cat="fraud_telecom", accepted=D(2023, 10, 1))
    services.loss_add(actor=None, case=old, item="被骗资金", value=decimal.Decimal("90000"))
    services.recovery_add(actor=None, case=old, recovered_on=D(2023, 12, 31), amount="40000.00")
    services.recovery_add(actor=None, case=old, recovered_on=D(2024, 1, 2), amount="20000.10")
    new = b.case(cat="fraud_other", accepted=D(2024, 6, 1))
    services.recovery_add(actor=None, case=new, recovered_on=D(2024, 6, 9), amount="1234.56")
    theft = b.case(accepted=D(2024, 6, 1))
    services.recovery_add(actor=None, case=theft, recovered_on=D(2024, 6, 9), amount="999.00")
    got = value("antifraud.recovered_yuan")
    assert got == decimal.Decimal("21234.66") and isinstance(got, decimal.Decimal)
    assert value("theft.recovered_yuan") == decimal.Decimal("999.00")


def test_a_station_chief_reads_only_the_township_in_the_figures(persona):
    _, (own,) = _gambling(D(2024, 3, 1), [b.person("本镇")], code=b.VILLAGE)
    _, (other,) = _gambling(D(2024, 3, 1), [b.person("外镇")], code=b.SIBLING_TOWNSHIP_VILLAGE)
    b.dispose(own, K.WARNING, D(2024, 3, 2))
    b.dispose(other, K.WARNING, D(2024, 3, 2))
    assert value("cases.gambling.person_times_dealt") == 2
    assert value("cases.gambling.person_times_dealt", actor=persona("station_chief")) == 1
    assert value("cases.gambling.administrative", actor=persona("village_officer")) == 1
    assert value("cases.gambling.administrative", actor=persona("justice_clerk")) == 0


def test_campaign_results_count_what_is_tagged_and_visible(persona):
    from pingan.cases import selectors

    campaign = b.campaign(goals=[services.GoalIn("person_times", 4), services.GoalIn("seized", 2, "gun")])
    who = b.person("参赌")
    for code in (b.VILLAGE, b.SIBLING_TOWNSHIP_VILLAGE):
        case, (p,) = _gambling(D(2024, 4, 1), [who], code=code)
        case.campaigns.add(campaign)
        b.dispose(p, K.WARNING, D(2024, 4, 2))
    untagged, (p,) = _gambling(D(2024, 4, 1), [b.person("未标记")])
    b.dispose(p, K.WARNING, D(2024, 4, 2))
    services.seizure_add(actor=None, campaign=campaign, area=b.area(b.VILLAGE), item_kind="gun", quantity=3,
                         seized_on=D(2024, 4, 3))
    services.inspection_add(actor=None, campaign=campaign, area=b.area(b.SIBLING_TOWNSHIP_VILLAGE), place="某宾馆",
                            place_kind="hotel", inspected_on=D(2024, 4, 3), problems=2)
    full = selectors.campaign_results(None, campaign)
    assert (full.cases, full.persons, full.person_times, full.inspections, full.problems) == (2, 1, 2, 1, 2)
    assert full.seized_by_kind["gun"] == 3
    assert [(g.label, g.actual, g.met) for g in full.goals] == [("打击处理(人次)", 2, False), ("收缴枪支(支)", 3, True)]
    mine = selectors.campaign_results(persona("station_chief"), campaign)
    assert (mine.cases, mine.person_times, mine.inspections, mine.partial) == (1, 1, 0, True)
    assert not full.partial


def test_every_indicator_drills_down_to_its_records(client_as):
    from django.urls import reverse

    from pingan.reports.registry import all_indicators

    _, (p,) = _gambling(D(2024, 3, 1), [b.person("下钻")])
    b.dispose(p, K.WARNING, D(2024, 3, 2))
    client = client_as("hq_officer")
    codes = [i.code for i in all_indicators() if i.programme == "cases"]
    assert {"cases.porn.criminal", "theft.suspects_caught", "antifraud.recovered_yuan"} <= set(codes)
    for code in codes:
        response = client.get(reverse("reports:drilldown", args=["150824", 2024, code]))
        assert response.status_code == 200, code
    page = client.get(reverse("reports:drilldown", args=["150824", 2024, "cases.gambling.person_times_dealt"]))
    assert "下钻" in page.content.decode() and "警告" in page.content.decode()
