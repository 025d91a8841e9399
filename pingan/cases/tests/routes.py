"""案件与专项行动 routes in the permission matrix (see pingan/testing/matrix.py).

Targets are made straight in the state a route needs, at the place the matrix names: a case on the
place's village (or its node, for "parent"), handled by the node's station; a campaign or an
operation hanging on the node. Cases are police records only, so no route is ``line_scoped``.

Campaigns differ from the default rule in one way, on purpose: a campaign is visible to everyone
under the area it covers (a banner campaign to every station of the banner), so the "parent" target
is visible too — read pages and the field forms (inspections, seizures, logged on the reader's own
village) answer as for "own". Changing a campaign stays with its organiser ("own" only).
"""

from __future__ import annotations

import datetime as dt
import itertools

from pingan.accounts.roles import Role
from pingan.testing.matrix import MARKER, OWN, PARENT, Place, Route, Target, area, first_village

_seq = itertools.count(1)
D = dt.date(2024, 3, 1)

READERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
WRITERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})
REVEALERS = WRITERS
CAMPAIGN_MANAGERS = WRITERS
FIELD_WRITERS = READERS
OPERATION_MANAGERS = frozenset({Role.POLICE_LEADER})


def _covering(login: str, position: str) -> bool:
    return position in (OWN, PARENT)


def _station(node):
    from pingan.testing.personas import agency_for

    return agency_for("police_station", node)


def _case(place: Place, *, cat: str = "theft_livestock", kind: str = "criminal", at=None):
    from pingan.cases.models import Case, CaseCategory, CaseEvent

    where = at or place.village or place.node
    n = next(_seq)
    case = Case.objects.create(number=f"MXAJ{n:06d}", kind=kind, category=CaseCategory.objects.get(code=cat),
                               title=f"{MARKER}{n}号案件", area=where, station=_station(place.node), accepted_on=D,
                               method="night_herd", goods="sheep")
    CaseEvent.objects.create(case=case, to_status="accepted", on=D)
    return case


def case_target(key: str | None = "pk", **kw):
    def build(place) -> Target:
        case = _case(place, **kw)
        return Target({key: case.pk} if key else {}, marker=case.title, obj=case)

    return build


def party_target(key: str = "pk", *, role: str = "suspect"):
    """A case with a suspect not yet caught (obj: the party)."""

    def build(place) -> Target:
        from pingan.cases.models import CaseParty, Person
        from pingan.core import idcard

        case = _case(place)
        n = next(_seq)
        number = idcard.make("150824", dt.date(1970, 1, 1) + dt.timedelta(days=n), n % 1000)
        person = Person.objects.create(name="矩阵嫌疑人", id_number=number)
        party = CaseParty.objects.create(case=case, person=person, role=role)
        return Target({key: case.pk}, marker=case.title, obj=party)

    return build


def incident_case_target(key: str = "pk"):
    """A case and an incident at the same place (obj: the incident)."""

    def build(place) -> Target:
        from django.utils import timezone

        from pingan.cases.tests.builders import area as get_area
        from pingan.incidents.models import Incident, IncidentCategory

        case = _case(place)
        where = case.area
        banner = where if where.level == 2 else (where.banner() or get_area("150824000000"))
        incident = Incident.objects.create(
            number=f"MXJQ{next(_seq):06d}", banner=banner, area=where, content="羊被盗",
            received_at=timezone.make_aware(dt.datetime(2024, 2, 28, 21)),
            category=IncidentCategory.objects.get(name="盗窃牲畜"), status="on_scene")
        return Target({key: case.pk}, marker=case.title, obj=incident)

    return build


