"""Reads of the anti-fraud app, always from ``.visible_to(user)``: a record outside the user's scope
is a 404. ``registration_year`` is the one place the year's app figures are computed — the rates
page, the API and the report indicators all call it."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core.scope import get_visible_or_404
from pingan.org.models import POLICE_CATEGORIES, Agency, AgencyKind, Staff

from .models import ZERO, Dissuasion, FraudWarning, Outcome, PublicityEvent, RegistrationSnapshot

PP = decimal.Decimal("0.01")


# ---------------------------------------------------------------------------------------- lists, details

def publicity_list(user) -> QuerySet[PublicityEvent]:
    return PublicityEvent.objects.visible_to(user).select_related("area", "area__parent", "organiser")


def publicity_get(user, pk) -> PublicityEvent:
    return get_visible_or_404(publicity_list(user), user, pk=pk)


def snapshot_list(user) -> QuerySet[RegistrationSnapshot]:
    return RegistrationSnapshot.objects.visible_to(user).select_related("area", "area__parent")


def snapshot_get(user, pk) -> RegistrationSnapshot:
    return get_visible_or_404(snapshot_list(user), user, pk=pk)


def _answered():
    return Exists(Dissuasion.objects.filter(warning=OuterRef("pk")))


def warning_list(user) -> QuerySet[FraudWarning]:
    return (FraudWarning.objects.visible_to(user).select_related("area", "area__parent", "station")
            .annotate(answered=_answered()))


def warning_get(user, pk) -> FraudWarning:
    return get_visible_or_404(warning_list(user), user, pk=pk)


def pending_warnings(user) -> QuerySet[FraudWarning]:
    """Warnings that no dissuasion record answers yet."""
    return warning_list(user).filter(answered=False)


def warning_dissuasions(user, warning: FraudWarning) -> list[Dissuasion]:
    return list(Dissuasion.objects.visible_to(user).filter(warning=warning).select_related("officer")
                .order_by("on", "id"))


def dissuasion_list(user) -> QuerySet[Dissuasion]:
    return Dissuasion.objects.visible_to(user).select_related("area", "area__parent", "officer", "station",
                                                              "warning")


def dissuasion_get(user, pk) -> Dissuasion:
    return get_visible_or_404(dissuasion_list(user), user, pk=pk)


# ---------------------------------------------------------------------------------------- choices for forms

def areas_for(user, *, townships: bool = False) -> QuerySet[Area]:
    """Village-level units (and townships, if asked) the user may record for, in code order."""
    levels = (Level.TOWNSHIP, Level.VILLAGE) if townships else (Level.VILLAGE,)
    return Area.objects.visible_to(user).filter(level__in=levels).select_related("parent").order_by("code")


def organisers_for(user) -> QuerySet[Agency]:
    """Police units the user's events can be organised by: those in the user's jurisdiction, and the
    bureau and its departments above a station (joint publicity with the 刑侦大队 …)."""
    from pingan.core.scope import scope_of

    scope = scope_of(user)
    kinds = (AgencyKind.POLICE_STATION, AgencyKind.POLICE_HQ, AgencyKind.POLICE_BUREAU)
    qs = Agency.objects.filter(kind__in=kinds).select_related("area")
    if not scope.unrestricted:
        if not scope.path:
            return qs.none()
        codes = [c for c in scope.path.split("/") if c]
        qs = qs.filter(Q(area__path__startswith=scope.path) | Q(area__code__in=codes))
    return qs.order_by("kind", "area__code", "name")


def officers_for(user) -> QuerySet[Staff]:
    return (Staff.objects.visible_to(user).filter(category__in=POLICE_CATEGORIES, active=True)
            .select_related("agency").order_by("agency__area__code", "name"))


def own_station(user) -> Agency | None:
    agency = getattr(user, "agency", None)
    return agency if agency is not None and agency.kind == AgencyKind.POLICE_STATION else None


# ---------------------------------------------------------------------------------------- app registrations

def rate(registered: int, population: int) -> Fraction | None:
    return Fraction(registered, population) if population else None


def pct(value: Fraction | None) -> decimal.Decimal | None:
    """A share as a percentage with 2 decimals (half up)."""
    if value is None:
        return None
    return (decimal.Decimal(value.numerator * 100) / decimal.Decimal(value.denominator)).quantize(
        PP, rounding=decimal.ROUND_HALF_UP)


def pp_change(start: Fraction | None, end: Fraction | None) -> decimal.Decimal | None:
    """The change in percentage points, computed exactly and then rounded to 2 decimals (so it may
    differ by 0.01 from the difference of the two rounded rates)."""
    if start is None or end is None:
        return None
    return pct(end - start)


@dataclass(frozen=True)
class Point:
    id: int
    area_id: int
    on: dt.date
    registered: int
    population: int


@dataclass
class VillageYear:
    area_id: int
    year: int
    start: Point
    end: Point
    area: Area | None = None

    @property
    def new(self) -> int:
        return self.end.registered - self.start.registered

    @property
    def start_rate(self) -> decimal.Decimal | None:
        return pct(rate(self.start.registered, self.start.population))

    @property
    def end_rate(self) -> decimal.Decimal | None:
        return pct(rate(self.end.registered, self.end.population))

    @property
    def change_pp(self) -> decimal.Decimal | None:
        return pp_change(rate(self.start.registered, self.start.population),
                         rate(self.end.registered, self.end.population))

    @property
    def start_in_year(self) -> bool:
        """No figures before 1 January: the year's start is its first figures of the year."""
        return self.start.on.year == self.year

    @property
    def stale(self) -> bool:
        """No figures during the year: the end is the last figures of an earlier year."""
        return self.end.on.year < self.year


