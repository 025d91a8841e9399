"""Reads of 林草湖警长: every query starts from ``visible_to(user)``; a record outside the user's
scope answers 404 (``get_visible_or_404``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core.scope import get_visible_or_404
from pingan.ecology.models import EcoCase, JointAction, Keeper, KeeperLevel, Patrol, Zone


def _count(qs) -> Subquery:
    """A correlated COUNT subquery (two annotated counts over joins would multiply each other)."""
    return Coalesce(Subquery(qs.order_by().values("zone_id").annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def this_year() -> int:
    return timezone.localdate().year


def default_year(user) -> int:
    """The year the pages count by when none is asked for: the latest year with a patrol or an
    action the user may see (so a quiet January still shows last year's work), else this year."""
    today = timezone.localdate()
    last = [d for d in (
        Patrol.objects.visible_to(user).filter(patrolled_on__lte=today).aggregate(m=Max("patrolled_on"))["m"],
        JointAction.objects.visible_to(user).filter(acted_on__lte=today).aggregate(m=Max("acted_on"))["m"]) if d]
    return max(last).year if last else today.year


def chosen_year(request) -> int:
    raw = request.GET.get("year") or ""
    if raw.isdigit() and 2000 <= int(raw) <= timezone.localdate().year:
        return int(raw)
    return default_year(request.user)


def zone_list(user, year: int | None = None) -> QuerySet[Zone]:
    year = year or this_year()
    current = Keeper.objects.current().select_related("staff")
    patrols = Patrol.objects.filter(zone=OuterRef("pk"), patrolled_on__year=year)
    actions = JointAction.objects.filter(zone=OuterRef("pk"), acted_on__year=year)
    qs = (Zone.objects.visible_to(user).select_related("area__parent")
          .prefetch_related("places", Prefetch("keepers", queryset=current, to_attr="current_keepers"))
          .annotate(patrols_year=_count(patrols), actions_year=_count(actions)))
    return qs


def zone_get(user, pk) -> Zone:
    return get_visible_or_404(Zone.objects.select_related("area__parent", "created_by"), user, pk=pk)


@dataclass(frozen=True)
class ChainLevel:
    level: int
    label: str
    people: list
    missing: bool


def chain(zone: Zone, on: dt.date | None = None) -> list[ChainLevel]:
    """The zone's chain, level by level, with the gaps."""
    current = list(Keeper.objects.current(on).filter(zone=zone).select_related("staff__agency").order_by("level", "start", "id"))
    return [ChainLevel(level, label, [k for k in current if k.level == level],
                       not any(k.level == level for k in current))
            for level, label in KeeperLevel.choices]


def zone_detail(user, zone: Zone) -> dict:
    year = default_year(user)
    patrols = list(zone.patrols.prefetch_related("people").order_by("-patrolled_on", "-id")[:20])
    actions = list(zone.joint_actions.prefetch_related("agencies").order_by("-acted_on", "-id")[:20])
    out = {
        "chain": chain(zone),
        "past_keepers": list(zone.keepers.filter(end__isnull=False).select_related("staff").order_by("-end")),
        "places": list(zone.places.select_related("parent").order_by("code")),
        "patrols": patrols,
        "patrols_year": zone.patrols.filter(patrolled_on__year=year).count(),
        "patrols_found_year": zone.patrols.filter(patrolled_on__year=year).exclude(finding_kind="无异常").count(),
        "actions": actions,
        "year": year,
        "cases": list(EcoCase.objects.visible_to(user).filter(zone=zone)
                      .select_related("case__category", "joint_action", "patrol").order_by("-case__accepted_on", "-id")),
    }
    return out


def places_for(user) -> QuerySet[Area]:
    """Townships and village-level units the user may put in a zone."""
    return (Area.objects.visible_to(user).filter(level__in=(Level.TOWNSHIP, Level.VILLAGE))
            .select_related("parent").order_by("code"))


def zones_for(user, on: dt.date | None = None) -> QuerySet[Zone]:
    """Zones in force the user may log a patrol or an action in."""
    return Zone.objects.visible_to(user).in_force(on or timezone.localdate()).select_related("area").order_by(
        "area__code", "name")


def patrol_list(user) -> QuerySet[Patrol]:
    return (Patrol.objects.visible_to(user).select_related("zone__area__parent")
            .prefetch_related("people"))


def patrol_get(user, pk) -> Patrol:
    return get_visible_or_404(Patrol.objects.select_related("zone__area", "logged_by"), user, pk=pk)


def action_list(user) -> QuerySet[JointAction]:
    return (JointAction.objects.visible_to(user).select_related("zone__area__parent")
            .prefetch_related("agencies"))


def action_get(user, pk) -> JointAction:
    return get_visible_or_404(JointAction.objects.select_related("zone__area", "logged_by"), user, pk=pk)


def keeper_get(user, pk) -> Keeper:
    return get_visible_or_404(Keeper.objects.select_related("zone", "staff"), user, pk=pk)


def overview(user, year: int | None = None) -> dict:
    """The figures at the top of the zone list: zones in force, chains with gaps, the year's work."""
    today = timezone.localdate()
    zones = Zone.objects.visible_to(user).in_force(today)
    year = year or today.year
    return {
        "zones": zones.count(),
        "incomplete": zones.with_incomplete_chain().count(),
        "patrols": Patrol.objects.visible_to(user).filter(patrolled_on__year=year).count(),
        "found": Patrol.objects.visible_to(user).filter(patrolled_on__year=year).filter(~Q(finding_kind="无异常")).count(),
        "actions": JointAction.objects.visible_to(user).filter(acted_on__year=year).count(),
        "year": year,
    }


def eco_case_list(user) -> QuerySet[EcoCase]:
    return EcoCase.objects.visible_to(user).select_related("zone__area__parent", "case__category", "case__station",
                                                           "joint_action", "patrol")


def linkable_cases(user, zone: Zone):
    """Ecological cases (生态环境 and its kinds) the user may see, at a place that overlaps the zone
    (inside it, or the township or village above a zone that hangs lower), not yet linked to it."""
    from pingan.cases.categories import ECOLOGY, group_q
    from pingan.cases.models import Case

    above = zone.area.ancestor_codes()
    return (Case.objects.visible_to(user).filter(group_q(ECOLOGY))
            .filter(Q(area__path__startswith=zone.area.path) | Q(area__code__in=above))
            .exclude(eco_links__zone=zone).select_related("category", "area").order_by("-accepted_on", "-id"))