def campaign_target(key: str | None = "pk"):
    def build(place) -> Target:
        from pingan.cases.models import Campaign

        campaign = Campaign.objects.create(name=f"{MARKER}{next(_seq)}号专项行动", kind="clearance", area=place.node,
                                           start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
        own = first_village(area(place.own_code))
        return Target({key: campaign.pk} if key else {}, marker=campaign.name, obj=(campaign, own))

    return build


def operation_target(key: str | None = "pk", *, spare: bool = False):
    """An operation on the node with one theft case at the place's village (none for "parent", so
    the persona sees it only at its own node); ``spare`` adds an unlinked case to link."""

    def build(place) -> Target:
        from pingan.cases.models import Operation

        op = Operation.objects.create(name=f"{MARKER}{next(_seq)}号合成作战", area=place.node,
                                      opened_on=dt.date(2024, 3, 5))
        if place.village is not None:
            case = _case(place)
            case.operation = op
            case.save(update_fields=["operation"])
        extra = _case(place) if spare else None
        return Target({key: op.pk} if key else {}, marker=op.name, obj=(op, extra))

    return build


def place_target():
    """No record: the place where an API registration puts its case (obj: that Area)."""

    def build(place) -> Target:
        return Target({}, obj=place.village or place.node)

    return build


ROUTES = [
    Route("cases:list", roles=READERS, target=case_target(None), list=True),
    Route("cases:create", roles=WRITERS),
    Route("cases:detail", roles=READERS, target=case_target()),
    Route("cases:edit", roles=WRITERS, target=case_target()),
    Route("cases:transition", roles=WRITERS, method="POST", ok=302, target=case_target(), writes=True,
          body=lambda t: {"status": "filed", "on": "2024-03-02"}),
    Route("cases:party_add", roles=WRITERS, method="POST", ok=302, target=case_target(), writes=True,
          body=lambda t: {"role": "witness", "name": "矩阵证人"}),
    Route("cases:caught", roles=WRITERS, method="POST", ok=302, target=party_target(), writes=True,
          body=lambda t: {"party": t.obj.pk, "caught_on": "2024-03-05"}),
    Route("cases:disposition_add", roles=WRITERS, method="POST", ok=302, target=party_target(), writes=True,
          body=lambda t: {"party": t.obj.pk, "kind": "criminal_detention", "decided_on": "2024-03-05"}),
    Route("cases:loss_add", roles=WRITERS, method="POST", ok=302, target=case_target(), writes=True,
          body=lambda t: {"item": "羊5只", "value": "5500.00"}),
    Route("cases:recovery_add", roles=WRITERS, method="POST", ok=302, target=case_target(), writes=True,
          body=lambda t: {"recovered_on": "2024-03-05", "amount": "1100.00"}),
    Route("cases:incident_link", roles=WRITERS, method="POST", ok=302, target=incident_case_target(), writes=True,
          body=lambda t: {"number": t.obj.number}),
    # Revealing the persons' full ID numbers and phones writes a VIEW_PII audit row: the write checked.
    Route("cases:reveal", roles=REVEALERS, method="POST", target=case_target(), writes=True),
    Route("cases:campaigns", roles=READERS, target=campaign_target(None), list=True, visible=_covering),
    Route("cases:campaign_create", roles=CAMPAIGN_MANAGERS),
    Route("cases:campaign", roles=READERS, target=campaign_target(), visible=_covering),
    Route("cases:campaign_edit", roles=CAMPAIGN_MANAGERS, target=campaign_target()),
    Route("cases:inspection_add", roles=FIELD_WRITERS, method="POST", ok=302, target=campaign_target(),
          visible=_covering, writes=True,
          body=lambda t: {"area": t.obj[1].pk, "place": "矩阵宾馆", "place_kind": "hotel", "inspected_on": "2024-03-05",
                          "problems": "0"}),
    Route("cases:seizure_add", roles=FIELD_WRITERS, method="POST", ok=302, target=campaign_target(),
          visible=_covering, writes=True,
          body=lambda t: {"area": t.obj[1].pk, "item_kind": "knife", "quantity": "2", "seized_on": "2024-03-05"}),
    Route("cases:operations", roles=READERS, target=operation_target(None), list=True),
    Route("cases:operation_create", roles=OPERATION_MANAGERS),
    Route("cases:operation", roles=READERS, target=operation_target()),
    Route("cases:operation_cases", roles=OPERATION_MANAGERS, method="POST", ok=302, writes=True,
          target=operation_target(spare=True), body=lambda t: {"case": t.obj[1].pk, "action": "add"}),
    Route("cases:operation_close", roles=OPERATION_MANAGERS, method="POST", ok=302, writes=True,
          target=operation_target(), body=lambda t: {"closed_on": "2024-04-01"}),
    # API
    Route("GET /api/cases/", roles=READERS, target=case_target(None), list=True),
    Route("POST /api/cases/", roles=WRITERS, ok=201, writes=True, target=place_target(),
          body=lambda t: {"kind": "criminal", "category": "theft_livestock", "title": "矩阵盗羊案",
                          "area_code": t.obj.code, "accepted_on": "2024-03-01"}),
    Route("GET /api/cases/{case_id}", roles=READERS, target=case_target("case_id")),
    Route("POST /api/cases/{case_id}/transitions", roles=WRITERS, target=case_target("case_id"), writes=True,
          body=lambda t: {"status": "filed", "on": "2024-03-02"}),
    Route("GET /api/cases/campaigns", roles=READERS, target=campaign_target(None), list=True, visible=_covering),
    Route("GET /api/cases/campaigns/{campaign_id}", roles=READERS, target=campaign_target("campaign_id"),
          visible=_covering),
    Route("GET /api/cases/operations", roles=READERS, target=operation_target(None), list=True),
    Route("GET /api/cases/operations/{operation_id}", roles=READERS, target=operation_target("operation_id")),
]
