"""Reads of the 法律明白人 programme, always starting from ``visible_to(user)``."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from pingan.areas.models import Area, AreaKind, Level
from pingan.core.scope import get_visible_or_404
from pingan.legal.models import (
    CRITERIA,
    OPEN_STATUSES,
    QUOTA_UNIT_KINDS,
    Activity,
    ActivityKind,
    Attendance,
    Course,
    Criterion,
    Evaluation,
    LegalPerson,
    Pairing,
    Quota,
    SelectionCheck,
    Status,
    StatusChange,
    TrainingSession,
)
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory

ZERO_HOURS = decimal.Decimal("0.0")


def active_on(persons: QuerySet, day: dt.date) -> QuerySet:
    """法律明白人 on ``day``: selected on or before it and not yet exited."""
    return persons.filter(selected_on__lte=day).filter(Q(exited_on__isnull=True) | Q(exited_on__gt=day))


# ---- persons -------------------------------------------------------------------------------------

def person_list(user) -> QuerySet[LegalPerson]:
    return LegalPerson.objects.visible_to(user).select_related("staff", "village", "village__parent", "office")


def person_get(user, pk) -> LegalPerson:
    return get_visible_or_404(LegalPerson.objects.select_related(
        "staff", "staff__agency", "village", "village__parent", "office", "assessed_by", "decided_by"), user, pk=pk)


def own_file(user) -> LegalPerson | None:
    """The legal-literate user's own file: the open one, else the latest."""
    if not getattr(user, "staff_id", None):
        return None
    files = person_list(user).filter(staff_id=user.staff_id)
    return files.filter(status__in=OPEN_STATUSES).first() or files.order_by("-nominated_on").first()


def village_pool(user, village: Area) -> QuerySet[LegalPerson]:
    """A village's candidate pool and persons, every status, with their checks."""
    return person_list(user).filter(village=village).prefetch_related(
        Prefetch("checks", queryset=SelectionCheck.objects.order_by("pk"))).order_by("status", "nominated_on", "pk")


def checks_in_order(checks) -> list[tuple[str, str, SelectionCheck | None]]:
    """(criterion, label, check or None) in the order of examination, political first."""
    by = {c.criterion: c for c in checks}
    labels = dict(Criterion.choices)
    return [(c, labels[c], by.get(c)) for c in CRITERIA]


def candidate_staff(user, village: Area) -> QuerySet[Staff]:
    """People already in Pingan the user may nominate for a village: visible staff working there."""
    taken = LegalPerson.objects.filter(status__in=OPEN_STATUSES).values("staff_id")
    return (Staff.objects.visible_to(user).filter(area__path__startswith=village.path, active=True)
            .exclude(category=StaffCategory.LEGAL_ADVISER).exclude(pk__in=taken).order_by("name"))


@dataclass
class Archive:
    person: LegalPerson
    checks: list
    history: list[StatusChange]
    attendances: list[Attendance]
    hours: decimal.Decimal
    pairing: Pairing | None
    activities: list[Activity]
    activity_counts: dict[str, int]
    evaluations: list[Evaluation]
    missing: list[str] = field(default_factory=list)


def archive(user, person: LegalPerson, today: dt.date) -> Archive:
    """The file (建档) of one person, with the list of what is still missing."""
    checks = list(SelectionCheck.objects.visible_to(user).filter(person=person).select_related("checked_by"))
    history = list(StatusChange.objects.visible_to(user).filter(person=person).select_related("by").order_by("on", "pk"))
    attendances = list(Attendance.objects.visible_to(user).filter(person=person)
                       .select_related("session", "session__course").order_by("session__date"))
    pairing = (Pairing.objects.visible_to(user).filter(village=person.village, end__isnull=True)
               .select_related("adviser").first())
    activities_qs = Activity.objects.visible_to(user).filter(participants=person)
    activities = list(activities_qs.select_related("village", "adviser").order_by("-date")[:50])
    counts = dict(activities_qs.order_by().values_list("kind").annotate(n=Count("pk")))
    evaluations = list(Evaluation.objects.visible_to(user).filter(person=person).order_by("-year"))
    result = Archive(person=person, checks=checks_in_order(checks), history=history, attendances=attendances,
                     hours=sum((a.hours for a in attendances), ZERO_HOURS), pairing=pairing, activities=activities,
                     activity_counts={k: counts.get(k, 0) for k in ActivityKind.values}, evaluations=evaluations)
    result.missing = archive_missing(result, today)
    return result


