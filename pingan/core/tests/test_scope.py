import pytest

from pingan.areas.models import Area
from pingan.core.scope import NotVisible, Scope, ensure_visible
from pingan.org.models import Staff
from pingan.testing.factories import AgencyFactory, StaffFactory, area
from pingan.testing.personas import BANNER, SIBLING_TOWNSHIP, TOWNSHIP, VILLAGE

pytestmark = pytest.mark.django_db


def test_a_station_chief_sees_the_subtree_of_their_township_and_nothing_beside_it(persona):
    chief = persona("station_chief")
    visible = Area.objects.visible_to(chief)
    assert visible.filter(code=VILLAGE).exists()
    assert not visible.filter(code=SIBLING_TOWNSHIP).exists()
    assert not visible.filter(code=BANNER).exists()


def test_police_roles_do_not_see_justice_staff_even_in_their_own_township(persona):
    chief = persona("station_chief")
    office = AgencyFactory(kind="judicial_office", area=area(TOWNSHIP))
    mediator = StaffFactory(agency=office, category="人民调解员")
    officer = StaffFactory(agency=AgencyFactory(kind="police_station", area=area(TOWNSHIP)))
    assert list(Staff.objects.visible_to(chief)) == [officer]
    with pytest.raises(NotVisible):
        ensure_visible(chief, mediator)


def test_an_inactive_or_anonymous_actor_sees_nothing(persona):
    chief = persona("station_chief")
    chief.is_active = False
    assert not Area.objects.visible_to(chief).exists()


def test_the_system_scope_sees_everything():
    assert Area.objects.visible_to(Scope.system()).count() == Area.objects.count()
