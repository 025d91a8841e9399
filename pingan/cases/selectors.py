"""Reads of the cases app, always cut by the acting user's scope, and the counting rules.

Counting follows police practice and is written once, here, for the pages, the campaign results
and the report indicators alike:
- 打击处理人数 (persons dealt with): distinct persons (by ID number) with at least one disposition;
- 打击处理人次 (person-times): one per person per case in which they have a disposition — a person
  detained and then fined in one case is one person-time, a person dealt with in two cases two;
- 抓获犯罪嫌疑人 (suspects caught): distinct persons caught as suspects.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from pingan.areas.models import Area, Level
from pingan.cases.categories import THEFT, group_q
from pingan.cases.models import (
    UNITS,
    ZERO,
    Campaign,
    Case,
    CaseCategory,
    CaseKind,
    CaseParty,
    CaseStatus,
    Disposition,
    Inspection,
    ItemKind,
    Metric,
    Operation,
    PartyRole,
    Recovery,
    Seizure,
)
from pingan.core.scope import NotVisible, get_visible_or_404, scope_of
from pingan.incidents.selectors import in_area  # noqa: F401  (the same area filter as incidents')
from pingan.org.models import Agency, AgencyKind

# ------------------------------------------------------------------------------------ counting


def dealt_parties(cases: QuerySet[Case], start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
    """The (person, case) rows with at least one disposition (in [start, end] when given)."""
    # EXISTS per party of the (few) cases, not "party IN (every disposition of the year)": the latter
    # made PostgreSQL walk all case parties in key order — 2–3 s per indicator for a province at 1M.
    dispositions = Disposition.objects.filter(party=OuterRef("pk"))
    if start is not None:
        dispositions = dispositions.filter(decided_on__gte=start)
    if end is not None:
        dispositions = dispositions.filter(decided_on__lte=end)
    return CaseParty.objects.filter(case__in=cases.values("pk")).filter(Exists(dispositions))


def persons(parties: QuerySet) -> int:
    """人数: distinct persons among the rows."""
    return parties.order_by().values("person_id").distinct().count()


def person_times(parties: QuerySet) -> int:
    """人次: one per person per case (CaseParty is unique per case and person)."""
    return parties.order_by().values("case_id", "person_id").distinct().count()


def caught_parties(cases: QuerySet[Case], start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
    qs = CaseParty.objects.filter(case__in=cases.values("pk"), role=PartyRole.SUSPECT, caught_on__isnull=False)
    if start is not None:
        qs = qs.filter(caught_on__gte=start)
    if end is not None:
        qs = qs.filter(caught_on__lte=end)
    return qs


def recovered(recoveries: QuerySet) -> decimal.Decimal:
    return (recoveries.aggregate(t=Sum("amount"))["t"] or ZERO).quantize(decimal.Decimal("0.01"))


# ------------------------------------------------------------------------------------ cases


def case_list(user) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related("area", "area__parent", "category", "category__parent",
                                                        "station", "operation")


def case_get(user, pk) -> Case:
    return get_visible_or_404(case_list(user), user, pk=pk)


def categories() -> QuerySet[CaseCategory]:
    return CaseCategory.objects.select_related("parent").order_by("order")


def categories_top() -> QuerySet[CaseCategory]:
    return CaseCategory.objects.filter(parent__isnull=True).order_by("order")


def case_parties(case: Case) -> list[CaseParty]:
    return list(case.parties.select_related("person").prefetch_related(
        Prefetch("dispositions", queryset=Disposition.objects.order_by("decided_on", "id"))).order_by("role", "id"))


def case_detail(user, case: Case) -> dict:
    from pingan.incidents.models import Incident

    parties = case_parties(case)
    losses = list(case.losses.order_by("id"))
    recoveries = list(case.recoveries.select_related("loss").order_by("recovered_on", "id"))
    linked = case.incidents.all()
    visible_incidents = list(Incident.objects.visible_to(user).filter(pk__in=linked.values("pk"))
                             .select_related("category").order_by("received_at"))
    return {
        "events": list(case.events.select_related("by").order_by("on", "at", "id")),
        "parties": parties,
        "dealt": sum(1 for p in parties if p.dispositions.all()),
        "losses": losses, "loss_total": sum((x.value for x in losses), ZERO),
        "recoveries": recoveries, "recovered_total": sum((x.amount for x in recoveries), ZERO),
        "incidents": visible_incidents, "hidden_incidents": linked.count() - len(visible_incidents),
        "campaigns": list(case.campaigns.order_by("start")),
        "seizures": list(case.seizures.order_by("seized_on")),
    }


def banner_of(user) -> Area | None:
    j = getattr(user, "jurisdiction", None)
    if j is None:
        return None
    if j.level == Level.BANNER:
        return j
    if j.level < Level.BANNER:
        return Area.objects.filter(level=Level.BANNER, path__startswith=j.path).order_by("code").first()
    return j.banner()


def places_for(user) -> QuerySet[Area]:
    """Townships and village-level units a user may put a case (or an inspection) on."""
    return Area.objects.visible_to(user).filter(level__in=(Level.TOWNSHIP, Level.VILLAGE)) \
        .select_related("parent").order_by("code")


def stations_for(user) -> QuerySet[Agency]:
    return Agency.objects.visible_to(user).filter(kind=AgencyKind.POLICE_STATION).order_by("area__code")


def police_units_for(user) -> QuerySet[Agency]:
    """Police units a user may name: the stations of their jurisdiction and the bureau's departments
    of their banner (刑侦大队, 治安大队 …)."""
    banner = banner_of(user)
    q = Q(pk__in=Agency.objects.visible_to(user).values("pk"))
    if banner is not None:
        q |= Q(area=banner)
    return Agency.objects.filter(q, kind__in=(AgencyKind.POLICE_BUREAU, AgencyKind.POLICE_HQ,
                                              AgencyKind.POLICE_STATION)).order_by("kind", "area__code", "name")


# ------------------------------------------------------------------------------------ campaigns


def campaign_list(user) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to(user).select_related("area", "organizer").annotate(
        n_units=Count("units", distinct=True))


def campaign_get(user, pk) -> Campaign:
    return get_visible_or_404(Campaign.objects.select_related("area", "organizer"), user, pk=pk)


def campaign_manageable(user, campaign: Campaign) -> bool:
    scope = scope_of(user)
    if scope.unrestricted:
        return True
    return scope.path is not None and Campaign.objects.filter(Campaign.managed_q(scope), pk=campaign.pk).exists()


def campaigns_open_for(user, on: dt.date | None = None) -> QuerySet[Campaign]:
    qs = Campaign.objects.visible_to(user)
    if on is not None:
        qs = qs.filter(start__lte=on, end__gte=on)
    return qs.order_by("-start")


@dataclass
class GoalResult:
    label: str
    target: decimal.Decimal
    actual: decimal.Decimal | int

    @property
    def pct(self) -> int:
        return int(decimal.Decimal(self.actual) * 100 / self.target) if self.target else 0

    @property
    def actual_text(self) -> str:
        value = self.actual
        return format(value.normalize(), "f") if isinstance(value, decimal.Decimal) else str(value)

    @property
    def met(self) -> bool:
        return decimal.Decimal(self.actual) >= self.target


@dataclass
class CampaignResults:
    cases: int = 0
    criminal: int = 0
    administrative: int = 0
    solved: int = 0
    by_category: list[tuple[str, int, int]] = field(default_factory=list)  # (category, criminal, administrative)
    persons: int = 0
    person_times: int = 0
    caught: int = 0
    recovered: decimal.Decimal = ZERO
    inspections: int = 0
    problems: int = 0
    places_by_kind: list[tuple[str, int]] = field(default_factory=list)
    seized: list[tuple[str, str, decimal.Decimal]] = field(default_factory=list)  # (kind label, unit, quantity)
    seized_by_kind: dict[str, decimal.Decimal] = field(default_factory=dict)
    goals: list[GoalResult] = field(default_factory=list)
    partial: bool = False  # the reader sees only part of the campaign's area


def campaign_records(user, campaign: Campaign) -> tuple[QuerySet, QuerySet, QuerySet]:
    cases = Case.objects.visible_to(user).filter(campaigns=campaign)
    inspections = Inspection.objects.visible_to(user).filter(campaign=campaign)
    seizures = Seizure.objects.visible_to(user).filter(campaign=campaign)
    return cases, inspections, seizures


def campaign_results(user, campaign: Campaign) -> CampaignResults:
    """The campaign's results, computed from the cases, inspections and seizures tagged to it that the
    reader may see."""
    cases, inspections, seizures = campaign_records(user, campaign)
    r = CampaignResults()
    kinds = dict(cases.order_by().values_list("kind").annotate(n=Count("pk")))
    r.criminal, r.administrative = kinds.get(CaseKind.CRIMINAL, 0), kinds.get(CaseKind.ADMINISTRATIVE, 0)
    r.cases = r.criminal + r.administrative
    r.solved = cases.filter(solved_on__isnull=False).count()
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    order: dict[str, int] = {}
    for top, top_order, parent, parent_order, kind, n in cases.order_by().values_list(
            "category__name", "category__order", "category__parent__name", "category__parent__order", "kind") \
            .annotate(n=Count("pk")):
        name = parent or top
        order[name] = parent_order if parent else top_order
        table[name][0 if kind == CaseKind.CRIMINAL else 1] += n
    r.by_category = [(name, *table[name]) for name in sorted(table, key=lambda k: order[k])]
    dealt = dealt_parties(cases)
    r.persons, r.person_times = persons(dealt), person_times(dealt)
    r.caught = persons(caught_parties(cases))
    r.recovered = recovered(Recovery.objects.filter(case__in=cases.values("pk")))
    r.inspections = inspections.count()
    r.problems = inspections.aggregate(t=Sum("problems"))["t"] or 0
    from pingan.cases.models import PlaceKind

    r.places_by_kind = [(PlaceKind(k).label, n) for k, n in inspections.order_by().values_list("place_kind")
                        .annotate(n=Count("pk")).order_by("-n", "place_kind")]
    totals = {k: q.quantize(decimal.Decimal("0.01")) for k, q in
              seizures.order_by().values_list("item_kind").annotate(q=Sum("quantity"))}
    r.seized_by_kind = totals
    r.seized = [(ItemKind(k).label, UNITS[k], totals[k]) for k in ItemKind.values if k in totals]
    actual = {Metric.CASES: r.cases, Metric.CRIMINAL: r.criminal, Metric.ADMINISTRATIVE: r.administrative,
              Metric.PERSONS: r.persons, Metric.PERSON_TIMES: r.person_times, Metric.CAUGHT: r.caught,
              Metric.INSPECTIONS: r.inspections}
    for goal in campaign.goals.all():
        if goal.metric == Metric.SEIZED:
            label = f"收缴{ItemKind(goal.item_kind).label}({UNITS[goal.item_kind]})"
            value = r.seized_by_kind.get(goal.item_kind, ZERO)
        else:
            label, value = Metric(goal.metric).label, actual[goal.metric]
        r.goals.append(GoalResult(label, goal.value.normalize(), value))
    scope = scope_of(user)
    r.partial = not scope.unrestricted and not campaign.area.path.startswith(scope.path or "\0")
    return r


# ------------------------------------------------------------------------------------ operations


def operation_list(user) -> QuerySet[Operation]:
    return Operation.objects.visible_to(user).select_related("area", "lead_unit")


def operation_get(user, pk) -> Operation:
    return get_visible_or_404(operation_list(user), user, pk=pk)


def operation_in_full(user, operation: Operation) -> bool:
    scope = scope_of(user)
    if scope.unrestricted:
        return True
    return scope.path is not None and Operation.objects.filter(Operation.full_q(scope), pk=operation.pk).exists()


@dataclass
class OperationView:
    operation: Operation
    full: bool  # the reader sees every case (the command centre), not only their own
    cases: list[Case]
    caught: list[CaseParty]
    recoveries: list[Recovery]
    stations: list[str]

    @property
    def caught_persons(self) -> int:
        return len({p.person_id for p in self.caught})

    @property
    def caught_by_person(self) -> list[tuple[CaseParty, list[str]]]:
        """One line per person caught: the first catch, and the cases they are caught in."""
        out: dict[int, tuple[CaseParty, list[str]]] = {}
        for p in self.caught:
            out.setdefault(p.person_id, (p, []))[1].append(p.case.number)
        return list(out.values())

    @property
    def recovered_total(self) -> decimal.Decimal:
        return sum((r.amount for r in self.recoveries), ZERO)

    @property
    def solved(self) -> int:
        return sum(1 for c in self.cases if c.solved_on)


def operation_view(user, operation: Operation) -> OperationView:
    """The operation as the reader may see it: its cases in the reader's scope (all of them for the
    command centre), and only those cases' suspects and recoveries."""
    cases = list(case_list(user).filter(operation=operation).order_by("accepted_on", "pk"))
    ids = [c.pk for c in cases]
    caught = list(CaseParty.objects.filter(case_id__in=ids, role=PartyRole.SUSPECT, caught_on__isnull=False)
                  .select_related("person", "case").order_by("caught_on", "pk"))
    recoveries = list(Recovery.objects.filter(case_id__in=ids).select_related("case").order_by("recovered_on", "pk"))
    stations = sorted({str(c.station) for c in cases if c.station_id})
    return OperationView(operation, operation_in_full(user, operation), cases, caught, recoveries, stations)


