"""The daily flows of the foundation, as an officer does them in a browser."""

import datetime as dt
import re

import pytest

from pingan.org.models import AgencyKind, AssignmentRole, StaffCategory, VillageAssignment
from pingan.testing.factories import AgencyFactory, StaffFactory, area
from pingan.testing.personas import PASSWORD, SIBLING_VILLAGE, TOWNSHIP, VILLAGE, make_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def township_with_officers():
    station = AgencyFactory(name="海流图派出所", kind=AgencyKind.POLICE_STATION, area=area(TOWNSHIP))
    own = StaffFactory(name="巴特尔", agency=station, area=area(VILLAGE), category=StaffCategory.AUXILIARY)
    other = StaffFactory(name="乌云其其格", agency=station, area=area(SIBLING_VILLAGE),
                         category=StaffCategory.AUXILIARY)
    for staff, code in ((own, VILLAGE), (other, SIBLING_VILLAGE)):
        VillageAssignment.objects.create(staff=staff, village=area(code), role=AssignmentRole.AUXILIARY,
                                         start=dt.date(2023, 1, 1))
    return own, other


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r".*/$"))


def test_a_station_chief_finds_coverage_gaps_and_exports_them(live_server, browser, shot, township_with_officers):
    make_persona("station_chief")
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    login(page, live_server.url, "station_chief")
    assert page.get_by_text("未配备驻村辅警的行政村").is_visible()
    shot(page, "home-station-chief")
    page.goto(f"{live_server.url}/org/coverage/")
    assert page.get_by_role("heading", name=re.compile("一村一警覆盖")).is_visible()
    assert page.locator("tr.gap-row").count() > 0
    shot(page, "coverage-township")
    with page.expect_download() as download:
        page.click("text=导出Excel")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.close()


def test_a_village_officer_finds_their_colleague_by_pinyin_but_not_the_next_village(
        live_server, browser, shot, township_with_officers):
    own, other = township_with_officers
    make_persona("village_officer")
    page = browser.new_page()
    login(page, live_server.url, "village_officer")
    page.goto(f"{live_server.url}/org/staff/?q=bte")
    assert page.get_by_role("link", name="巴特尔").is_visible()
    shot(page, "staff-search")
    page.click("text=巴特尔")
    assert page.get_by_role("heading", name=re.compile("巴特尔")).is_visible()
    response = page.goto(f"{live_server.url}/org/staff/{other.pk}/")
    assert response.status == 404
    assert page.get_by_text("不在您的辖区范围内").is_visible()
    page.close()
