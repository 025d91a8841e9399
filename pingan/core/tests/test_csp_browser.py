"""The Content-Security-Policy in a real browser (Playwright driving Debian's Chromium): the report
page draws its ECharts charts, htmx swaps a fragment (a reveal of full personal data), the menu
toggles on a phone — and Chromium reports no CSP violation on the way. Screenshots land in
test-artifacts/ (csp-report-page.png, csp-htmx-reveal.png)."""

import datetime as dt
import re

import pytest

from pingan.testing.personas import PASSWORD, VILLAGE, make_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree():
    from pingan.areas.models import Area
    from pingan.areas.services import areas_load_banner

    if not Area.objects.filter(code="150824000000").exists():
        areas_load_banner(banner_code="150824")


def signed_in_page(browser, base, login, **kwargs):
    make_persona(login)
    page = browser.new_page(**kwargs)
    page.violations = []  # what Chromium reports: console messages and securitypolicyviolation events
    page.on("console", lambda m: "Content Security Policy" in m.text and page.violations.append(m.text))
    page.on("pageerror", lambda exc: page.violations.append(f"page error: {exc}"))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error("
                         "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));")
    page.goto(f"{base}/login/")
    page.fill("#id_username", login)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r".*/$"))
    return page


def test_the_report_page_draws_its_charts_under_the_policy(browser, live_server, tree, shot):
    from pingan.testing import org_builders as b

    b.move_to_station(moved_on=dt.date(2024, 4, 15), township=b.OWN_TOWNSHIP)
    page = signed_in_page(browser, live_server.url, "hq_officer", viewport={"width": 1400, "height": 1000})
    response = page.goto(f"{live_server.url}/reports/150824000000/2024/?chart=org.staff_moved_to_stations")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    # The chart exists before its data is set: read the option defensively until the axis is filled.
    page.wait_for_function("() => { const c = window.echarts && echarts.getInstanceByDom("
                           "document.getElementById('chart-township')); const o = c && c.getOption();"
                           " return !!(o && o.xAxis && o.xAxis[0] && o.xAxis[0].data && o.xAxis[0].data.length); }")
    page.hover("#chart-month canvas", position={"x": 300, "y": 200})  # the tooltip is HTML with style=""
    page.click("#copy-summary")
    page.wait_for_selector("#copy-status:has-text('已复制')")
    shot(page, "csp-report-page")
    assert page.violations == []


def test_htmx_swaps_a_fragment_and_the_phone_menu_opens_under_the_policy(browser, live_server, tree, shot):
    from pingan.testing.factories import StaffFactory, area
    from pingan.testing.personas import agency_for

    staff = StaffFactory(name="巴特尔", area=area(VILLAGE), phone="13804711234",
                         agency=agency_for("police_station", area("150824100000")))
    page = signed_in_page(browser, live_server.url, "hq_officer", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/org/staff/{staff.pk}/")
    assert "138****1234" in page.inner_text("#pii")
    page.click("text=查看完整(留痕)")  # hx-post with the CSRF header from hx-headers, swaps #pii
    page.wait_for_selector("#pii:has-text('13804711234')")
    page.click("button.navbar-toggler")  # the menu toggle (data-toggle-target, no onclick)
    page.wait_for_selector("#nav.show")
    page.click("a.dropdown-toggle:has-text('组织与警力')")  # a menu group opens as a drop-down …
    page.wait_for_selector(".dropdown-menu.show a:has-text('人员台账')")
    shot(page, "csp-htmx-reveal")
    page.click("h1")  # … and closes on a click elsewhere
    page.wait_for_selector(".dropdown-menu.show", state="detached")
    assert page.violations == []