@dataclass
class RegistrationYear:
    year: int
    villages: list[VillageYear] = field(default_factory=list)

    @property
    def new_registrations(self) -> int:
        return sum(v.new for v in self.villages)

    def _total(self, which: str) -> Fraction | None:
        registered = sum(getattr(v, which).registered for v in self.villages)
        population = sum(getattr(v, which).population for v in self.villages)
        return rate(registered, population)

    @property
    def start_registered(self) -> int:
        return sum(v.start.registered for v in self.villages)

    @property
    def end_registered(self) -> int:
        return sum(v.end.registered for v in self.villages)

    @property
    def start_population(self) -> int:
        return sum(v.start.population for v in self.villages)

    @property
    def end_population(self) -> int:
        return sum(v.end.population for v in self.villages)

    @property
    def start_rate(self) -> decimal.Decimal | None:
        return pct(self._total("start"))

    @property
    def end_rate(self) -> decimal.Decimal | None:
        return pct(self._total("end"))

    @property
    def change_pp(self) -> decimal.Decimal:
        return pp_change(self._total("start"), self._total("end")) or decimal.Decimal("0.00")

    @property
    def boundary_ids(self) -> set[int]:
        return {p.id for v in self.villages for p in (v.start, v.end)}


def boundaries(points: Iterable[Point], year: int) -> RegistrationYear:
    """Per village: the year's start figures are the last snapshot before 1 January (or, when there is
    none, the first snapshot of the year); its end figures the last snapshot on or before 31 December.
    A village with no snapshot on or before 31 December is not in the year at all; one whose last
    figures are from an earlier year counts with no new registrations and its last known rate."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    by_area: dict[int, list[Point]] = {}
    for p in sorted(points, key=lambda p: (p.area_id, p.on, p.id)):
        if p.on <= last:
            by_area.setdefault(p.area_id, []).append(p)
    result = RegistrationYear(year)
    for area_id, series in by_area.items():
        before = [p for p in series if p.on < first]
        start = before[-1] if before else series[0]
        result.villages.append(VillageYear(area_id, year, start, series[-1]))
    return result


def registration_year(snapshots: QuerySet[RegistrationSnapshot], year: int, *, with_areas: bool = False
                      ) -> RegistrationYear:
    """The year's figures over ``snapshots`` (already cut to the reader's scope)."""
    rows = (snapshots.filter(on__lte=dt.date(year, 12, 31)).order_by()
            .values_list("id", "area_id", "on", "registered", "population"))
    result = boundaries((Point(*row) for row in rows), year)
    if with_areas:
        areas = Area.objects.select_related("parent").in_bulk([v.area_id for v in result.villages])
        for v in result.villages:
            v.area = areas.get(v.area_id)
        result.villages.sort(key=lambda v: v.area.code if v.area else "")
    return result


def boundary_snapshot_ids(snapshots: QuerySet[RegistrationSnapshot], year: int) -> set[int]:
    return registration_year(snapshots, year).boundary_ids


def registration_rates(user, year: int, *, under: Area | None = None) -> RegistrationYear:
    qs = RegistrationSnapshot.objects.visible_to(user)
    if under is not None:
        qs = qs.filter(area__path__startswith=under.path)
    return registration_year(qs, year, with_areas=True)


# ---------------------------------------------------------------------------------------- the year at a glance

def year_figures(user, year: int) -> dict:
    """The app index page: the year's figures within the user's scope."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    events = PublicityEvent.objects.visible_to(user).filter(held_on__gte=first, held_on__lte=last)
    publicity = events.aggregate(events=Count("pk"), posters=Sum("posters"), handbooks=Sum("handbooks"),
                                 reached=Sum("people_reached"))
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    warnings = FraudWarning.objects.visible_to(user).filter(received_at__gte=start, received_at__lt=end)
    done = Dissuasion.objects.visible_to(user).filter(on__gte=first, on__lte=last, outcome=Outcome.SUCCESS)
    kept = (done.aggregate(total=Sum("amount_kept"))["total"] or ZERO).quantize(ZERO)
    return {
        "publicity": {k: v or 0 for k, v in publicity.items()},
        "registrations": registration_year(RegistrationSnapshot.objects.visible_to(user), year),
        "warnings": warnings.count(),
        "pending": pending_warnings(user).count(),
        "person_times": done.count(),
        "kept": kept,
    }


def stale_villages(user, *, days: int = 100, today: dt.date | None = None) -> int:
    """Village-level units in scope whose latest app figures are older than ``days`` (or missing)."""
    today = today or timezone.localdate()
    recent = RegistrationSnapshot.objects.filter(area=OuterRef("pk"), on__gt=today - dt.timedelta(days=days))
    return (Area.objects.visible_to(user).filter(level=Level.VILLAGE).annotate(fresh=Exists(recent))
            .filter(fresh=False).count())
