"""The role table and the data scope it gives each user."""

import pytest

from pingan.accounts.roles import POLICIES, Role
from pingan.areas.models import Area
from pingan.core.scope import Line
from pingan.org.models import Agency, AgencyKind, Staff
from pingan.testing.factories import AgencyFactory, StaffFactory, area
from pingan.testing.personas import BANNER, PERSONAS, TOWNSHIP, VILLAGE

pytestmark = pytest.mark.django_db



def test_there_are_the_twelve_roles_of_the_issue_each_with_a_policy():
    assert set(POLICIES) == set(Role.values)
    assert len(Role.values) == 12
    assert {r.label for r in Role} >= {"系统管理员", "安全管理员", "审计管理员", "派出所所长", "法律明白人", "行政机关联络员"}


@pytest.mark.parametrize("login", sorted(PERSONAS))
def test_a_users_scope_is_the_subtree_of_their_post_times_their_roles_lines(persona, login):
    user = persona(login)
    scope = user.data_scope()
    assert scope.path == user.jurisdiction.path
    assert scope.lines == POLICIES[user.role].lines
    assert not scope.unrestricted


def test_a_user_without_a_jurisdiction_or_a_role_sees_nothing(persona):
    user = persona("station_chief")
    user.jurisdiction = None
    assert user.data_scope().path is None
    user = persona("hq_officer")
    user.role = ""
    assert not Area.objects.visible_to(user.data_scope()).exists()


def test_the_system_administrator_sees_reference_data_of_every_line_but_no_business_line(persona):
    user = persona("sysadmin")
    assert user.data_scope().lines == frozenset()
    assert user.reference_scope().lines == frozenset(Line.values)
    StaffFactory(agency=AgencyFactory(kind=AgencyKind.JUDICIAL_OFFICE, area=area(TOWNSHIP)))
    StaffFactory(agency=AgencyFactory(kind=AgencyKind.POLICE_STATION, area=area(TOWNSHIP)))
    assert Staff.objects.visible_to(user).count() == 2


@pytest.mark.parametrize("login", ["secadmin", "auditor"])
def test_the_security_and_audit_administrators_see_no_jurisdiction_data(persona, login):
    user = persona(login)
    StaffFactory()
    assert not Area.objects.visible_to(user).exists()
    assert not Staff.objects.visible_to(user).exists()


def test_a_village_level_user_sees_their_village_and_its_grids_only(persona):
    user = persona("grid_worker")
    codes = set(Area.objects.visible_to(user).values_list("code", flat=True))
    assert codes == {VILLAGE}


def test_an_agency_liaison_sees_only_its_own_agencys_people(persona):
    liaison = persona("liaison")
    own = StaffFactory(agency=liaison.agency, area=area(BANNER))
    other_agency = AgencyFactory(kind=AgencyKind.ADMIN_AGENCY, area=area(BANNER), name="乌拉特中旗卫健委")
    StaffFactory(agency=other_agency, area=area(BANNER))
    assert list(Staff.objects.visible_to(liaison)) == [own]
    assert list(Agency.objects.visible_to(liaison)) == [liaison.agency]
