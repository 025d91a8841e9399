"""Reads for disputes, visits and hazards: every query starts from ``visible_to(user)``; a record
outside the user's scope answers 404 (``get_visible_or_404``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core.scope import get_visible_or_404
from pingan.disputes.models import (
    Dispute,
    DisputeStatus,
    Hazard,
    Notification,
    RiskLevel,
    Supervision,
    Visit,
)
from pingan.disputes.services import ASSIGNABLE_AGENCY_KINDS, ASSIGNABLE_STAFF, township_path
from pingan.org.models import Agency, Staff, StaffCategory

# ---- disputes -------------------------------------------------------------------------------


def dispute_list(user) -> QuerySet[Dispute]:
    return (Dispute.objects.visible_to(user)
            .select_related("area__parent", "assigned_agency", "assigned_staff")
            .prefetch_related("parties"))


def dispute_get(user, pk) -> Dispute:
    qs = Dispute.objects.select_related("area__parent", "assigned_agency__area", "assigned_staff__area",
                                        "source_visit", "reporter", "registered_by", "closed_by")
    return get_visible_or_404(qs, user, pk=pk)


LOOP_LABELS = ("登记", "研判定级", "分派", "化解", "回访", "办结")


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str
    text: str
    by: str
    css: str = ""


def _who(user) -> str:
    if user is None:
        return "系统"
    return user.full_name or user.username


def dispute_detail(user, dispute: Dispute) -> dict:
    """Everything the dispute page shows. Linked incidents are police records: only the ones the
    reader may see are listed, the rest only counted."""
    from pingan.incidents.models import Incident

    links = list(dispute.incident_links.select_related("incident").order_by("incident__received_at"))
    visible_ids = set(Incident.objects.visible_to(user).filter(pk__in=[link.incident_id for link in links])
                      .values_list("pk", flat=True))
    source_incident = None
    if dispute.source_incident_id and Incident.objects.visible_to(user).filter(pk=dispute.source_incident_id).exists():
        source_incident = dispute.source_incident
    risk_changes = list(dispute.risk_changes.select_related("by", "incident"))
    status_changes = list(dispute.status_changes.select_related("by"))
    extensions = list(dispute.extensions.select_related("by"))
    supervisions = list(dispute.supervisions.select_related("by", "answered_by"))
    timeline = [Event(c.at, "状态", f"{c}{'：' + c.note if c.note else ''}", _who(c.by)) for c in status_changes]
    timeline += [Event(c.at, "风险", f"{c.get_from_risk_display()}→{c.get_to_risk_display()}（{c.get_signal_display()}）"
                                     f"：{c.reason}", _who(c.by), "text-danger" if c.is_raise else "")
                 for c in risk_changes]
    timeline += [Event(e.at, "延期", f"延期{e.days}天，时限{e.old_deadline:%Y-%m-%d}→{e.new_deadline:%Y-%m-%d}："
                                     f"{e.reason}", _who(e.by)) for e in extensions]
    timeline += [Event(s.at, "督办", f"{s.by_name}：{s.note}", _who(s.by), "text-warning-emphasis") for s in supervisions]
    timeline.sort(key=lambda e: e.at)  # stable: same-time steps keep their order
    timeline.reverse()
    order = [s for s in DisputeStatus.values]
    now = order.index(dispute.status)
    loop = [(label, "done" if i < now or dispute.status == DisputeStatus.CLOSED else "now" if i == now else "")
            for i, label in enumerate(LOOP_LABELS)]
    return {
        "loop": loop,
        "parties": list(dispute.parties.all()),
        "sessions": list(dispute.sessions.select_related("mediator", "by")),
        "follow_ups": list(dispute.follow_ups.select_related("by")),
        "risk_changes": risk_changes,
        "status_changes": status_changes,
        "extensions": extensions,
        "supervisions": supervisions,
        "open_supervisions": [s for s in supervisions if s.answered_at is None],
        "incident_links": [link for link in links if link.incident_id in visible_ids],
        "hidden_incidents": len(links) - len(visible_ids),
        "source_incident": source_incident,
        "timeline": timeline,
    }


def assignable_agencies(dispute: Dispute) -> QuerySet[Agency]:
    """Units that cover the dispute's village: its station, judicial office, 综治中心, village committee.
    Not cut by the reader's line: a station chief gives a dispute to the judicial office next door."""
    return (Agency.objects.filter(kind__in=ASSIGNABLE_AGENCY_KINDS, area__code__in=dispute.area.ancestor_codes())
            .select_related("area").order_by("kind", "name"))


def assignable_staff(dispute: Dispute) -> QuerySet[Staff]:
    """People who may handle it: working at the village, above it, or in its township (names only)."""
    ancestors = dispute.area.ancestor_codes()
    return (Staff.objects.filter(active=True, category__in=ASSIGNABLE_STAFF)
            .filter(Q(area__code__in=ancestors) | Q(area__path__startswith=township_path(dispute.area)))
            .select_related("agency", "area").order_by("category", "name"))