@dataclass
class Candidate:
    case: Case
    score: int
    reasons: list[str]


WINDOW_DAYS = 120


def _township(area: Area) -> int | None:
    return area.parent_id if area.level == Level.VILLAGE else area.pk if area.level == Level.TOWNSHIP else None


def series_candidates(user, *, case: Case | None = None, operation: Operation | None = None,
                      limit: int = 20) -> list[Candidate]:
    """串并线索: theft cases (of the reader's scope, in no operation yet) that look like the same series —
    same method, same goods, same township, within ``WINDOW_DAYS`` days — scored and explained."""
    if case is not None:
        refs = [case]
    elif operation is not None:
        refs = list(Case.objects.filter(operation=operation).select_related("area"))
    else:
        return []
    methods = {c.method for c in refs if c.method} | ({operation.method} if operation and operation.method else set())
    goods = {c.goods for c in refs if c.goods} | ({operation.goods} if operation and operation.goods else set())
    townships = {_township(c.area) for c in refs} - {None}
    dates = [c.accepted_on for c in refs]
    if not dates and operation is not None:
        dates = [operation.opened_on]
    if not dates:
        return []
    root = operation.area if operation is not None else (case.area.banner() or case.area)
    qs = case_list(user).filter(group_q(THEFT), operation__isnull=True, area__path__startswith=root.path,
                                accepted_on__gte=min(dates) - dt.timedelta(days=WINDOW_DAYS),
                                accepted_on__lte=max(dates) + dt.timedelta(days=WINDOW_DAYS)) \
        .exclude(pk__in=[c.pk for c in refs])
    out = []
    for other in qs[:2000]:
        score, reasons = 0, []
        if other.method and other.method in methods:
            score += 2
            reasons.append(f"作案手段相同（{other.get_method_display()}）")
        if other.goods and other.goods in goods:
            score += 2
            reasons.append(f"侵害物品相同（{other.get_goods_display()}）")
        if _township(other.area) in townships:
            score += 1
            reasons.append(f"同一乡镇（{other.area.parent.short_name if other.area.level == Level.VILLAGE else other.area.short_name}）")
        if score >= 3:
            out.append(Candidate(other, score, reasons))
    out.sort(key=lambda c: (-c.score, c.case.accepted_on, c.case.pk))
    return out[:limit]


# ------------------------------------------------------------------------------------ home


def open_cases(user) -> QuerySet[Case]:
    return Case.objects.visible_to(user).exclude(status__in=(CaseStatus.CLOSED, CaseStatus.DROPPED,
                                                             CaseStatus.PROSECUTED))


def stale_accepted(user, *, days: int = 30, today: dt.date | None = None) -> QuerySet[Case]:
    """Cases still at 受案 after ``days`` days (立案审查/调查 overdue)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return Case.objects.visible_to(user).filter(status=CaseStatus.ACCEPTED,
                                                accepted_on__lt=today - dt.timedelta(days=days))


def visible_or_404(model, user, pk):
    try:
        return get_visible_or_404(model, user, pk=int(pk))
    except (TypeError, ValueError) as exc:
        raise NotVisible("记录不存在或超出您的辖区范围") from exc
