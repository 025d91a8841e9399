"""Disputes, visits and hazards in the permission matrix (see pingan/testing/matrix.py).

Targets are built straight in the state a step needs (a registered dispute for 研判定级, an
assigned one for 调解 …), at the place the matrix names. Disputes are seen by the police, justice
and grid lines alike, so no route is ``line_scoped``.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from pingan.disputes import access
from pingan.testing.matrix import MARKER, Route, Target

_seq = itertools.count(1)


def _today() -> str:
    return timezone.localdate().isoformat()


def _area(place):
    return place.village or place.node


def _staff(place, area, category="人民调解员"):
    from pingan.testing.factories import StaffFactory

    return StaffFactory(name="矩阵调解员", category=category, agency=place.agency(area), area=area)


def _dispute(place, status="registered", *, assigned=False, follow_up=False, supervised=False):
    """A dispute at the place, in ``status``, with one party (and what the status implies)."""
    from pingan.disputes.models import (
        Dispute,
        DisputeParty,
        FollowUp,
        MediationSession,
        RiskLevel,
        Supervision,
    )

    area = _area(place)
    now = timezone.now()
    staff = _staff(place, area) if assigned else None
    d = Dispute.objects.create(
        number=f"MATRIX{next(_seq):08d}", title=f"{MARKER}纠纷", kind="邻里", source="walk_in", area=area,
        risk=RiskLevel.BLUE, status=status, registered_at=now, deadline=timezone.localdate() + dt.timedelta(days=30),
        assigned_staff=staff, assigned_agency=staff.agency if staff else None, assigned_at=now if staff else None)
    DisputeParty.objects.create(dispute=d, name="矩阵当事人", phone="13800000000", role="申请人")
    if status == "follow_up":
        MediationSession.objects.create(dispute=d, held_on=timezone.localdate(), outcome="success", summary="调解成功",
                                        agreement="协议")
        d.result = "success"
        d.save(update_fields=["result"])
    if follow_up:
        FollowUp.objects.create(dispute=d, on=timezone.localdate(), stable=True)
    target = Target({"pk": d.pk}, marker=d.title, obj=d)
    if supervised:
        s = Supervision.objects.create(dispute=d, note="矩阵督办", at=now, by_name="上级")
        target.kwargs["sid"] = s.pk
    target.staff_id = staff.pk if staff else None
    return target


def _keyed(target: Target, key: str | None) -> Target:
    """Name the URL parameter of the record's id ``key`` (None for lists: no parameter)."""
    pk = target.kwargs.pop("pk")
    if key:
        target.kwargs = {key: pk, **target.kwargs}
    return target


def dispute_target(status="registered", key: str | None = "pk", **kw):
    def build(place):
        return _keyed(_dispute(place, status, **kw), key)

    return build


def assignable_target(key="pk"):
    """An assessed dispute and a mediator at its village to give it to (``target.staff_id``)."""

    def build(place):
        target = _dispute(place, "assessed")
        target.staff_id = _staff(place, _area(place)).pk
        return _keyed(target, key)

    return build


def notification_target():
    """A notice to the persona's own unit, on a dispute at the place."""

    def build(place):
        from pingan.accounts.models import User
        from pingan.disputes.models import Notification

        target = _keyed(_dispute(place), None)
        user = User.objects.filter(username=place.login).first()
        agency = user.agency if user is not None and user.agency_id else place.agency()
        Notification.objects.create(dispute=target.obj, kind="risk_raised", text=f"{MARKER}提醒", agency=agency)
        target.marker = f"{MARKER}提醒"
        return target

    return build


def visit_target(key: str | None = "pk"):
    def build(place):
        from pingan.disputes.models import Visit

        area = _area(place)
        visit = Visit.objects.create(area=area, place_kind="学校", place_name=f"{MARKER}小学",
                                     visited_on=timezone.localdate(), findings="无异常")
        visit.team.set([_staff(place, area)])
        return Target({key: visit.pk} if key else {}, marker=visit.place_name, obj=visit)

    return build