def archive_missing(a: Archive, today: dt.date) -> list[str]:
    """What a complete file (建档及时、信息详实) still lacks, in the order of the file."""
    p, staff, missing = a.person, a.person.staff, []
    if not staff.phone:
        missing.append("联系电话")
    if not p.political_status:
        missing.append("政治面貌")
    if not p.education:
        missing.append("文化程度")
    if not p.occupation:
        missing.append("现任职务或职业")
    unchecked = [label for _, label, check in a.checks if check is None]
    if unchecked and p.status not in (Status.NOT_SELECTED,):
        missing.append("选拔条件审查：" + "；".join(label.split("：")[0] for label in unchecked))
    if p.status in (Status.TRAINING, Status.SERVING, Status.EXITED):
        if p.assessment_passed is None:
            missing.append("考察意见")
        if not p.certificate_no:
            missing.append("聘书(证书)编号")
        if not a.attendances:
            missing.append("培训记录")
        if a.pairing is None:
            missing.append(f"{p.village}的法律顾问结对")
    if p.status == Status.SERVING:
        served_a_year = p.selected_on is not None and p.selected_on <= today - dt.timedelta(days=365)
        if served_a_year and not a.evaluations:
            missing.append("年度评议")
        if not a.activities:
            missing.append("工作记录(宣传、调解、咨询、走访)")
    return missing


# ---- quotas and coverage -----------------------------------------------------------------------

def quotas_for(user, banner: Area) -> dict[str, int]:
    return dict(Quota.objects.visible_to(user).filter(banner=banner).values_list("unit_kind", "quota"))


def banner_of(area: Area) -> Area | None:
    if area.level == Level.BANNER:
        return area
    return area.banner() if area.level > Level.BANNER else None


@dataclass
class UnitRow:
    village: Area
    township: Area
    quota: int | None
    persons: list[LegalPerson] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.persons)

    @property
    def meets(self) -> bool:
        return self.quota is not None and self.count >= self.quota

    @property
    def shortfall(self) -> int:
        return max((self.quota or 0) - self.count, 0)


@dataclass
class Coverage:
    root: Area
    as_of: dt.date
    quotas: dict[str, int]
    rows: list[UnitRow]

    @property
    def persons(self) -> int:
        return sum(r.count for r in self.rows)

    @property
    def meeting(self) -> list[UnitRow]:
        return [r for r in self.rows if r.meets]

    @property
    def below(self) -> list[UnitRow]:
        return [r for r in self.rows if r.quota is not None and not r.meets]

    @property
    def without_quota(self) -> list[UnitRow]:
        return [r for r in self.rows if r.quota is None]

    def by_kind(self) -> list[dict]:
        out = []
        for kind in QUOTA_UNIT_KINDS:
            rows = [r for r in self.rows if r.village.kind == kind]
            if rows:
                out.append({"kind": AreaKind(kind).label, "quota": self.quotas.get(kind), "units": len(rows),
                            "meeting": sum(r.meets for r in rows), "persons": sum(r.count for r in rows),
                            "shortfall": sum(r.shortfall for r in rows)})
        return out

    def by_township(self) -> list[dict]:
        summary: dict[str, dict] = {}
        for r in self.rows:
            s = summary.setdefault(r.township.code, {"township": r.township, "units": 0, "meeting": 0, "below": 0,
                                                     "persons": 0, "shortfall": 0})
            s["units"] += 1
            s["meeting"] += r.meets
            s["below"] += r.quota is not None and not r.meets
            s["persons"] += r.count
            s["shortfall"] += r.shortfall
        return list(summary.values())


