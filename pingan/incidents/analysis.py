"""The repeat engine on the database: place resolution with the banner's tree, the online check of
one new incident, and the batch re-analysis of a banner. People's decisions (RepeatDecision) are
always applied: a confirmed group stays together, a split-off incident never rejoins."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.incidents.models import (
    ClusterStatus,
    Incident,
    RepeatCluster,
    RepeatDecision,
    RepeatKind,
    RepeatLink,
)
from pingan.incidents.repeats import engine
from pingan.incidents.repeats import normalise as nz
from pingan.incidents.repeats.places import TOWNSHIP, VILLAGE, Gazetteer, Place, Resolution

PARAMS = engine.Params()
_gazetteers: dict[int, tuple[float, int, Gazetteer, dict[int, Area]]] = {}
_GAZETTEER_SECONDS = 300.0


def _compiled(banner: Area) -> tuple[Gazetteer, dict[int, Area]]:
    """The banner's townships and village-level units compiled for matching, with the Area rows by
    id; kept per process and checked for changes (the number of units) every five minutes."""
    import time

    now = time.monotonic()
    cached = _gazetteers.get(banner.pk)
    if cached is not None and now - cached[0] < _GAZETTEER_SECONDS:
        return cached[2], cached[3]
    units = Area.objects.filter(path__startswith=banner.path, level__in=(Level.TOWNSHIP, Level.VILLAGE))
    count = units.count()
    if cached is not None and cached[1] == count:
        _gazetteers[banner.pk] = (now, *cached[1:])
        return cached[2], cached[3]
    rows = list(units)
    places = [Place(a.pk, a.name, a.short_name, TOWNSHIP if a.level == Level.TOWNSHIP else VILLAGE,
                    a.parent_id if a.level == Level.VILLAGE else None) for a in rows]
    g = Gazetteer.build(places)
    _gazetteers[banner.pk] = (now, count, g, {a.pk: a for a in rows})
    return g, _gazetteers[banner.pk][3]


def gazetteer(banner: Area) -> Gazetteer:
    return _compiled(banner)[0]


def resolve_place(banner: Area, address: str) -> tuple[Area, bool, str, Resolution]:
    """(area, needs_placement, note, resolution): the village when the address names one without
    doubt; the township when only that is known; otherwise the banner. Only a village is final."""
    g, areas = _compiled(banner)
    r = g.resolve(address)
    if r.area_id is None or r.area_id not in areas:
        return banner, True, r.note, r
    return areas[r.area_id], r.level != VILLAGE, r.note, r


def people_of(caller_name: str, content: str) -> str:
    names = nz.extract_names(content, also=(caller_name,) if caller_name else ())
    return ("|" + "|".join(names) + "|")[:200] if names else ""


def record_of(incident: Incident, g: Gazetteer) -> engine.Record:
    r = g.resolve(incident.address)
    area_id = incident.area_id
    place = g.places.get(area_id)
    village = area_id if place is not None and place.level == VILLAGE else None
    township = g.township_of(area_id) if place is not None else None
    category = incident.category
    return engine.Record(
        id=incident.pk, number=incident.number, t=incident.received_at.timestamp(), phone=incident.caller_phone,
        caller=incident.caller_name, address=incident.address, village=village, township=township,
        top=category.top.name, sub=category.name, content=incident.content, place_names=r.names,
        candidates=r.candidates if village is None else ())


def _with_categories(qs):
    return qs.select_related("category", "category__parent")


def candidates_for(incident: Incident) -> list[Incident]:
    """Earlier incidents of the banner that could be repeats: same number or a person named within
    half a year, or anything in the banner within the multi-caller window."""
    t = incident.received_at
    far = t - dt.timedelta(days=PARAMS.dispute_days)
    near = t - dt.timedelta(hours=PARAMS.multi_hours)
    q = Q(received_at__gte=near)
    if incident.phone_key:
        q |= Q(phone_key=incident.phone_key, received_at__gte=far)
    for name in [n for n in incident.people.split("|") if n][:4]:
        q |= Q(people__contains=f"|{name}|", received_at__gte=far)
    qs = Incident.objects.filter(banner_id=incident.banner_id, received_at__lte=t + dt.timedelta(minutes=1)) \
        .filter(q).exclude(pk=incident.pk)
    return list(_with_categories(qs).order_by("received_at", "pk")[:500])


def find_repeats(incident: Incident) -> list[engine.Link]:
    """The online check: links from ``incident`` to the earlier incidents it repeats."""
    others = candidates_for(incident)
    if not others:
        return []
    g = gazetteer(incident.banner)
    decisions = decisions_for([incident.pk])
    records = [record_of(o, g) for o in others]
    mine = record_of(incident, g)
    f_others = engine.prepare(records, PARAMS)
    f_new = engine.prepare([mine], PARAMS, df=f_others.df, df_limit=f_others.df_limit)
    rows = np.arange(len(records), dtype=np.int64)
    zeros = np.zeros(len(records), dtype=np.int64)
    verdict = engine.verify(f_new, zeros, f_others, rows, PARAMS)
    return engine.links_from(f_new, zeros, f_others, rows, verdict, decisions)


def decisions_for(ids: Iterable[int] | None = None, banner: Area | None = None) -> engine.Decisions:
    qs = RepeatDecision.objects.all()
    if banner is not None:
        qs = qs.filter(banner=banner)
    if ids is not None:
        ids = list(ids)
        qs = qs.filter(Q(a_id__in=ids) | Q(b_id__in=ids))
    d = engine.Decisions()
    for a, b, together in qs.values_list("a_id", "b_id", "together"):
        (d.together if together else d.apart).add(engine.Decisions.key(a, b))
    return d


def _kind_of(links: Sequence) -> str:
    counts = Counter(link.kind for link in links)
    if not counts:
        return RepeatKind.MULTI_CALLER
    order = [RepeatKind.MULTI_CALLER, RepeatKind.SAME_CALLER, RepeatKind.RECURRING_DISPUTE]
    return max(counts, key=lambda k: (counts[k], -order.index(k)))


def refresh_cluster(cluster: RepeatCluster) -> None:
    times = list(Incident.objects.filter(cluster=cluster).values_list("received_at", flat=True))
    if len(times) < 2:
        Incident.objects.filter(cluster=cluster).update(cluster=None)
        cluster.delete()
        return
    cluster.size, cluster.first_at, cluster.last_at = len(times), min(times), max(times)
    cluster.kind = _kind_of(list(cluster.links.all()))
    cluster.save()


def attach(incident: Incident, links: list[engine.Link]) -> RepeatCluster | None:
    """Put a newly registered incident in the group of the incidents it repeats (joining groups
    where it links several, unless people split them apart)."""
    if not links:
        return None
    ids = {link.earlier for link in links}
    earlier = {i.pk: i for i in Incident.objects.filter(pk__in=ids).select_related("cluster")}
    clusters = sorted({i.cluster for i in earlier.values() if i.cluster_id}, key=lambda c: c.pk)
    decisions = decisions_for([incident.pk, *ids])
    if clusters:
        target = clusters[0]
        for other in clusters[1:]:
            members = set(Incident.objects.filter(cluster=other).values_list("pk", flat=True))
            mine = set(Incident.objects.filter(cluster=target).values_list("pk", flat=True))
            if any(decisions.is_apart(a, b) for a in members for b in mine):
                continue
            Incident.objects.filter(cluster=other).update(cluster=target)
            RepeatLink.objects.filter(cluster=other).update(cluster=target)
            other.delete()
    else:
        first = min(earlier.values(), key=lambda i: i.received_at)
        target = RepeatCluster.objects.create(banner_id=incident.banner_id, kind=RepeatKind.MULTI_CALLER,
                                              first_at=first.received_at, last_at=incident.received_at)
    members = set(Incident.objects.filter(cluster=target).values_list("pk", flat=True))
    join = [pk for pk in ids if earlier[pk].cluster_id in (None, target.pk)]
    Incident.objects.filter(pk__in=[pk for pk in join if pk not in members]).update(cluster=target)
    incident.cluster = target
    Incident.objects.filter(pk=incident.pk).update(cluster=target)
    RepeatLink.objects.bulk_create([
        RepeatLink(cluster=target, earlier_id=link.earlier, later_id=link.later, kind=engine.KIND_CODES[link.kind],
                   score=link.score, reasons=list(link.reasons))
        for link in links if link.earlier in join], ignore_conflicts=True)
    refresh_cluster(target)
    return target


def reanalyse(banner: Area, *, start: dt.datetime | None = None, end: dt.datetime | None = None,
              workers: int = 1) -> dict[str, int]:
    """Re-run the batch analysis over the banner (or the incidents received in [start, end]) and
    rewrite its groups. Existing groups keep their id where they keep most of their members; a
    confirmed group stays confirmed while it keeps all its members."""
    qs = _with_categories(Incident.objects.filter(banner=banner))
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lte=end)
    g = gazetteer(banner)
    received: dict[int, dt.datetime] = {}
    old_cluster: dict[int, int | None] = {}

    def runs(size: int = 50_000):
        """The incidents as engine records, in runs: a year of a big banner is never held as
        model instances all at once."""
        run = []
        for incident in qs.order_by("received_at", "pk").iterator(chunk_size=5000):
            received[incident.pk] = incident.received_at
            old_cluster[incident.pk] = incident.cluster_id
            run.append(record_of(incident, g))
            if len(run) == size:
                yield run
                run = []
        if run:
            yield run

    decisions = decisions_for(banner=banner)
    analysis = engine.analyse_stream(runs(), PARAMS, decisions, workers=workers)
    ids = list(received)
    with transaction.atomic():
        touched = {c for c in old_cluster.values() if c}
        # Groups reaching outside the analysed set are left as they are.
        outside = set(Incident.objects.filter(cluster_id__in=touched).exclude(pk__in=ids)
                      .values_list("cluster_id", flat=True)) if start or end else set()
        existing = {c.pk: c for c in RepeatCluster.objects.filter(pk__in=touched - outside)}
        used: set[int] = set()
        assignment: dict[int, int] = {}
        new_links: list[RepeatLink] = []
        now = timezone.now()
        for group in analysis.groups:
            votes = Counter(old_cluster.get(m) for m in group.members if old_cluster.get(m) in existing)
            keep = next((c for c, _ in votes.most_common() if c not in used), None)
            kind = engine.KIND_CODES[group.kind]
            times = [received[m] for m in group.members]
            if keep is None:
                cluster = RepeatCluster.objects.create(banner=banner, kind=kind, first_at=min(times),
                                                       last_at=max(times), size=len(group.members))
            else:
                cluster = existing[keep]
                old_members = {m for m, c in old_cluster.items() if c == keep}
                if cluster.status == ClusterStatus.CONFIRMED and not old_members <= set(group.members):
                    cluster.status = ClusterStatus.AUTO
                cluster.kind, cluster.size = kind, len(group.members)
                cluster.first_at, cluster.last_at, cluster.updated_at = min(times), max(times), now
                cluster.save()
            used.add(cluster.pk)
            for m in group.members:
                assignment[m] = cluster.pk
            new_links += [RepeatLink(cluster_id=cluster.pk, earlier_id=link.earlier, later_id=link.later,
                                     kind=engine.KIND_CODES[link.kind], score=link.score, reasons=list(link.reasons))
                          for link in group.links]
        RepeatLink.objects.filter(cluster_id__in=list(existing) + list(used)).delete()
        RepeatLink.objects.filter(Q(earlier_id__in=ids) | Q(later_id__in=ids)).exclude(
            cluster_id__in=outside).delete()
        by_cluster: dict[int | None, list[int]] = {}
        for pk in ids:
            if old_cluster[pk] in outside:
                continue
            target = assignment.get(pk)
            if target != old_cluster[pk]:
                by_cluster.setdefault(target, []).append(pk)
        for target, pks in by_cluster.items():
            for k in range(0, len(pks), 500):
                Incident.objects.filter(pk__in=pks[k:k + 500]).update(cluster_id=target)
        RepeatLink.objects.bulk_create(new_links, batch_size=1000, ignore_conflicts=True)
        RepeatCluster.objects.filter(pk__in=set(existing) - used).delete()
    return {"incidents": len(ids), "clusters": len(analysis.groups), "links": len(analysis.links),
            "candidates": analysis.candidates}
