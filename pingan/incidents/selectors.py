"""Reads of the incidents app, always cut by the acting user's scope.

A repeat group may cross a village border. A reader sees the group through the member incidents
they may see: only those members are listed, only links between two of them are shown, and the
others are a bare count ("另有N起在您的辖区之外") — no number, place, name or phone of theirs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core.scope import NotVisible, get_visible_or_404
from pingan.incidents.models import (
    CommandTask,
    Incident,
    IncidentCategory,
    RepeatCluster,
    RepeatLink,
    TaskStatus,
)
from pingan.org.models import Agency, AgencyKind, Staff


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight starting ``day``: filter ``received_at`` by ranges of these (its index), never
    by ``received_at__date``, which casts every row."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# What the list page, its export and the API list show (IncidentTable, api.IncidentOut), and no more:
# a row of the list loads 5 model instances, and each column not shown costs its parsing and
# instance set-up on every row of every page (the area's path, the category's aliases, the repeat
# group's dates …). Anything else a list needs goes here, or it becomes a query per row (the
# query-count budgets in the tests say so).
LIST_FIELDS = ("number", "received_at", "needs_placement", "caller_name", "caller_phone", "address", "content",
               "status", "area__code", "area__short_name", "area__level", "area__parent__short_name",
               "category__name", "category__parent__name", "cluster__kind")


def _with_places_and_kinds(user) -> QuerySet[Incident]:
    return Incident.objects.visible_to(user).select_related("area", "area__parent", "category", "category__parent",
                                                            "cluster")


def incident_rows(user) -> QuerySet[Incident]:
    """The lists' rows (page, export, API): only the joins and columns they show. Each join costs
    PostgreSQL planning time on every page (~12 ms with all six at 1M incidents, bench/RESULTS.md)."""
    return _with_places_and_kinds(user).only(*LIST_FIELDS)


def incident_list(user) -> QuerySet[Incident]:
    """Incidents with everything a detail shows (the handling station too)."""
    return _with_places_and_kinds(user).select_related("station")


def incident_get(user, pk) -> Incident:
    return get_visible_or_404(incident_list(user), user, pk=pk)


def incident_events(incident: Incident):
    return incident.events.select_related("by").order_by("at", "id")


def categories_top() -> QuerySet[IncidentCategory]:
    return IncidentCategory.objects.filter(parent__isnull=True).order_by("order")


def categories_all() -> QuerySet[IncidentCategory]:
    return IncidentCategory.objects.select_related("parent").order_by("order")


def banner_for(user) -> Area | None:
    """The banner a user works in (their own, or the one above their post)."""
    j = getattr(user, "jurisdiction", None)
    if j is None:
        return Area.objects.filter(level=Level.BANNER, incidents__isnull=False).first()
    if j.level == Level.BANNER:
        return j
    if j.level < Level.BANNER:
        return Area.objects.filter(level=Level.BANNER, path__startswith=j.path).order_by("code").first()
    return j.banner()


def villages_for(user, banner: Area) -> QuerySet[Area]:
    return Area.objects.visible_to(user).filter(path__startswith=banner.path, level=Level.VILLAGE) \
        .select_related("parent").order_by("code")


# --- repeat groups ----------------------------------------------------------------------------

@dataclass
class ClusterView:
    cluster: RepeatCluster
    members: list[Incident]  # the ones the reader may see, in time order
    hidden: int  # members outside the reader's scope: a count only
    links: list[RepeatLink] = field(default_factory=list)  # between two visible members

    @property
    def reasons(self) -> list[str]:
        seen: OrderedDict[str, None] = OrderedDict()
        for link in self.links:
            for reason in link.reasons:
                seen.setdefault(reason, None)
        return list(seen)


def _visible_member_ids(user, cluster_ids) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    qs = Incident.objects.visible_to(user).filter(cluster_id__in=cluster_ids).order_by("received_at", "pk")
    for pk, cid in qs.values_list("pk", "cluster_id"):
        out.setdefault(cid, []).append(pk)
    return out


def cluster_get(user, pk) -> ClusterView:
    cluster = RepeatCluster.objects.filter(pk=pk).select_related("banner", "decided_by").first()
    if cluster is None:
        raise NotVisible("记录不存在或超出您的辖区范围")
    members = list(incident_list(user).filter(cluster=cluster).order_by("received_at", "pk"))
    if not members:
        raise NotVisible("记录不存在或超出您的辖区范围")
    ids = {m.pk for m in members}
    links = [link for link in RepeatLink.objects.filter(cluster=cluster).order_by("earlier_id", "later_id")
             if link.earlier_id in ids and link.later_id in ids]
    return ClusterView(cluster, members, max(cluster.size - len(members), 0), links)


def cluster_has_visible_members(user, pk: int) -> bool:
    return Incident.objects.visible_to(user).filter(cluster_id=pk).exists()


def cluster_list(user, *, kind: str = "", start: dt.date | None = None, end: dt.date | None = None,
                 status: str = "") -> list[ClusterView]:
    """Groups with at least one member the user may see (and, with a period, received in it)."""
    members = Incident.objects.visible_to(user).filter(cluster__isnull=False)
    if start:
        members = members.filter(received_at__gte=day_start(start))
    if end:
        members = members.filter(received_at__lt=day_start(end + dt.timedelta(days=1)))
    qs = RepeatCluster.objects.filter(pk__in=members.values("cluster_id"))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    clusters = list(qs.order_by("-last_at", "-pk")[:500])
    visible = _visible_member_ids(user, [c.pk for c in clusters])
    incidents = {i.pk: i for i in incident_list(user).filter(cluster_id__in=[c.pk for c in clusters])}
    return [ClusterView(c, [incidents[i] for i in visible.get(c.pk, [])],
                        max(c.size - len(visible.get(c.pk, [])), 0)) for c in clusters]


def clusters_in_period(user, banner: Area, start: dt.date | None, end: dt.date | None) -> list[dict]:
    """Every group of two or more with a member received in [start, end], for the command line and
    the API: id, kind, the 警情编号 the reader may see (all members, in time order) and the reasons."""
    members = Incident.objects.filter(banner=banner, cluster__isnull=False).visible_to(user)
    if start:
        members = members.filter(received_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
    if end:
        members = members.filter(received_at__lt=timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1),
                                                                                         dt.time.min)))
    ids = set(members.values_list("cluster_id", flat=True))
    clusters = {c.pk: c for c in RepeatCluster.objects.filter(pk__in=ids)}
    numbers: dict[int, list[tuple]] = {}
    number_of: dict[int, str] = {}  # the members the reader may see
    for pk, cid, number, at in Incident.objects.visible_to(user).filter(cluster_id__in=ids) \
            .values_list("pk", "cluster_id", "number", "received_at"):
        numbers.setdefault(cid, []).append((at, number))
        number_of[pk] = number
    reasons: dict[int, list[str]] = {}
    for cid, earlier, later, why in RepeatLink.objects.filter(cluster_id__in=ids) \
            .values_list("cluster_id", "earlier_id", "later_id", "reasons").order_by("later_id", "earlier_id"):
        if earlier in number_of and later in number_of:
            # One line per link: which call repeats which, and why.
            reasons.setdefault(cid, []).append(f"{number_of[later]}重复{number_of[earlier]}：" + "；".join(why))
    out = []
    for cid in sorted(clusters, key=lambda c: (clusters[c].first_at, c)):
        c = clusters[cid]
        listed = [n for _, n in sorted(numbers.get(cid, []))]
        entry = {"id": c.pk, "kind": c.kind, "kind_name": c.get_kind_display(), "status": c.status,
                 "incidents": listed, "reasons": reasons.get(cid, []), "size": c.size,
                 "hidden": max(c.size - len(listed), 0)}
        if len(listed) + entry["hidden"] >= 2:
            out.append(entry)
    return out


# --- command tasks --------------------------------------------------------------------------

def task_list(user, *, state: str = "") -> QuerySet[CommandTask]:
    qs = CommandTask.objects.visible_to(user).select_related("station", "officer", "area", "issued_by", "cluster")
    now = timezone.now()
    if state == "open":
        qs = qs.filter(status=TaskStatus.ISSUED, deadline__gte=now)
    elif state == "overdue":
        qs = qs.filter(status=TaskStatus.ISSUED, deadline__lt=now)
    elif state == "answered":
        qs = qs.filter(status=TaskStatus.ANSWERED)
    return qs.order_by("deadline", "-pk")


def task_get(user, pk) -> CommandTask:
    return get_visible_or_404(task_list(user), user, pk=pk)


def task_counts(user) -> dict[str, int]:
    now = timezone.now()
    qs = CommandTask.objects.visible_to(user)
    return {
        "open": qs.filter(status=TaskStatus.ISSUED, deadline__gte=now).count(),
        "overdue": qs.filter(status=TaskStatus.ISSUED, deadline__lt=now).count(),
        "answered": qs.filter(status=TaskStatus.ANSWERED).count(),
    }


def stations_for(user) -> QuerySet[Agency]:
    return Agency.objects.visible_to(user).filter(kind=AgencyKind.POLICE_STATION).select_related("area") \
        .order_by("area__code")


def officers_for(user) -> QuerySet[Staff]:
    return Staff.objects.visible_to(user).filter(agency__kind=AgencyKind.POLICE_STATION, active=True) \
        .select_related("agency", "area").order_by("agency__area__code", "name")


@dataclass(frozen=True)
class Hotspot:
    area: Area
    count: int
    top_category: str

    @property
    def label(self) -> str:
        return f"{self.area.short_name}：近期警情{self.count}起，以{self.top_category}为主"


def hotspots(user, *, days: int = 30, until: dt.date | None = None, limit: int = 10) -> list[Hotspot]:
    """警情热点: the village-level units with most incidents in the last ``days`` days."""
    until = until or timezone.localdate()
    since = until - dt.timedelta(days=days)
    qs = Incident.objects.visible_to(user).filter(received_at__gte=day_start(since + dt.timedelta(days=1)),
                                                  received_at__lt=day_start(until + dt.timedelta(days=1)),
                                                  area__level=Level.VILLAGE)
    rows = list(qs.values("area_id").annotate(n=Count("pk")).order_by("-n", "area_id")[:limit])
    areas = Area.objects.in_bulk([r["area_id"] for r in rows])
    out = []
    for r in rows:
        cats = Counter(qs.filter(area_id=r["area_id"]).values_list("category__name", flat=True))
        out.append(Hotspot(areas[r["area_id"]], r["n"], cats.most_common(1)[0][0] if cats else ""))
    return out


def needs_placement(user) -> QuerySet[Incident]:
    return incident_list(user).filter(needs_placement=True)


def incidents_on(user, day: dt.date) -> QuerySet[Incident]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return incident_list(user).filter(received_at__gte=start, received_at__lt=start + dt.timedelta(days=1))


def in_area(qs: QuerySet, code: str, field: str = "area") -> QuerySet:
    code = (code or "").strip()
    if not code:
        return qs
    if not code.isdigit():
        return qs.none()
    return qs.filter(Q(**{f"{field}__path__contains": f"{code}/"}))
