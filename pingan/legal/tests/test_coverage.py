import datetime as dt

import pytest

from pingan.areas.models import AreaKind
from pingan.legal import selectors, services
from pingan.legal.models import Status
from pingan.legal.tests import helpers as h
from pingan.reports.registry import ReportContext, compute_all

pytestmark = pytest.mark.django_db

YEAR_END = dt.date(2024, 12, 31)


@pytest.fixture
def quotas():
    banner = h.area(h.BANNER)
    services.quota_set(actor=None, banner=banner, unit_kind=AreaKind.COMMUNITY, quota=5)
    services.quota_set(actor=None, banner=banner, unit_kind=AreaKind.GACHA, quota=3)
    return banner


def test_coverage_counts_selected_persons_against_the_quota_of_each_unit_kind(quotas):
    for name in ("甲", "乙", "丙"):
        h.legal_person(h.GACHA, name=f"巴特尔{name}")
    h.legal_person(h.GACHA_2, name="苏和", serve=False)  # in training: selected, counts
    h.nominate(code=h.GACHA_2, name="候选人")  # a candidate does not count
    left = h.legal_person(h.GACHA_2, name="已退出")
    services.person_transition(actor=None, person=left, to_status=Status.EXITED, on=dt.date(2024, 6, 1), reason="迁居")
    for i in range(4):
        h.legal_person(h.COMMUNITY, name=f"社区{i}")

    cov = selectors.coverage(None, h.area(h.TOWNSHIP), YEAR_END)
    rows = {r.village.code: r for r in cov.rows}
    assert (rows[h.GACHA].count, rows[h.GACHA].quota, rows[h.GACHA].meets) == (3, 3, True)
    assert (rows[h.GACHA_2].count, rows[h.GACHA_2].shortfall) == (1, 2)
    assert (rows[h.COMMUNITY].count, rows[h.COMMUNITY].quota, rows[h.COMMUNITY].shortfall) == (4, 5, 1)
    assert len(cov.rows) == 8 and len(cov.meeting) == 1 and cov.persons == 8
    by_kind = {k["kind"]: k for k in cov.by_kind()}
    assert by_kind["社区(居委会)"]["shortfall"] == 5 * 5 - 4 and by_kind["嘎查"]["meeting"] == 1

    # Before the exit the one who left still counted.
    assert {r.village.code: r.count for r in selectors.coverage(None, h.area(h.TOWNSHIP), dt.date(2024, 5, 1)).rows
            }[h.GACHA_2] == 2

    values = compute_all(ReportContext(quotas, 2024))
    assert values["legal.persons_total"] == 8
    assert values["legal.gachas_meeting_quota"] == 1 and values["legal.communities_meeting_quota"] == 0


def test_units_above_quota_meet_it_and_a_missing_quota_meets_nothing():
    banner = h.area(h.BANNER)
    for name in ("一", "二", "三", "四"):
        h.legal_person(h.GACHA, name=f"那顺{name}")
    assert not selectors.units_meeting_quota(None, banner, AreaKind.GACHA, YEAR_END).exists()
    services.quota_set(actor=None, banner=banner, unit_kind=AreaKind.GACHA, quota=3)
    met = list(selectors.units_meeting_quota(None, banner, AreaKind.GACHA, YEAR_END))
    assert [(a.code, a.legal_persons_n, a.legal_quota) for a in met] == [(h.GACHA, 4, 3)]


def test_a_township_office_sees_only_its_own_townships_coverage(quotas):
    h.legal_person(h.GACHA, name="本所")
    h.legal_person(h.SIBLING_GACHA, name="邻所")
    office = h.office_user()
    cov = selectors.coverage(office, h.area(h.BANNER), YEAR_END)
    assert {r.township.code for r in cov.rows} == {h.TOWNSHIP}
    assert cov.persons == 1
    values = compute_all(ReportContext(quotas, 2024, actor=office))
    assert values["legal.persons_total"] == 1


def test_the_summary_words_the_figures_as_the_article_does(quotas):
    h.legal_person(h.GACHA, name="甲")
    text = "\n".join(_summary(quotas))
    assert "共选树培育“法律明白人”1人" in text
    assert "尚有9个社区、40个嘎查未达定额" in text


def _summary(banner):
    from pingan.legal.indicators import _summary
    ctx = ReportContext(banner, 2024)
    return _summary(ctx, compute_all(ctx))
