import pytest

from pingan.areas.models import Area
from pingan.core.imports import run_import
from pingan.core.models import AuditAction, AuditLog
from pingan.org.importers import IMPORTERS
from pingan.org.tests.test_import import workbook_upload
from pingan.testing.personas import SIBLING_VILLAGE, VILLAGE

pytestmark = pytest.mark.django_db
HEADERS = ["区划代码", "人口", "户数"]


def import_population(user, *rows):
    return run_import(IMPORTERS["population"], user, workbook_upload(HEADERS, rows))


def test_a_station_chief_imports_population_and_households_of_their_villages(persona):
    result = import_population(persona("station_chief"), [VILLAGE, 1260, 480], [SIBLING_VILLAGE, "900", "310"])
    assert not result.errors
    assert Area.objects.get(code=VILLAGE).population == 1260
    assert Area.objects.get(code=SIBLING_VILLAGE).households == 310
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_type="areas.Area").count() == 2


def test_a_unit_outside_the_township_or_a_bad_number_imports_nothing(persona):
    result = import_population(persona("station_chief"), [VILLAGE, 1260, 480], ["150824101201", 10, 3],
                               [SIBLING_VILLAGE, -5, 2])
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "不存在或不在您的辖区内" in reasons[(3, "区划代码")]
    assert "不小于0的整数" in reasons[(4, "人口")]
    assert Area.objects.get(code=VILLAGE).population is None


def test_a_unit_listed_twice_is_an_error_on_the_second_row(persona):
    result = import_population(persona("station_chief"), [VILLAGE, 1, 1], [VILLAGE, 2, 2])
    assert [(e.row, e.column) for e in result.errors] == [(3, "区划代码")]


def test_roles_that_do_not_keep_the_tree_are_not_offered_the_population_import(persona):
    assert not IMPORTERS["population"].available_to(persona("judicial_office"))