def coverage(user, root: Area, as_of: dt.date) -> Coverage:
    """Every 社区/嘎查/村 under ``root``: its 法律明白人 on ``as_of`` against its kind's quota."""
    villages = list(Area.objects.visible_to(user).filter(path__startswith=root.path, kind__in=QUOTA_UNIT_KINDS)
                    .select_related("parent").order_by("code"))
    banner = banner_of(root)
    quotas = quotas_for(user, banner) if banner is not None else {}
    rows = {v.pk: UnitRow(village=v, township=v.parent, quota=quotas.get(v.kind)) for v in villages}
    persons = active_on(person_list(user).filter(village_id__in=rows), as_of).order_by("staff__name")
    for p in persons:
        rows[p.village_id].persons.append(p)
    return Coverage(root=root, as_of=as_of, quotas=quotas, rows=list(rows.values()))


def units_meeting_quota(actor, banner: Area, kind: str, day: dt.date) -> QuerySet[Area]:
    """The 社区 (or 嘎查) of a banner with at least the quota of 法律明白人 on ``day`` (persons the
    actor may see), annotated with ``legal_persons_n`` and ``legal_quota``. For the indicators."""
    quota = Quota.objects.filter(banner=banner, unit_kind=kind).values_list("quota", flat=True).first()
    if quota is None:
        return Area.objects.none()
    counts = (active_on(LegalPerson.objects.visible_to(actor).filter(village=OuterRef("pk")), day)
              .order_by().values("village").annotate(n=Count("pk")).values("n"))
    return (Area.objects.filter(path__startswith=banner.path, kind=kind)
            .annotate(legal_persons_n=Coalesce(Subquery(counts), 0), legal_quota=Value(quota))
            .filter(legal_persons_n__gte=quota).select_related("parent"))


# ---- pairs ---------------------------------------------------------------------------------------

@dataclass
class PairRow:
    village: Area
    pairing: Pairing | None
    persons: list[LegalPerson]
    joint: int  # activities of the year with the adviser and at least one of the village's persons
    activities: int  # all activities of the year in the village

    @property
    def gaps(self) -> list[str]:
        gaps = []
        if self.pairing is None:
            gaps.append("未配备法律顾问")
        elif not self.pairing.adviser.active:
            gaps.append("法律顾问已离岗")
        if not self.persons:
            gaps.append("没有法律明白人")
        return gaps


def pairs(user, root: Area, year: int, as_of: dt.date) -> list[PairRow]:
    villages = list(Area.objects.visible_to(user).filter(path__startswith=root.path, kind__in=QUOTA_UNIT_KINDS)
                    .select_related("parent").order_by("code"))
    ids = [v.pk for v in villages]
    pairings = {p.village_id: p for p in Pairing.objects.visible_to(user).filter(village_id__in=ids, end__isnull=True)
                .select_related("adviser")}
    persons: dict[int, list] = {}
    for p in active_on(person_list(user).filter(village_id__in=ids), as_of).order_by("staff__name"):
        persons.setdefault(p.village_id, []).append(p)
    year_acts = Activity.objects.visible_to(user).filter(village_id__in=ids, date__year=year)
    totals = dict(year_acts.order_by().values_list("village_id").annotate(n=Count("pk")))
    joint = dict(year_acts.filter(adviser__isnull=False, adviser_id=Subquery(
        Pairing.objects.filter(village=OuterRef("village"), end__isnull=True).values("adviser_id")[:1]))
        .order_by().values_list("village_id").annotate(n=Count("pk")))
    return [PairRow(village=v, pairing=pairings.get(v.pk), persons=persons.get(v.pk, []), joint=joint.get(v.pk, 0),
                    activities=totals.get(v.pk, 0)) for v in villages]


def advisers_for(user, village: Area) -> QuerySet[Staff]:
    """Legal advisers the user may pair with a village: visible, active, working in its banner."""
    banner = banner_of(village) or village
    return Staff.objects.visible_to(user).filter(category=StaffCategory.LEGAL_ADVISER, active=True,
                                                 area__path__startswith=banner.path).order_by("name")


def advisers_in_scope(user) -> QuerySet[Staff]:
    return (Staff.objects.visible_to(user).filter(category=StaffCategory.LEGAL_ADVISER, active=True)
            .select_related("area").order_by("area__code", "name"))