def mediators(dispute: Dispute) -> QuerySet[Staff]:
    return assignable_staff(dispute)


def notifications_for(user) -> QuerySet[Notification]:
    """Notices addressed to the user's unit or to the user in person, within their scope."""
    q = Q()
    if getattr(user, "agency_id", None):
        q |= Q(agency_id=user.agency_id)
    if getattr(user, "staff_id", None):
        q |= Q(staff_id=user.staff_id)
    if not q:
        return Notification.objects.none()
    return Notification.objects.visible_to(user).filter(q).select_related("dispute")


def open_supervisions_for(user) -> QuerySet[Supervision]:
    """督办 not yet answered on disputes the user's unit or the user handles."""
    mine = Dispute.objects.visible_to(user).open().assigned_to(user)
    return Supervision.objects.filter(dispute__in=mine, answered_at__isnull=True).select_related("dispute")


@dataclass(frozen=True)
class DisputeCounts:
    to_assess: int
    overdue: int
    high_risk: int
    mine_open: int
    mine_overdue: int


def dispute_counts(user) -> DisputeCounts:
    from django.db.models import Count

    today = timezone.localdate()
    qs = Dispute.objects.visible_to(user).open()
    agg = qs.aggregate(
        to_assess=Count("pk", filter=Q(status=DisputeStatus.REGISTERED)),
        overdue=Count("pk", filter=Q(deadline__lt=today)),
        high_risk=Count("pk", filter=Q(risk__gte=RiskLevel.ORANGE)),
    )
    mine = qs.assigned_to(user).aggregate(mine_open=Count("pk"), mine_overdue=Count("pk", filter=Q(deadline__lt=today)))
    return DisputeCounts(**agg, **mine)


# ---- visits and hazards ---------------------------------------------------------------------


def visit_list(user) -> QuerySet[Visit]:
    return (Visit.objects.visible_to(user).select_related("area__parent", "logged_by")
            .prefetch_related(Prefetch("team", queryset=Staff.objects.only("id", "name", "category")),
                              "hazards", "disputes"))


def visit_get(user, pk) -> Visit:
    return get_visible_or_404(Visit.objects.select_related("area__parent", "logged_by"), user, pk=pk)


def hazard_list(user) -> QuerySet[Hazard]:
    return Hazard.objects.visible_to(user).select_related("area__parent", "visit")


def hazard_get(user, pk) -> Hazard:
    return get_visible_or_404(Hazard.objects.select_related("area__parent", "visit", "found_by", "rectified_by"),
                              user, pk=pk)


def villages_for(user) -> QuerySet[Area]:
    """The village-level units a user may record at (for the forms' choices)."""
    return Area.objects.visible_to(user).filter(level=Level.VILLAGE).select_related("parent").order_by("code")


def village_get(user, code: str) -> Area:
    return get_visible_or_404(Area.objects.filter(level=Level.VILLAGE), user, code=code)


TEAM_CATEGORIES = (StaffCategory.POLICE_OFFICER, StaffCategory.AUXILIARY, StaffCategory.PART_TIME_ASSISTANT,
                   StaffCategory.GRID_WORKER, StaffCategory.MEDIATOR, StaffCategory.JUSTICE_STAFF,
                   StaffCategory.LEGAL_ADVISER, StaffCategory.LEGAL_LITERATE, StaffCategory.VILLAGE_CADRE)


def team_candidates(area: Area) -> QuerySet[Staff]:
    """Who can be on a visit team at ``area``: community police, judicial-office staff, grid workers …
    working at the village, above it or in its township (names and categories only are shown)."""
    return (Staff.objects.filter(active=True, category__in=TEAM_CATEGORIES)
            .filter(Q(area__code__in=area.ancestor_codes()) | Q(area__path__startswith=township_path(area)))
            .select_related("agency").order_by("category", "name"))


def visit_defaults(user) -> dict:
    """Sensible defaults for the phone form: today, the user's own village (or the one of their last
    visit) and the team they went out with last time, the user first."""
    last = Visit.objects.visible_to(user).filter(logged_by=user).order_by("-visited_on", "-id").first()
    area = None
    jurisdiction = getattr(user, "jurisdiction", None)
    if jurisdiction is not None and jurisdiction.level == Level.VILLAGE:
        area = jurisdiction
    elif last is not None:
        area = last.area
    team: list[int] = []
    if getattr(user, "staff_id", None):
        team.append(user.staff_id)
    if last is not None and (area is None or last.area_id == area.pk):
        team += [pk for pk in last.team.values_list("pk", flat=True) if pk not in team]
    return {"area": area, "team": team, "visited_on": timezone.localdate()}


def recent_place_names(user, area: Area | None, limit: int = 20) -> list[str]:
    if area is None:
        return []
    names = (Visit.objects.visible_to(user).filter(area=area).order_by("-visited_on")
             .values_list("place_name", flat=True)[:200])
    return list(dict.fromkeys(names))[:limit]
