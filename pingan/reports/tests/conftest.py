import datetime as dt

import pytest

from pingan.accounts.models import User
from pingan.accounts.roles import Role
from pingan.org.models import AgencyKind, AssignmentRole
from pingan.testing import org_builders as b
from pingan.testing.factories import area
from pingan.testing.personas import PASSWORD, agency_for


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Personas are made per test; the production hasher would spend most of the time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Records in the station chief's township (海流图镇) and in its sibling (乌加河镇).

    Whole banner, 2024: 3 auxiliary officers on 3 villages (1 own, 2 sibling), 1 part-time assistant
    (own), 1 high-standard room (own), 2 officers seated (own township team, sibling village team),
    2 HQ staff sent down (own station in April, sibling station in June), no new recruits."""
    b.assign(b.OWN_VILLAGES[0])
    b.assign(b.SIBLING_VILLAGES[0])
    b.assign(b.SIBLING_VILLAGES[1])
    b.assign(b.OWN_VILLAGES[1], role=AssignmentRole.PART_TIME)
    b.room(b.OWN_VILLAGES[0], opened=dt.date(2023, 6, 1))
    b.seat(b.OWN_TOWNSHIP, start=dt.date(2024, 3, 1))
    b.seat(b.SIBLING_VILLAGES[0], start=dt.date(2024, 5, 10))
    b.move_to_station(moved_on=dt.date(2024, 4, 15), township=b.OWN_TOWNSHIP)
    b.move_to_station(moved_on=dt.date(2024, 6, 1), township=b.SIBLING_TOWNSHIP)


@pytest.fixture
def other_banner_leader(db):
    """A police leader of 阿拉善右旗 (152922), who can't see 乌拉特中旗."""
    where = area("152922000000")
    user = User(username="alxa_leader", role=Role.POLICE_LEADER, full_name="阿右旗公安局指挥中心",
                jurisdiction=where, agency=agency_for(AgencyKind.POLICE_BUREAU, where))
    user.set_password(PASSWORD)
    user.save()
    return user
