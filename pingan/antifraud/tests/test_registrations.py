"""The year's app figures: new registrations, the installation rate at the start and end of the
year and its change in percentage points — year boundaries, missing snapshots, population changes,
scope."""

import datetime as dt
from decimal import Decimal

import pytest

from pingan.antifraud.models import RegistrationSnapshot
from pingan.antifraud.selectors import Point, boundaries, registration_year
from pingan.antifraud.tests import builders as b
from pingan.areas.models import Area
from pingan.reports.registry import ReportContext, indicator

pytestmark = pytest.mark.django_db
D = dt.date


def year(points, y=2024):
    return boundaries([Point(i, *p) for i, p in enumerate(points, start=1)], y)


def test_the_year_runs_from_the_last_figures_before_1_january_to_the_last_on_or_before_31_december():
    figures = year([(1, D(2023, 9, 30), 100, 1000), (1, D(2023, 12, 31), 200, 1000),
                    (1, D(2024, 6, 30), 300, 1000), (1, D(2024, 12, 31), 450, 1000), (1, D(2025, 1, 1), 900, 1000)])
    [v] = figures.villages
    assert (v.start.on, v.end.on) == (D(2023, 12, 31), D(2024, 12, 31))
    assert figures.new_registrations == 250
    assert (figures.start_rate, figures.end_rate, figures.change_pp) == (Decimal("20.00"), Decimal("45.00"),
                                                                           Decimal("25.00"))


def test_31_december_counts_for_the_year_it_ends_and_1_january_for_the_next():
    figures = year([(1, D(2023, 12, 31), 100, 1000), (1, D(2024, 1, 1), 150, 1000), (1, D(2024, 12, 31), 300, 1000)])
    assert figures.villages[0].start.on == D(2023, 12, 31)
    assert figures.new_registrations == 200
    assert year([(1, D(2024, 1, 1), 150, 1000), (1, D(2024, 12, 31), 300, 1000)], 2025).new_registrations == 0


def test_a_village_first_counted_during_the_year_starts_from_its_first_figures():
    figures = year([(1, D(2024, 3, 31), 400, 1000), (1, D(2024, 9, 30), 500, 1000), (1, D(2024, 12, 31), 520, 1000)])
    [v] = figures.villages
    assert v.start_in_year and v.start.on == D(2024, 3, 31)
    assert figures.new_registrations == 120


def test_a_village_without_figures_this_year_adds_nothing_but_keeps_its_last_rate():
    figures = year([(1, D(2023, 6, 30), 300, 1000), (2, D(2023, 12, 31), 100, 1000), (2, D(2024, 12, 31), 200, 1000)])
    stale = next(v for v in figures.villages if v.area_id == 1)
    assert stale.stale and stale.new == 0
    assert figures.new_registrations == 100
    # both villages in both rates: (300+100)/2000 → (300+200)/2000
    assert (figures.start_rate, figures.end_rate, figures.change_pp) == (Decimal("20.00"), Decimal("25.00"),
                                                                           Decimal("5.00"))


def test_a_village_with_no_figures_up_to_the_year_end_is_not_in_the_year():
    assert year([(1, D(2025, 3, 31), 300, 1000)]).villages == []
    assert year([]).change_pp == Decimal("0.00") and year([]).start_rate is None


def test_a_changed_population_changes_the_rate_not_the_new_registrations():
    # 400/2000 = 20% at the start; 500/2500 = 20% at the end: 100 new people, rate unchanged
    figures = year([(1, D(2023, 12, 31), 400, 2000), (1, D(2024, 12, 31), 500, 2500)])
    assert figures.new_registrations == 100
    assert figures.change_pp == Decimal("0.00")
    # a smaller base at the end raises the rate with no new registrations
    shrink = year([(1, D(2023, 12, 31), 400, 2000), (1, D(2024, 12, 31), 400, 1600)])
    assert (shrink.new_registrations, shrink.change_pp) == (0, Decimal("5.00"))


