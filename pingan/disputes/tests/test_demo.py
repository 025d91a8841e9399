"""The demo: deterministic, idempotent, consistent with the rules (small scale to keep it fast)."""

import datetime as dt
import io

import pytest
from django.db import transaction
from django.utils import timezone

from pingan.disputes import demo
from pingan.disputes.models import (
    Dispute,
    DisputeIncident,
    DisputeStatus,
    Hazard,
    RiskChange,
    RiskLevel,
    RiskSignal,
    Visit,
)
from pingan.disputes.tests import builders as b

pytestmark = pytest.mark.django_db
SCALE = 0.04


class _Undo(Exception):
    pass


def fingerprint():
    return (list(Dispute.objects.order_by("number").values_list("number", "title", "kind", "risk", "status",
                                                                  "deadline", "area__code")),
            list(Visit.objects.order_by("visited_on", "id").values_list("visited_on", "place_name", "area__code")),
            list(Hazard.objects.order_by("found_on", "id").values_list("found_on", "category", "status")))


def test_the_demo_is_deterministic_and_idempotent():
    try:
        with transaction.atomic():
            demo.build(scale=SCALE)
            first = fingerprint()
            raise _Undo
    except _Undo:
        pass
    assert not Dispute.objects.exists()
    out = io.StringIO()
    demo.build(stdout=out, scale=SCALE)
    assert fingerprint() == first and first[0]
    demo.build(stdout=out, scale=SCALE)
    assert "已存在，跳过" in out.getvalue()
    assert fingerprint() == first


def test_the_demo_follows_the_loop_and_its_rules():
    demo.build(scale=SCALE)
    disputes = list(Dispute.objects.prefetch_related("status_changes", "sessions", "follow_ups"))
    assert disputes and all(d.number.startswith("150824JF2024") for d in disputes)
    for d in disputes:
        changes = list(d.status_changes.all())
        assert [c.at for c in changes] == sorted(c.at for c in changes)
        assert all(a.to_status == b.from_status for a, b in zip(changes, changes[1:], strict=False))
        assert changes[-1].to_status == d.status
        if d.status == DisputeStatus.CLOSED:
            assert d.follow_ups.filter(stable=True).exists() and d.result
    assert Visit.objects.filter(visited_on__year=2024).count() == round(demo.VISITS * SCALE)
    assert all(v.team.exists() for v in Visit.objects.all()[:20])


def test_the_demo_links_the_parties_repeat_calls_and_raises_the_risk():
    start = timezone.make_aware(dt.datetime(2024, 5, 6, 9, 0))
    for n in range(4):
        phone = f"1394710{n:04d}"
        when = start + dt.timedelta(days=20 * n)
        source = b.incident(at=b.VILLAGE, phone=phone, name=f"王建{'国军伟强'[n]}", content="邻里纠纷", when=when)
        source.category = b.category("纠纷")
        source.save()
        for minutes in (60, 90):
            again = b.incident(at=b.VILLAGE, phone=phone, content="又吵起来了", when=when + dt.timedelta(minutes=minutes))
            again.category = b.category("治安")
            again.save()
    demo.build(scale=SCALE)
    sourced = Dispute.objects.filter(source_incident__isnull=False)
    assert sourced.count() == 4
    for d in sourced:
        assert DisputeIncident.objects.filter(dispute=d).count() == 2
        assert d.risk >= RiskLevel.ORANGE  # three calls in 30 days (or graver on another signal already)
    raised = RiskChange.objects.filter(dispute__in=sourced, signal=RiskSignal.REPEAT_INCIDENT)
    assert raised.filter(reason__contains="第3次报警").exists()
    assert all(c.incident_id for c in raised)