# ---- training ----------------------------------------------------------------------------------

def course_list(user) -> QuerySet[Course]:
    return (Course.objects.visible_to(user).select_related("area")
            .annotate(n_sessions=Count("sessions", distinct=True)).order_by("-pk"))


def course_get(user, pk) -> Course:
    return get_visible_or_404(Course.objects.select_related("area"), user, pk=pk)


def course_sessions(user, course: Course) -> QuerySet[TrainingSession]:
    attended = Attendance.objects.visible_to(user).filter(session=OuterRef("pk")).order_by().values("session")
    return (TrainingSession.objects.visible_to(user).filter(course=course).select_related("representative__staff")
            .annotate(n_attended=Coalesce(Subquery(attended.annotate(n=Count("pk")).values("n")), 0))
            .order_by("date", "pk"))


def session_get(user, pk) -> TrainingSession:
    return get_visible_or_404(TrainingSession.objects.select_related("course", "course__area",
                                                                     "representative__staff"), user, pk=pk)


def session_attendances(user, session: TrainingSession) -> QuerySet[Attendance]:
    return (Attendance.objects.visible_to(user).filter(session=session)
            .select_related("person__staff", "person__village").order_by("person__village__code", "person__staff__name"))


def trainees_for(user, session: TrainingSession) -> QuerySet[LegalPerson]:
    """Persons the user may add to a session's attendance (not yet recorded)."""
    return (person_list(user).filter(status__in=(Status.ASSESSING, Status.TRAINING, Status.SERVING))
            .exclude(attendances__session=session).order_by("village__code", "staff__name"))


def training_hours(persons: QuerySet[LegalPerson], year: int | None) -> QuerySet[LegalPerson]:
    """Persons annotated with their sessions and hours (in ``year``, or ever)."""
    attendances = Attendance.objects.filter(person=OuterRef("pk"))
    if year:
        attendances = attendances.filter(session__date__year=year)
    grouped = attendances.order_by().values("person")
    return persons.annotate(
        n_sessions=Coalesce(Subquery(grouped.annotate(n=Count("pk")).values("n")), 0),
        total_hours=Coalesce(Subquery(grouped.annotate(h=Sum("hours")).values("h")), ZERO_HOURS,
                             output_field=DecimalField(max_digits=8, decimal_places=1)),
    )


# ---- activities and the monthly ledger ---------------------------------------------------------

def activity_list(user) -> QuerySet[Activity]:
    return (Activity.objects.visible_to(user).select_related("village", "village__parent", "office", "adviser")
            .prefetch_related(Prefetch("participants", queryset=LegalPerson.objects.select_related("staff"))))


def activity_get(user, pk) -> Activity:
    return get_visible_or_404(activity_list(user), user, pk=pk)


def participants_for(user, village: Area | None = None) -> QuerySet[LegalPerson]:
    persons = person_list(user).filter(status__in=(Status.TRAINING, Status.SERVING))
    if village is not None:
        persons = persons.filter(village=village)
    return persons.order_by("village__code", "staff__name")


def offices_visible(user) -> QuerySet[Agency]:
    """Judicial offices whose 台账 the user may read: those on townships within their scope."""
    return (Agency.objects.visible_to(user).filter(kind=AgencyKind.JUDICIAL_OFFICE).select_related("area")
            .order_by("area__code"))


@dataclass
class Ledger:
    office: Agency
    year: int
    month: int
    activities: list[Activity]

    @property
    def month_label(self) -> str:
        return f"{self.year}年{self.month}月"

    def totals(self) -> dict[str, int]:
        return {k: sum(1 for a in self.activities if a.kind == k) for k in ActivityKind.values}

    @property
    def audience_total(self) -> int:
        return sum(a.audience_count for a in self.activities)


def ledger(user, office: Agency, year: int, month: int) -> Ledger:
    """A judicial office's monthly work 台账: every activity of its villages that month."""
    rows = list(activity_list(user).filter(office=office, date__year=year, date__month=month).order_by("date", "pk"))
    return Ledger(office=office, year=year, month=month, activities=rows)