def test_the_total_rate_is_the_sum_of_registrations_over_the_sum_of_populations_not_an_average_of_rates():
    figures = year([(1, D(2023, 12, 31), 100, 1000), (1, D(2024, 12, 31), 200, 1000),
                    (2, D(2023, 12, 31), 900, 9000), (2, D(2024, 12, 31), 900, 9000)])
    # village 1: +10 points, village 2: +0; together +100/10000 = +1 point (an average would say +5)
    assert figures.change_pp == Decimal("1.00")


def test_the_change_is_rounded_once_from_the_exact_difference():
    # 1/3 → 2/3 of 3000: +33.333… points → 33.33; the rounded rates 33.33 and 66.67 would give 33.34
    figures = year([(1, D(2023, 12, 31), 1000, 3000), (1, D(2024, 12, 31), 2000, 3000)])
    assert (figures.start_rate, figures.end_rate, figures.change_pp) == (Decimal("33.33"), Decimal("66.67"),
                                                                           Decimal("33.33"))


def test_registrations_that_fall_show_as_a_negative_change():
    figures = year([(1, D(2023, 12, 31), 300, 1000), (1, D(2024, 12, 31), 250, 1000)])
    assert (figures.new_registrations, figures.change_pp) == (-50, Decimal("-5.00"))


def _report(persona=None, y=2024):
    return ReportContext(Area.objects.get(code="150824000000"), y, actor=persona)


def _values(ctx):
    return {code: indicator(f"antifraud.{code}").compute(ctx) for code in
            ("app_new_registrations", "app_install_rate_start_pct", "app_install_rate_end_pct",
             "app_install_rate_change_pp")}


def test_the_indicators_read_the_boundary_snapshots_and_the_reader_sees_only_their_villages(persona):
    b.snap(b.VILLAGE, D(2023, 12, 31), 200)
    b.snap(b.VILLAGE, D(2024, 6, 30), 260)
    b.snap(b.VILLAGE, D(2024, 12, 31), 300)
    b.snap(b.SIBLING_VILLAGE, D(2023, 12, 31), 100)
    b.snap(b.SIBLING_VILLAGE, D(2024, 12, 31), 150)
    b.snap(b.OTHER_TOWNSHIP_VILLAGE, D(2024, 3, 31), 500, population=2000)
    b.snap(b.OTHER_TOWNSHIP_VILLAGE, D(2024, 12, 31), 700, population=2000)

    whole = _values(_report())
    assert whole["app_new_registrations"] == 100 + 50 + 200
    assert whole["app_install_rate_start_pct"] == Decimal("20.00")  # 800 / 4000
    assert whole["app_install_rate_end_pct"] == Decimal("28.75")  # 1150 / 4000
    assert whole["app_install_rate_change_pp"] == Decimal("8.75")
    drill = indicator("antifraud.app_new_registrations").scoped_records(_report())
    assert drill.count() == 6  # start and end of each village, not the mid-year figures
    assert not drill.filter(on=D(2024, 6, 30)).exists()

    chief = _values(_report(persona("station_chief")))  # 海流图镇: two villages
    assert chief["app_new_registrations"] == 150
    assert chief["app_install_rate_change_pp"] == Decimal("7.50")
    officer = _values(_report(persona("village_officer")))  # one village
    assert officer["app_new_registrations"] == 100
    assert _values(_report(persona("judicial_office")))["app_new_registrations"] == 0  # another line


def test_registration_year_over_a_queryset_matches_the_pure_computation():
    b.snap(b.VILLAGE, D(2023, 12, 31), 200)
    b.snap(b.VILLAGE, D(2024, 12, 31), 300)
    figures = registration_year(RegistrationSnapshot.objects.all(), 2024, with_areas=True)
    assert figures.new_registrations == 100
    assert figures.villages[0].area.code == b.VILLAGE
