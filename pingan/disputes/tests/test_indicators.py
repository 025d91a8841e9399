"""The report indicators are computed from the individual disputes, visits and hazards of the year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from pingan.disputes import services
from pingan.disputes.models import Dispute, DisputeStatus, Hazard, HazardStatus, Visit
from pingan.disputes.tests import builders as b
from pingan.reports.registry import ReportContext, indicator, programmes
from pingan.testing.factories import area

pytestmark = pytest.mark.django_db
S = DisputeStatus


def at(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d, 10, 0))


def value(code, actor=None, year=2024):
    return indicator(code).compute(ReportContext(banner=area(b.BANNER), year=year, actor=actor))


def registered(when, *, at_code=b.VILLAGE, title="纠纷", **kw):
    return services.dispute_register(actor=None, area=area(at_code), title=title, kind="邻里", source="walk_in",
                                     parties=[b.party()], registered_at=when, **kw)


def closed(d, when, result="success"):
    Dispute.objects.filter(pk=d.pk).update(status=S.CLOSED, closed_at=when, result=result)


def test_the_policing_programme_is_there():
    assert "policing" in {p.code for p in programmes()}


def test_registered_resolved_and_success_rate():
    a = registered(at(2024, 3, 1))
    c = registered(at(2024, 6, 1))
    d = registered(at(2024, 7, 1))
    registered(at(2024, 8, 1))  # still open, no result
    registered(at(2023, 12, 30))  # another year
    closed(a, at(2024, 3, 10))
    closed(c, at(2024, 6, 20), result="litigation")
    closed(d, at(2024, 7, 5))
    assert value("disputes.registered") == 4
    assert value("disputes.resolved") == 2
    assert value("disputes.success_rate_pct") == Decimal("66.7")


def test_overdue_counts_late_closures_and_open_past_deadline_at_year_end():
    on_time = registered(at(2024, 3, 1))  # blue: deadline 3-31
    late = registered(at(2024, 3, 1))
    still_open = registered(at(2024, 11, 1))  # deadline 12-01, open at year end
    not_yet = registered(at(2024, 12, 20))  # deadline 2025-01-19: not overdue at year end
    closed(on_time, at(2024, 3, 20))
    closed(late, at(2024, 4, 15))
    rows = set(indicator("disputes.overdue").scoped_records(ReportContext(area(b.BANNER), 2024)))
    assert rows == {late, still_open}
    assert not_yet not in rows


def test_by_risk_level_follows_the_current_level():
    registered(at(2024, 5, 1), title="扬言同归于尽")
    registered(at(2024, 5, 2), title="扬言报复")
    registered(at(2024, 5, 3))
    assert [value(f"disputes.by_risk_{c}") for c in ("red", "orange", "yellow", "blue")] == [1, 1, 0, 1]


def test_visits_and_hazards_found_and_rectified():
    member = b.mediator()
    for day in (dt.date(2024, 2, 1), dt.date(2024, 9, 1), dt.date(2023, 9, 1)):
        services.visit_log(actor=None, area=b.village(), place_kind="企业", place_name="某企业", team=[member],
                           visited_on=day, hazard=services.HazardIn(category="消防", description="通道堵塞"))
    Hazard.objects.filter(found_on=dt.date(2024, 2, 1)).update(status=HazardStatus.RECTIFIED,
                                                               rectified_on=dt.date(2024, 2, 20))
    assert Visit.objects.count() == 3
    assert value("visits.total") == 2
    assert value("hazards.found") == 2
    assert value("hazards.rectified") == 1


def test_a_reader_gets_figures_of_their_own_scope_only(persona):
    registered(at(2024, 5, 1))
    registered(at(2024, 5, 1), at_code=b.SIBLING_VILLAGE)
    assert value("disputes.registered") == 2
    assert value("disputes.registered", actor=persona("village_officer")) == 1
    assert value("disputes.registered", actor=persona("prosecutor")) == 0