def hazard_target(key: str | None = "pk"):
    def build(place):
        from pingan.disputes.models import Hazard

        hazard = Hazard.objects.create(area=_area(place), place_kind="企业", place_name=f"{MARKER}企业",
                                       category="消防", description="灭火器过期", found_on=timezone.localdate(),
                                       deadline=timezone.localdate() + dt.timedelta(days=30))
        return Target({key: hazard.pk} if key else {}, marker=hazard.place_name, obj=hazard)

    return build


def visit_place_target():
    """A village at the place and a team member working there, for logging a visit."""

    def build(place):
        area = _area(place)
        target = Target({"area_code": area.code}, obj=area)
        target.staff_id = _staff(place, area).pk
        return target

    return build


def _status(target):
    from pingan.disputes.models import Dispute

    return list(Dispute.objects.filter(pk=target.obj.pk).values_list("status", "risk", "deadline"))


_grade = {"risk": 3, "reason": "矩阵定级"}
_session = {"held_on": None, "outcome": "failed", "summary": "矩阵调解"}
_follow_up = {"on": None, "method": "电话", "stable": "1", "satisfied": "1"}
_rectify = {"evidence": "矩阵整改完成"}


def _with_today(data: dict, *keys) -> dict:
    return {**data, **{k: _today() for k in keys}}


ROUTES = [
    Route("disputes:list", roles=access.READERS, target=dispute_target(key=None), list=True),
    Route("disputes:new", roles=access.REGISTRARS),
    Route("disputes:detail", roles=access.READERS, target=dispute_target()),
    Route("disputes:assess", roles=access.MANAGERS, method="POST", target=dispute_target(), ok=302,
          body=lambda t: _grade, state=_status, writes=True),
    Route("disputes:regrade", roles=access.MANAGERS, method="POST", target=dispute_target("assessed"), ok=302,
          body=lambda t: _grade, state=_status, writes=True),
    Route("disputes:assign", roles=access.MANAGERS, method="POST", target=assignable_target(), ok=302,
          body=lambda t: {"staff": t.staff_id}, state=_status, writes=True),
    Route("disputes:session", roles=access.HANDLERS, method="POST", target=dispute_target("assigned", assigned=True),
          ok=302, body=lambda t: _with_today(_session, "held_on"), state=_status, writes=True),
    Route("disputes:follow_up", roles=access.FOLLOW_UP_WRITERS, method="POST", target=dispute_target("follow_up"),
          ok=302, body=lambda t: _with_today(_follow_up, "on"), state=_status, writes=True),
    Route("disputes:close", roles=access.MANAGERS, method="POST",
          target=dispute_target("follow_up", follow_up=True), ok=302, body=lambda t: {"note": "矩阵办结"},
          state=_status, writes=True),
    Route("disputes:extend", roles=access.MANAGERS, method="POST", target=dispute_target("assigned", assigned=True),
          ok=302, body=lambda t: {"days": 5, "reason": "矩阵延期"}, state=_status, writes=True),
    Route("disputes:supervise", roles=access.MANAGERS, method="POST",
          target=dispute_target("assigned", assigned=True), ok=302, body=lambda t: {"note": "矩阵督办意见"},
          writes=True),
    Route("disputes:answer", roles=access.HANDLERS, method="POST",
          target=dispute_target("assigned", assigned=True, supervised=True), ok=302,
          body=lambda t: {"answer": "矩阵反馈"}, writes=True),
    Route("disputes:add_party", roles=access.REGISTRARS, method="POST", target=dispute_target(), ok=302,
          body=lambda t: {"name": "矩阵新当事人", "role": "当事人"}, writes=True),
    # Revealing full personal data writes a VIEW_PII audit row: that is the write checked.
    Route("disputes:reveal", roles=access.PII_READERS, method="POST", target=dispute_target(), writes=True),
    Route("disputes:notifications", roles=access.READERS, target=notification_target(), list=True),
    Route("disputes:notifications_read", roles=access.READERS, method="POST", ok=302),
    Route("disputes:visit_list", roles=access.READERS, target=visit_target(None), list=True),
    Route("disputes:visit_new", roles=access.VISIT_WRITERS),
    Route("disputes:visit_detail", roles=access.READERS, target=visit_target()),
    Route("disputes:hazard_list", roles=access.READERS, target=hazard_target(None), list=True),
    Route("disputes:hazard_new", roles=access.VISIT_WRITERS),
    Route("disputes:hazard_detail", roles=access.READERS, target=hazard_target()),
    Route("disputes:hazard_rectify", roles=access.VISIT_WRITERS, method="POST", target=hazard_target(), ok=302,
          body=lambda t: _with_today(_rectify, "rectified_on"), writes=True),
]

