"""Builders for the disputes tests: disputes at a place and in a state, stations and mediators,
incidents as the incidents app registers them (and its signal)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from pingan.areas.models import Area
from pingan.disputes import services
from pingan.disputes.models import (
    DisputeKind,
    DisputeSource,
    DisputeStatus,
    MediationOutcome,
    PartyRole,
    RiskLevel,
)
from pingan.disputes.services import PartyIn
from pingan.org.models import AgencyKind, StaffCategory
from pingan.testing.factories import StaffFactory, area
from pingan.testing.personas import BANNER, SIBLING_TOWNSHIP, SIBLING_VILLAGE, TOWNSHIP, VILLAGE, agency_for

OTHER_TOWNSHIP_VILLAGE = "150824101201"  # 双荣村, 乌加河镇 (the sibling township)
_numbers = itertools.count(1)

__all__ = ["BANNER", "TOWNSHIP", "VILLAGE", "SIBLING_VILLAGE", "SIBLING_TOWNSHIP", "OTHER_TOWNSHIP_VILLAGE"]


def village(code: str = VILLAGE) -> Area:
    return area(code)


def station(code: str = TOWNSHIP):
    return agency_for(AgencyKind.POLICE_STATION, area(code))


def judicial_office(code: str = TOWNSHIP):
    return agency_for(AgencyKind.JUDICIAL_OFFICE, area(code))


def mediator(at: str = VILLAGE, township: str | None = None, **kw):
    township = township or area(at).parent.code
    return StaffFactory(category=StaffCategory.MEDIATOR, agency=judicial_office(township), area=area(at), **kw)


def party(name="张海军", phone="13847100001", role=PartyRole.APPLICANT, **kw) -> PartyIn:
    return PartyIn(name=name, phone=phone, role=role, **kw)


def dispute(*, at: str = VILLAGE, actor=None, title="邻里之间因院墙界址发生争执", kind=DisputeKind.NEIGHBOUR,
            parties=None, days_ago: int = 0, **kw):
    registered_at = timezone.now() - dt.timedelta(days=days_ago)
    parties = [party(), party("李娜", "13847100002", PartyRole.RESPONDENT)] if parties is None else parties
    return services.dispute_register(actor=actor, area=area(at), title=title, kind=kind,
                                     source=kw.pop("source", DisputeSource.WALK_IN), parties=parties,
                                     registered_at=registered_at, **kw)


def to_status(d, status: str, *, actor=None, staff=None):
    """Walk a dispute along the loop up to ``status`` (through the services)."""
    steps = [DisputeStatus.ASSESSED, DisputeStatus.ASSIGNED, DisputeStatus.MEDIATING, DisputeStatus.FOLLOW_UP,
             DisputeStatus.CLOSED]
    today = timezone.localdate()
    for step in steps[:steps.index(status) + 1]:
        if step == DisputeStatus.ASSESSED:
            d = services.dispute_assess(actor=actor, dispute=d, risk=d.risk, reason="研判：一般邻里纠纷")
        elif step == DisputeStatus.ASSIGNED:
            d = services.dispute_assign(actor=actor, dispute=d, staff=staff or mediator(d.area.code))
        elif step == DisputeStatus.MEDIATING:
            services.dispute_record_session(actor=actor, dispute=d, held_on=today, outcome=MediationOutcome.FAILED,
                                            summary="双方各执一词，未达成一致")
        elif step == DisputeStatus.FOLLOW_UP:
            services.dispute_record_session(actor=actor, dispute=d, held_on=today, outcome=MediationOutcome.SUCCESS,
                                            summary="经调解双方达成协议", agreement="院墙按原界址重砌，费用各半")
        elif step == DisputeStatus.CLOSED:
            services.dispute_follow_up(actor=actor, dispute=d, on=today, stable=True, note="双方已按协议履行")
            d = services.dispute_close(actor=actor, dispute=d, note="化解办结")
        d.refresh_from_db()
    return d


def category(name="纠纷"):
    from pingan.incidents.models import IncidentCategory

    return IncidentCategory.objects.get_or_create(name=name)[0]


def incident(*, at: str = VILLAGE, phone="", name="", content="", when=None, banner: str = BANNER):
    """An incident row as the incidents app saves it (normalised phone included)."""
    from pingan.incidents.models import Incident

    return Incident.objects.create(
        number=f"J{next(_numbers):08d}", banner=area(banner), area=area(at), received_at=when or timezone.now(),
        caller_name=name, caller_phone=phone, content=content, category=category(),
        phone_key=services.normalise_phone(phone))


def send(inc, repeats=(), actor=None):
    """What the incidents app does after registering one: tell the listeners."""
    from pingan.incidents.models import Incident
    from pingan.incidents.signals import incident_registered

    return incident_registered.send(sender=Incident, incident=inc, repeats=list(repeats), actor=actor)


RED, ORANGE, YELLOW, BLUE = RiskLevel.RED, RiskLevel.ORANGE, RiskLevel.YELLOW, RiskLevel.BLUE
