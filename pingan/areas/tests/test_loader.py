"""Loading banners from the official 2023 division codes (``pingan areas load --banner CODE``)."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from pingan.areas.models import ADMIN_VILLAGE_KINDS, Area, AreaKind, Level
from pingan.areas.services import AreaError, areas_load_banner, grid_create
from pingan.core.models import AuditAction, AuditLog
from pingan.testing.personas import BANNER, VILLAGE

pytestmark = pytest.mark.django_db


def kinds_under(code: str, level: int) -> Counter:
    banner = Area.objects.get(code=code)
    return Counter(banner.subtree().filter(level=level).values_list("kind", flat=True))


def test_urad_middle_banner_has_87_admin_villages_11_communities_and_8_other_units():
    villages = kinds_under(BANNER, Level.VILLAGE)
    assert villages[AreaKind.VILLAGE] + villages[AreaKind.GACHA] == 87
    assert (villages[AreaKind.GACHA], villages[AreaKind.VILLAGE]) == (63, 24)
    assert villages[AreaKind.COMMUNITY] == 11
    assert villages[AreaKind.OTHER] == 8
    assert sum(villages.values()) == 106


def test_urad_middle_banner_has_10_townships_and_sumu_plus_2_farms():
    townships = kinds_under(BANNER, Level.TOWNSHIP)
    assert (townships[AreaKind.TOWN], townships[AreaKind.SUMU]) == (6, 4)
    assert townships[AreaKind.OTHER] == 2
    assert sum(townships.values()) == 12


def test_a_banner_comes_with_its_region_and_league_and_every_path_is_its_parents_plus_its_code():
    banner = Area.objects.get(code=BANNER)
    assert [a.short_name for a in banner.ancestors()] == ["内蒙古自治区", "巴彦淖尔市"]
    assert [a.kind for a in banner.ancestors()] == [AreaKind.PROVINCE, AreaKind.LEAGUE]
    for unit in Area.objects.select_related("parent").filter(path__startswith=banner.path):
        expected = (unit.parent.path if unit.parent else "") + unit.code + "/"
        assert unit.path == expected
        assert unit.level == (unit.parent.level + 1 if unit.parent else Level.PROVINCE)


def test_reloading_a_banner_is_idempotent_and_keeps_figures_and_grids():
    village = Area.objects.get(code=VILLAGE)
    village.population = 1520
    village.save()
    grid = grid_create(actor=None, parent=village, name="第一网格")
    before = Area.objects.count()
    counts = areas_load_banner(banner_code="150824")
    assert counts == {"created": 0, "updated": 0, "units": 121}
    assert Area.objects.count() == before
    assert Area.objects.get(code=VILLAGE).population == 1520
    assert Area.objects.filter(pk=grid.pk).exists()


def test_loading_another_banner_adds_it_once_and_is_audited():
    counts = areas_load_banner(banner_code="150627000000")
    assert counts["created"] == counts["units"] - 1  # 内蒙古自治区 is already there; 鄂尔多斯市 is new
    assert areas_load_banner(banner_code="150627")["created"] == 0
    banner = Area.objects.get(code="150627000000")
    assert banner.subtree().filter(level=Level.VILLAGE).count() == 167
    assert Area.objects.get(code="150627100015").short_name == "西苑社区"  # name carrying the whole chain
    (row,) = AuditLog.objects.filter(action=AuditAction.IMPORT, object_id=str(banner.pk))  # a no-op reload is quiet
    assert row.after == counts


def test_a_code_that_is_not_a_banner_is_refused():
    with pytest.raises(AreaError, match="找不到旗县级区划代码"):
        areas_load_banner(banner_code="150824100000")
    with pytest.raises(AreaError):
        areas_load_banner(banner_code="999999")


def test_the_command_loads_and_reports_in_chinese():
    out = io.StringIO()
    call_command("areas", "load", "--banner", "150824", stdout=out)
    assert out.getvalue().strip() == "150824: 共121个单位，新增0，更新0"
    with pytest.raises(CommandError, match="找不到旗县级区划代码"):
        call_command("areas", "load", "--banner", "123456", stdout=out)


def test_a_subtree_is_one_sql_query(django_assert_num_queries):
    banner = Area.objects.get(code=BANNER)
    with django_assert_num_queries(1):
        units = list(banner.subtree())
    assert len(units) == 121 - 2  # without the region and the league


def test_what_a_user_sees_is_one_sql_query_once_the_scope_is_known(persona, django_assert_num_queries):
    from pingan.core.scope import scope_of

    chief = persona("station_chief")
    scope_of(chief, reference=True)
    with django_assert_num_queries(1):
        visible = list(Area.objects.visible_to(chief).filter(kind__in=ADMIN_VILLAGE_KINDS))
    assert visible and all(a.code.startswith("150824100") for a in visible)
