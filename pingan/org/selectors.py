"""Reads of the organisation, always cut by the acting user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery

from pingan.areas.models import ADMIN_VILLAGE_KINDS, Area, Level
from pingan.core.scope import get_visible_or_404
from pingan.org.models import (
    GRASSROOTS_KINDS,
    HQ_KINDS,
    AgencyKind,
    AssignmentRole,
    PoliceRoom,
    Posting,
    Staff,
    TeamSeat,
    VillageAssignment,
)


def active_on(qs: QuerySet, day: dt.date, start: str = "start", end: str = "end") -> QuerySet:
    """Rows whose [start, end] period contains ``day`` (open end = still running)."""
    return qs.filter(**{f"{start}__lte": day}).filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def overlapping(qs: QuerySet, first: dt.date, last: dt.date, start: str = "start", end: str = "end") -> QuerySet:
    return qs.filter(**{f"{start}__lte": last}).filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first}))


def staff_list(user) -> QuerySet[Staff]:
    return Staff.objects.visible_to(user).select_related("agency", "area")


def staff_get(user, pk) -> Staff:
    return get_visible_or_404(Staff.objects.select_related("agency", "area", "agency__area"), user, pk=pk)


def staff_history(user, staff: Staff) -> dict:
    postings = list(Posting.objects.visible_to(user).filter(staff=staff).select_related("agency").order_by("start"))
    return {
        "postings": postings,
        "assignments": list(VillageAssignment.objects.visible_to(user).filter(staff=staff)
                            .select_related("village", "village__parent").order_by("-start")),
        "seats": list(TeamSeat.objects.visible_to(user).filter(staff=staff).select_related("area").order_by("-start")),
        "grassroots_days": grassroots_days(postings, dt.date.today()),
    }


def grassroots_days(postings: list[Posting], today: dt.date) -> int:
    """Days served at stations and judicial offices, from postings (overlaps counted once)."""
    spans = sorted((p.start, min(p.end or today, today)) for p in postings if p.agency.kind in GRASSROOTS_KINDS)
    total, cursor = 0, None
    for start, end in spans:
        if cursor is not None and start <= cursor:
            start = cursor
        if end > start:
            total += (end - start).days
            cursor = end
    return total


def _previous_posting_kind():
    return Subquery(
        Posting.objects.filter(staff=OuterRef("staff"), start__lt=OuterRef("start"))
        .order_by("-start").values("agency__kind")[:1]
    )


def moves_to_stations(postings: QuerySet[Posting], year: int) -> QuerySet[Posting]:
    """Station postings that began in ``year`` right after a 机关 (HQ) posting: 机关警力下沉."""
    return (
        postings.filter(agency__kind=AgencyKind.POLICE_STATION, start__year=year)
        .annotate(previous_kind=_previous_posting_kind())
        .filter(previous_kind__in=list(HQ_KINDS))
    )


def new_recruit_postings(postings: QuerySet[Posting], year: int) -> QuerySet[Posting]:
    """First postings of people who started service in ``year``."""
    return postings.filter(staff__service_start__year=year, start=F("staff__service_start"))


def hq_staff_short_of_grassroots(user, today: dt.date, years: int = 2) -> list[Staff]:
    """机关 police with under ``years`` of grassroots experience: candidates to send down (下沉)."""
    current_hq = active_on(Posting.objects.visible_to(user), today).filter(agency__kind__in=HQ_KINDS)
    staff_ids = current_hq.values_list("staff_id", flat=True)
    people = Staff.objects.filter(pk__in=staff_ids, active=True).prefetch_related(
        Prefetch("postings", queryset=Posting.objects.select_related("agency")))
    limit = years * 365
    return [s for s in people if grassroots_days(list(s.postings.all()), today) < limit]


@dataclass
class CoverageRow:
    village: Area
    township: Area
    auxiliaries: list[Staff] = field(default_factory=list)
    assistants: list[Staff] = field(default_factory=list)
    officers: list[Staff] = field(default_factory=list)  # 社区民警
    rooms: list[PoliceRoom] = field(default_factory=list)

    @property
    def is_admin_village(self) -> bool:
        return self.village.kind in ADMIN_VILLAGE_KINDS

    @property
    def covered(self) -> bool:
        return bool(self.auxiliaries)


@dataclass
class Coverage:
    root: Area
    as_of: dt.date
    rows: list[CoverageRow]

    @property
    def admin_villages(self) -> int:
        return sum(1 for r in self.rows if r.is_admin_village)

    @property
    def admin_villages_covered(self) -> int:
        return sum(1 for r in self.rows if r.is_admin_village and r.covered)

    @property
    def gaps(self) -> list[CoverageRow]:
        return [r for r in self.rows if not r.covered]

    def by_township(self) -> list[dict]:
        summary: dict[str, dict] = {}
        for r in self.rows:
            s = summary.setdefault(r.township.code, {"township": r.township, "units": 0, "admin": 0,
                                                     "covered": 0, "gaps": 0})
            s["units"] += 1
            s["admin"] += r.is_admin_village
            s["covered"] += r.is_admin_village and r.covered
            s["gaps"] += not r.covered
        return list(summary.values())


def _villages(user, root: Area) -> QuerySet[Area]:
    return Area.objects.visible_to(user).filter(path__startswith=root.path, level=Level.VILLAGE)


def coverage(user, root: Area, as_of: dt.date) -> Coverage:
    """一村一警 coverage of every village-level unit under ``root`` on ``as_of``."""
    villages = list(_villages(user, root).select_related("parent").order_by("code"))
    rows = {v.pk: CoverageRow(village=v, township=v.parent) for v in villages}
    assignments = active_on(VillageAssignment.objects.visible_to(user), as_of).filter(
        village_id__in=rows).select_related("staff")
    for a in assignments:
        row = rows[a.village_id]
        {AssignmentRole.AUXILIARY: row.auxiliaries, AssignmentRole.PART_TIME: row.assistants,
         AssignmentRole.COMMUNITY_OFFICER: row.officers}[a.role].append(a.staff)
    rooms = active_on(PoliceRoom.objects.visible_to(user), as_of, "opened", "closed").filter(village_id__in=rows)
    for room in rooms:
        rows[room.village_id].rooms.append(room)
    return Coverage(root=root, as_of=as_of, rows=list(rows.values()))


@dataclass(frozen=True)
class CoverageCounts:
    units: int
    admin_villages: int
    admin_villages_covered: int
    covered: int


def coverage_counts(user, root: Area, as_of: dt.date) -> CoverageCounts:
    """The figures of ``coverage`` (the home page's 一村一警 items) from two id queries, without
    loading the people: the home page of a banner leader loaded ~370 staff rows (and decrypted their
    phones and ID numbers) to count them."""
    villages = _villages(user, root)
    kinds = dict(villages.values_list("pk", "kind"))
    covered = set(active_on(VillageAssignment.objects.visible_to(user), as_of)
                  .filter(village__in=villages.values("pk"), role=AssignmentRole.AUXILIARY)
                  .values_list("village_id", flat=True))
    admin = {pk for pk, kind in kinds.items() if kind in ADMIN_VILLAGE_KINDS}
    return CoverageCounts(units=len(kinds), admin_villages=len(admin), admin_villages_covered=len(admin & covered),
                          covered=len(covered & kinds.keys()))


def villages_without_adviser(user, root: Area) -> list[Area]:
    """村(嘎查)、社区 under ``root`` with no active legal adviser working there."""
    from pingan.areas.models import VILLAGE_LEVEL_KINDS
    from pingan.org.models import StaffCategory

    covered = Staff.objects.visible_to(user).filter(category=StaffCategory.LEGAL_ADVISER, active=True,
                                                    area__path__startswith=root.path).values("area_id")
    return list(Area.objects.visible_to(user).filter(path__startswith=root.path, kind__in=VILLAGE_LEVEL_KINDS)
                .exclude(pk__in=covered))