API_ROUTES = [
    Route("GET /api/disputes/", roles=access.READERS, target=dispute_target(key=None), list=True),
    Route("POST /api/disputes/", roles=access.REGISTRARS, target=visit_place_target(), ok=201, writes=True,
          body=lambda t: {"area_code": t.kwargs["area_code"], "title": "矩阵登记", "kind": "邻里", "source": "walk_in",
                          "parties": [{"name": "矩阵当事人"}]}),
    Route("GET /api/disputes/{dispute_id}", roles=access.READERS, target=dispute_target(key="dispute_id")),
    Route("POST /api/disputes/{dispute_id}/assess", roles=access.MANAGERS,
          target=dispute_target(key="dispute_id"), body=lambda t: _grade, state=_status, writes=True),
    Route("POST /api/disputes/{dispute_id}/regrade", roles=access.MANAGERS,
          target=dispute_target("assessed", key="dispute_id"), body=lambda t: _grade, state=_status, writes=True),
    Route("POST /api/disputes/{dispute_id}/assign", roles=access.MANAGERS, target=assignable_target("dispute_id"),
          body=lambda t: {"staff_id": t.staff_id}, state=_status, writes=True),
    Route("POST /api/disputes/{dispute_id}/sessions", roles=access.HANDLERS,
          target=dispute_target("assigned", key="dispute_id", assigned=True),
          body=lambda t: _with_today(_session, "held_on"), state=_status, writes=True),
    Route("POST /api/disputes/{dispute_id}/follow-ups", roles=access.FOLLOW_UP_WRITERS,
          target=dispute_target("follow_up", key="dispute_id"),
          body=lambda t: {"on": _today(), "stable": True}, state=_status, writes=True),
    Route("POST /api/disputes/{dispute_id}/close", roles=access.MANAGERS,
          target=dispute_target("follow_up", key="dispute_id", follow_up=True), body=lambda t: {},
          state=_status, writes=True),
    Route("POST /api/disputes/{dispute_id}/extend", roles=access.MANAGERS,
          target=dispute_target("assigned", key="dispute_id", assigned=True),
          body=lambda t: {"days": 5, "reason": "矩阵延期"}, state=_status, writes=True),
    Route("POST /api/disputes/{dispute_id}/supervise", roles=access.MANAGERS,
          target=dispute_target("assigned", key="dispute_id", assigned=True), body=lambda t: {"note": "矩阵督办意见"},
          writes=True),
    Route("GET /api/disputes/visits", roles=access.READERS, target=visit_target(None), list=True),
    Route("POST /api/disputes/visits", roles=access.VISIT_WRITERS, target=visit_place_target(), ok=201, writes=True,
          body=lambda t: {"area_code": t.kwargs["area_code"], "place_kind": "村居", "place_name": "矩阵牧户",
                          "team_ids": [t.staff_id]}),
    Route("GET /api/disputes/hazards", roles=access.READERS, target=hazard_target(None), list=True),
    Route("POST /api/disputes/hazards/{hazard_id}/rectify", roles=access.VISIT_WRITERS,
          target=hazard_target("hazard_id"), body=lambda t: _with_today(_rectify, "rectified_on"), writes=True),
]

ROUTES += API_ROUTES
