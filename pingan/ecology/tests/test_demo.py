"""The demo of 乌拉特中旗 2024 (on the foundation's police): its figures come from its records."""

import io

import pytest

from pingan.areas.models import Area
from pingan.demo import build_police
from pingan.demo.base import DemoContext
from pingan.ecology import demo
from pingan.ecology.models import Keeper, Patrol, Zone
from pingan.reports.registry import ReportContext, compute_all
from pingan.reports.text import report_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """Built once for the module (the foundation's police, then the demo); rolled back after."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_police.build(DemoContext())
            out = io.StringIO()
            demo.build(stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def values(built):
    ctx = ReportContext(Area.objects.get(code="150824000000"), 2024)
    return ctx, compute_all(ctx)


def test_the_demo_gives_a_banner_of_zones_with_their_chains(values):
    ctx, v = values
    assert v["ecology.zones"] == 16  # 18 built: one dissolved in 2023, one set up in 2025
    assert v["ecology.zones_added"] == 1
    assert v["ecology.complete_chains"] == 15  # the wetland's ranger left in August
    assert v["ecology.guards"] >= 20
    assert 400 <= v["ecology.patrols"] <= 800
    assert 0 < v["ecology.patrol_findings"] < v["ecology.patrols"] // 5
    assert v["ecology.joint_actions"] == 15 and v["ecology.joint_agencies"] == 4


def test_the_figures_drill_down_to_their_records(values):
    ctx, v = values
    zones = Zone.objects.filter(area__path__startswith=ctx.banner.path)
    assert zones.count() == 18
    assert Patrol.objects.filter(patrolled_on__year=2024).count() == v["ecology.patrols"]
    wetland = zones.get(name="新忽热苏木湖泊湿地责任区")
    assert not Keeper.objects.current(ctx.last_day).filter(zone=wetland, level=4).exists()


def test_the_summary_words_the_programme(values):
    ctx, v = values
    text = report_text(ctx, v)
    assert "划定生态保护责任区16个（山1个、水1个、林2个、田2个、湖2个、草6个、沙2个）" in text
    assert "开展联合执法15次" in text


def test_the_demo_is_idempotent(built):
    before = (Zone.objects.count(), Patrol.objects.count(), Keeper.objects.count())
    out = io.StringIO()
    demo.build(stdout=out)
    assert "已存在" in out.getvalue()
    assert (Zone.objects.count(), Patrol.objects.count(), Keeper.objects.count()) == before
