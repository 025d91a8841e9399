"""The report page in a browser (Playwright driving Debian's Chromium): the charts are drawn from the
series endpoint with Chinese labels, and a number leads to its records."""

import datetime as dt
import re
from pathlib import Path

import pytest

from pingan.testing.personas import PASSWORD, make_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def moves():
    """The live server's database is flushed after each browser test: load the tree, then two moves."""
    from pingan.areas.models import Area
    from pingan.areas.services import areas_load_banner
    from pingan.testing import org_builders as b

    if not Area.objects.filter(code="150824000000").exists():
        areas_load_banner(banner_code="150824")
    b.move_to_station(moved_on=dt.date(2024, 4, 15), township=b.OWN_TOWNSHIP)
    b.move_to_station(moved_on=dt.date(2024, 6, 1), township=b.SIBLING_TOWNSHIP)


def test_the_report_page_draws_charts_with_chinese_labels_and_numbers_lead_to_records(browser, live_server, moves):
    make_persona("hq_officer")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "hq_officer")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r".*/$"))

    page.goto(f"{live_server.url}/reports/150824000000/2024/?chart=org.staff_moved_to_stations")
    page.wait_for_selector("#chart-township canvas")
    page.wait_for_function("echarts.getInstanceByDom(document.getElementById('chart-township'))"
                           ".getOption().xAxis[0].data.length > 0")
    towns = page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-township')).getOption()")
    months = page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-month')).getOption()")
    assert towns["xAxis"][0]["data"] == ["海流图镇", "乌加河镇"]
    assert towns["title"][0]["text"] == "机关民辅警下沉派出所 · 按乡镇(苏木)"
    assert months["xAxis"][0]["data"][:3] == ["1月", "2月", "3月"]
    assert months["series"][0]["data"][3] == 1 and months["series"][0]["data"][5] == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports-page.png"), full_page=True)

    page.click("tr[data-code='org.staff_moved_to_stations'] a.num-link")
    page.wait_for_url(re.compile(r".*/org\.staff_moved_to_stations/$"))
    assert page.locator(".drilldown-table tbody tr").count() == 2
    assert not errors
