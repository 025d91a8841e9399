"""Grids (网格): created by users under a village-level unit, through grid_create."""

import pytest

from pingan.areas.models import Area, AreaKind, Level
from pingan.areas.services import AreaError, area_update_population, grid_create
from pingan.core.models import AuditAction, AuditLog
from pingan.core.scope import NotVisible
from pingan.testing.factories import area
from pingan.testing.personas import BANNER, SIBLING_VILLAGE, TOWNSHIP, VILLAGE

pytestmark = pytest.mark.django_db



def test_a_grid_hangs_under_its_village_with_the_next_code(persona):
    chief = persona("station_chief")
    first = grid_create(actor=chief, parent=area(VILLAGE), name="第一网格", population=300)
    second = grid_create(actor=chief, parent=area(VILLAGE), name="第二网格")
    assert (first.code, second.code) == (VILLAGE + "001", VILLAGE + "002")
    assert (first.kind, first.level, first.parent.code) == (AreaKind.GRID, Level.GRID, VILLAGE)
    assert first.path == area(VILLAGE).path + first.code + "/"
    assert first.population == 300
    assert area(VILLAGE).subtree().filter(kind=AreaKind.GRID).count() == 2


def test_grid_codes_continue_after_the_highest_not_the_count(persona):
    chief = persona("station_chief")
    grid_create(actor=chief, parent=area(VILLAGE), name="第一网格")
    Area.objects.filter(code=VILLAGE + "001").update(code=VILLAGE + "007", path=area(VILLAGE).path + VILLAGE + "007/")
    assert grid_create(actor=chief, parent=area(VILLAGE), name="第二网格").code == VILLAGE + "008"


def test_creating_a_grid_is_audited(persona):
    grid = grid_create(actor=persona("station_chief"), parent=area(VILLAGE), name="第一网格")
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_id=str(grid.pk))
    assert row.actor_login == "station_chief"
    assert row.after["code"] == grid.code and row.after["kind"] == "网格"


@pytest.mark.parametrize("code", [BANNER, TOWNSHIP])
def test_a_grid_only_goes_under_a_village_level_unit(persona, code):
    with pytest.raises(AreaError, match="网格只能建在村、嘎查或社区之下"):
        grid_create(actor=persona("hq_officer"), parent=area(code), name="第一网格")


def test_a_grid_does_not_go_under_a_grid(persona):
    grid = grid_create(actor=persona("hq_officer"), parent=area(VILLAGE), name="第一网格")
    with pytest.raises(AreaError):
        grid_create(actor=persona("hq_officer"), parent=grid, name="子网格")


def test_a_grid_needs_a_name_unique_in_its_village(persona):
    chief = persona("station_chief")
    with pytest.raises(AreaError, match="网格名称不能为空"):
        grid_create(actor=chief, parent=area(VILLAGE), name="  ")
    grid_create(actor=chief, parent=area(VILLAGE), name="第一网格")
    with pytest.raises(AreaError, match="已有网格“第一网格”"):
        grid_create(actor=chief, parent=area(VILLAGE), name=" 第一网格 ")
    grid_create(actor=chief, parent=area(SIBLING_VILLAGE), name="第一网格")  # another village may


def test_a_grid_outside_the_actors_jurisdiction_is_refused_and_nothing_is_written(persona):
    officer = persona("village_officer")
    before = Area.objects.count()
    with pytest.raises(NotVisible):
        grid_create(actor=officer, parent=area(SIBLING_VILLAGE), name="第一网格")
    assert Area.objects.count() == before
    assert not AuditLog.objects.filter(action=AuditAction.CREATE).exists()


def test_a_village_has_at_most_999_grids(persona):
    village = area(VILLAGE)
    Area.objects.create(code=VILLAGE + "999", name="末网格", short_name="末网格", kind=AreaKind.GRID,
                        level=Level.GRID, parent=village, path=f"{village.path}{VILLAGE}999/")
    with pytest.raises(AreaError, match="最多999个网格"):
        grid_create(actor=persona("hq_officer"), parent=village, name="再一个")


def test_population_and_households_are_edited_within_scope_and_audited(persona):
    chief = persona("station_chief")
    area_update_population(actor=chief, area=area(VILLAGE), population=1520, households=610)
    assert (area(VILLAGE).population, area(VILLAGE).households) == (1520, 610)
    row = AuditLog.objects.get(action=AuditAction.UPDATE)
    assert (row.before, row.after) == ({"population": None, "households": None},
                                       {"population": 1520, "households": 610})
    with pytest.raises(AreaError, match="人口不能为负数"):
        area_update_population(actor=chief, area=area(VILLAGE), population=-1, households=None)
    with pytest.raises(NotVisible):
        area_update_population(actor=persona("village_officer"), area=area(SIBLING_VILLAGE), population=1,
                               households=1)
