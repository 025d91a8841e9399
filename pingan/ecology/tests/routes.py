"""林草湖警长 routes in the permission matrix (see pingan/testing/matrix.py).

Targets are built at the place the matrix names: a zone on a village (on the node itself for
"parent", where no village lies), with what a route needs (a ranger on its chain, a patrol, a joint
action with an administrative agency of the banner, an ecological case at the same village). Only the
police line sees these records, so no route is ``line_scoped``: the other lines are refused by role.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from pingan.accounts.roles import POLICIES, Role
from pingan.testing.matrix import MARKER, Route, Target

READERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
MANAGERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})
PATROL_WRITERS = READERS
PII_READERS = frozenset(r for r in READERS if POLICIES[r].full_personal_data)

_seq = itertools.count(1)
START = dt.date(2023, 1, 1)


def _today() -> str:
    return timezone.localdate().isoformat()


def _unit(place):
    return place.village or place.node


def _zone(place):
    from pingan.ecology.models import Keeper, KeeperLevel, Zone

    unit = _unit(place)
    zone = Zone.objects.create(name=f"{MARKER}责任区{next(_seq)}", kind="草", area=unit, size=1000,
                               established_on=START)
    if unit.level >= 3:
        zone.places.set([unit])
    keeper = Keeper.objects.create(zone=zone, level=KeeperLevel.GUARD, name="矩阵护林员", phone="13900000001",
                                   post="护林员", start=START)
    target = Target({"pk": zone.pk}, marker=zone.name, obj=zone)
    target.keeper_id = keeper.pk
    target.unit = unit
    return target


def _keyed(target: Target, key: str | None) -> Target:
    pk = target.kwargs.pop("pk")
    if key:
        target.kwargs[key] = pk
    return target


def zone_target(key: str | None = "pk"):
    return lambda place: _keyed(_zone(place), key)


def keeper_target(key: str = "pk"):
    def build(place):
        target = _zone(place)
        target.kwargs = {key: target.keeper_id}
        return target

    return build


def patrol_target(key: str | None = "pk"):
    def build(place):
        from pingan.ecology.models import Patrol

        target = _zone(place)
        patrol = Patrol.objects.create(zone=target.obj, patrolled_on=dt.date(2024, 5, 1), others_count=1,
                                       route=f"{MARKER}巡护路线", findings="无异常")
        patrol.people.set([target.keeper_id])
        return Target({key: patrol.pk} if key else {}, marker=patrol.route, obj=patrol)

    return build


def _partner(unit):
    from pingan.testing.personas import agency_for

    return agency_for("admin_agency", unit)


def action_target(key: str | None = "pk"):
    def build(place):
        from pingan.ecology.models import JointAction

        target = _zone(place)
        action = JointAction.objects.create(zone=target.obj, acted_on=dt.date(2024, 5, 1), title=f"{MARKER}联合执法",
                                            findings="检查发现")
        action.agencies.set([_partner(target.unit)])
        return Target({key: action.pk} if key else {}, marker=action.title, obj=action)

    return build


def _case(unit):
    from pingan.cases.models import Case, CaseCategory

    return Case.objects.create(number=f"MATRIXECO{next(_seq):06d}", kind="administrative",
                               category=CaseCategory.objects.get(code="eco_grassland"), title=f"{MARKER}生态案件",
                               area=unit, accepted_on=dt.date(2024, 5, 3))


def case_target(key: str | None = "pk", linked: bool = False):
    """A zone and an ecological case at its place (linked to the zone when ``linked``)."""

    def build(place):
        from pingan.ecology.models import EcoCase

        target = _zone(place)
        case = _case(target.unit)
        target.case = case
        if linked:
            EcoCase.objects.create(zone=target.obj, case=case)
            target.marker = case.number
        return _keyed(target, key)

    return build


def partner_target(key: str = "zone_id"):
    def build(place):
        target = _zone(place)
        target.agency_id = _partner(target.unit).pk
        return _keyed(target, key)

    return build


def place_target():
    """A village at the place, to set a zone up on (the node itself for "parent")."""

    def build(place):
        unit = _unit(place)
        return Target({"code": unit.code}, obj=unit)

    return build


def _keepers(target):
    from pingan.ecology.models import Keeper

    return list(Keeper.objects.filter(pk=getattr(target, "keeper_id", None)).values_list("end", flat=True))


_guard = {"level": 4, "name": "矩阵村干部", "phone": "13900000002", "post": "嘎查长"}

ROUTES = [
    Route("ecology:zone_list", roles=READERS, target=zone_target(None), list=True),
    Route("ecology:zone_new", roles=MANAGERS),
    Route("ecology:zone_detail", roles=READERS, target=zone_target()),
    Route("ecology:zone_edit", roles=MANAGERS, target=zone_target()),
    Route("ecology:keeper_add", roles=MANAGERS, method="POST", target=zone_target(), ok=302,
          body=lambda t: {**_guard, "start": _today()}, writes=True),
    Route("ecology:keeper_end", roles=MANAGERS, method="POST", target=keeper_target(), ok=302,
          body=lambda t: {"end": _today(), "reason": "矩阵调整"}, state=_keepers, writes=True),
    # Revealing full phones writes a VIEW_PII audit row: that is the write checked.
    Route("ecology:keepers_reveal", roles=PII_READERS, method="POST", target=zone_target(), writes=True),
    Route("ecology:case_link", roles=MANAGERS, method="POST", target=case_target(), ok=302,
          body=lambda t: {"case": t.case.pk}, writes=True),
    Route("ecology:patrol_list", roles=READERS, target=patrol_target(None), list=True),
    Route("ecology:patrol_new", roles=PATROL_WRITERS),
    Route("ecology:patrol_detail", roles=READERS, target=patrol_target()),
    Route("ecology:action_list", roles=READERS, target=action_target(None), list=True),
    Route("ecology:action_new", roles=MANAGERS),
    Route("ecology:action_detail", roles=READERS, target=action_target()),
    Route("ecology:case_list", roles=READERS, target=case_target(None, linked=True), list=True),
]

API_ROUTES = [
    Route("GET /api/ecology/zones", roles=READERS, target=zone_target(None), list=True),
    Route("POST /api/ecology/zones", roles=MANAGERS, target=place_target(), ok=201, writes=True,
          body=lambda t: {"name": "矩阵新责任区", "kind": "草", "place_codes": [t.kwargs["code"]], "size": "500",
                          "geometry": {"type": "Point", "coordinates": [108.5, 41.6]}}),
    Route("GET /api/ecology/zones/{zone_id}", roles=READERS, target=zone_target("zone_id")),
    Route("POST /api/ecology/zones/{zone_id}/keepers", roles=MANAGERS, target=zone_target("zone_id"), ok=201,
          body=lambda t: _guard, writes=True),
    Route("POST /api/ecology/keepers/{keeper_id}/end", roles=MANAGERS, target=keeper_target("keeper_id"),
          body=lambda t: {"reason": "矩阵调整"}, state=_keepers, writes=True),
    Route("GET /api/ecology/patrols", roles=READERS, target=patrol_target(None), list=True),
    Route("POST /api/ecology/patrols", roles=PATROL_WRITERS, target=zone_target("zone_id"), ok=201, writes=True,
          body=lambda t: {"zone_id": t.obj.pk, "people_ids": [t.keeper_id], "route": "矩阵路线"}),
    Route("GET /api/ecology/actions", roles=READERS, target=action_target(None), list=True),
    Route("POST /api/ecology/actions", roles=MANAGERS, target=partner_target(), ok=201, writes=True,
          body=lambda t: {"zone_id": t.obj.pk, "title": "矩阵联合执法", "agency_ids": [t.agency_id],
                          "findings": "矩阵检查发现"}),
    Route("GET /api/ecology/cases", roles=READERS, target=case_target(None, linked=True), list=True),
    Route("POST /api/ecology/zones/{zone_id}/cases", roles=MANAGERS, target=case_target("zone_id"), ok=201,
          writes=True, body=lambda t: {"case_number": t.case.number}),
]

ROUTES += API_ROUTES
