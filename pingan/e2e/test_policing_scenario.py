"""A policing day end to end, in a browser (issue #8, 6d): a village officer signs in through the
real login page, registers a 110 call and then the same caller's second call, which the page flags
as a repeat; registers a dispute from it, which the station chief and the officer take round its
closed loop (登记 → 研判定级 → 分派 → 化解 → 回访 → 办结) with the page's own forms; the officer
exports the incident list (the caller's phone masked, as the role requires); and the officer of the
next village reaches neither record. Screenshots of the key pages go to the test artifacts
(pingan/conftest.py ``shot``: $PINGAN_ARTIFACTS or artifacts/screenshots/)."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pingan.accounts.models import User
from pingan.accounts.roles import Role
from pingan.areas.models import Area
from pingan.disputes.models import DisputeParty
from pingan.org.models import AgencyKind
from pingan.testing.personas import PASSWORD, SIBLING_VILLAGE, VILLAGE, agency_for, make_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13947781234"
PHONE_MASKED = "139****1234"
CALL = "报警人称邻居王建军在两家院墙之间堆放柴草，堵住了她家出入的通道，双方争吵，请民警到场处理。"
CALL_AGAIN = "报警人张桂兰再次报警称邻居王建军堆放的柴草仍未清理，堵住她家通道，双方又发生争吵。"


def sibling_officer() -> User:
    """巴彦塔拉村's officer: the same township and station line, the next village."""
    area = Area.objects.get(code=SIBLING_VILLAGE)
    user = User(username="sibling_officer", role=Role.COMMUNITY_OFFICER, full_name="巴彦塔拉村驻村辅警",
                jurisdiction=area, agency=agency_for(AgencyKind.POLICE_STATION, area))
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(browser, base, username, shot=None, **viewport):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    page.goto(f"{base}/login/")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    if shot is not None:
        shot(page, "policing-01-login")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r".*/$"))
    expect(page.get_by_role("heading", level=1, name=re.compile("^工作台"))).to_be_visible()
    return page


def register_incident(page, base, *, content: str, received_at: dt.datetime | None = None, shot=None) -> str:
    """Through the list's 登记警情 button and the phone form; returns the incident's page URL."""
    page.goto(f"{base}/incidents/")
    page.get_by_role("link", name="登记警情").click()
    expect(page.get_by_role("heading", name=re.compile("登记警情"))).to_be_visible()
    if received_at is not None:
        page.fill("#id_received_at", timezone.localtime(received_at).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_category", label="邻里纠纷")
    page.fill("#id_caller_name", "张桂兰")
    page.fill("#id_caller_phone", PHONE)
    page.fill("#id_address", "海流图镇巴仁宝勒格村三组")
    page.select_option("#id_area", value=str(Area.objects.get(code=VILLAGE).pk))
    page.fill("#id_content", content)
    if shot is not None:
        shot(page, "policing-02-incident-form")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(re.compile(r".*/incidents/\d+/$"))
    expect(page.locator(".alert-success, .alert").filter(has_text="已登记警情").first).to_be_visible()
    return page.url


def dispute_status(page):
    return page.locator("div:has(> h1) > span.badge.bg-secondary")


def test_a_repeat_call_becomes_a_dispute_closed_in_its_loop_exported_masked_and_hidden_next_door(
        live_server, browser, shot, tmp_path):
    base = live_server.url
    make_persona("village_officer")
    make_persona("station_chief")
    sibling_officer()

    # 1. The village officer signs in through the real login page (no second factor for this role).
    officer = sign_in(browser, base, "village_officer", shot, width=390, height=844)  # a phone

    # 2. The first call, two hours ago.
    first_url = register_incident(officer, base, content=CALL, received_at=timezone.now() - dt.timedelta(hours=2),
                                  shot=shot)
    first_number = re.search(r"警情 (\S+)", officer.get_by_role("heading").first.inner_text()).group(1)
    expect(officer.locator("#phone")).to_contain_text(PHONE_MASKED)  # masked on the page for this role
    assert PHONE not in officer.content()

    # 3. The same caller about the same matter, now: flagged as a repeat, grouped with the first.
    second_url = register_incident(officer, base, content=CALL_AGAIN)
    expect(officer.get_by_text(re.compile("发现与1起先前警情重复"))).to_be_visible()
    group = officer.locator(".card.border-warning")
    expect(group).to_contain_text("重复警情：同一报警人重复报警（2起）")
    expect(group.get_by_role("link", name=first_number, exact=True)).to_be_visible()
    expect(group).to_contain_text("本警情")
    shot(officer, "policing-03-repeat-flag")
    second_number = re.search(r"警情 (\S+)", officer.get_by_role("heading").first.inner_text()).group(1)

    # 4. 登记为矛盾纠纷 from the second call: the form starts from the incident.
    officer.get_by_role("link", name="登记为矛盾纠纷").click()
    expect(officer.get_by_role("heading", name="登记矛盾纠纷")).to_be_visible()
    expect(officer.get_by_text(f"来源警情：{second_number}")).to_be_visible()
    expect(officer.locator("#id_p-0-name")).to_have_value("张桂兰")
    assert PHONE not in officer.content()  # the caller's phone is not this role's to see in full
    officer.select_option("#id_kind", label="邻里")
    officer.fill("#id_title", "张桂兰与王建军院墙通道堆放柴草纠纷")
    officer.fill("#id_p-1-name", "王建军")
    officer.select_option("#id_p-1-role", value="被申请人")
    shot(officer, "policing-04-dispute-form")
    officer.get_by_role("button", name="登记", exact=True).click()
    officer.wait_for_url(re.compile(r".*/disputes/\d+/$"))
    dispute_url = officer.url
    expect(dispute_status(officer)).to_have_text("已登记")
    expect(officer.locator("#parties")).to_contain_text("王建军")
    expect(officer.locator("#parties")).to_contain_text(PHONE_MASKED)  # kept from the incident, shown masked
    assert DisputeParty.objects.get(name="张桂兰").phone == PHONE
    dispute_number = re.search(r"(\S+) ·", officer.locator("div.small.text-muted").first.inner_text()).group(1)
    shot(officer, "policing-05-dispute-registered")
    officer.goto(second_url)  # the incident's trail records the step
    expect(officer.locator("h1 .badge.bg-info")).to_have_text("转为矛盾纠纷")

    # The station chief grades it and gives it to the village's station.
    chief = sign_in(browser, base, "station_chief")
    chief.goto(f"{base}/disputes/")
    chief.get_by_role("link", name=dispute_number, exact=True).click()
    chief.wait_for_url(dispute_url)
    assess = chief.locator(f"form[action$='/disputes/{dispute_url.rstrip('/').rsplit('/', 1)[1]}/assess/']")
    assess.locator("select[name=risk]").select_option(label="黄色")
    assess.locator("input[name=reason]").fill("邻里通道纠纷，双方多次争吵，需尽快化解")
    assess.get_by_role("button", name="定级").click()
    expect(dispute_status(chief)).to_have_text("已研判定级")
    expect(chief.locator("div:has(> h1) > span.badge").first).to_have_text("黄色风险")
    shot(chief, "policing-06-dispute-assessed")
    assign = chief.locator("form[action$='/assign/']")
    assign.locator("select[name=agency]").select_option(label="巴仁宝勒格村派出所")
    assign.locator("input[name=note]").fill("请驻村辅警组织双方调解")
    assign.get_by_role("button", name="分派").click()
    expect(dispute_status(chief)).to_have_text("已分派")
    expect(chief.get_by_text("巴仁宝勒格村派出所").first).to_be_visible()
    shot(chief, "policing-07-dispute-assigned")

    # The village officer mediates and follows up.
    officer.goto(dispute_url)
    expect(dispute_status(officer)).to_have_text("已分派")
    session = officer.locator("form[action$='/session/']")
    session.locator("select[name=outcome]").select_option(label="调解成功")
    session.locator("input[name=place]").fill("巴仁宝勒格村委会")
    session.locator("textarea[name=summary]").fill("组织双方到村委会面谈，王建军同意三日内清理柴草，留出通道。")
    session.locator("input[name=agreement]").fill("王建军三日内清理柴草，今后不在通道堆放杂物")
    session.get_by_role("button", name="保存").click()
    expect(dispute_status(officer)).to_have_text("待回访")
    expect(officer.get_by_text("化解结果")).to_be_visible()
    shot(officer, "policing-08-dispute-mediated")
    follow_up = officer.locator("form[action$='/follow-up/']")
    follow_up.locator("input[name=note]").fill("电话回访张桂兰，柴草已清理，通道畅通，双方无争吵")
    follow_up.get_by_role("button", name="保存").click()
    expect(officer.get_by_text("已记录回访")).to_be_visible()
    expect(dispute_status(officer)).to_have_text("待回访")
    expect(officer.locator("form[action$='/close/']")).to_have_count(0)  # 办结 is the station's
    shot(officer, "policing-09-dispute-followed-up")

    # The station chief closes it.
    chief.goto(dispute_url)
    close = chief.locator("form[action$='/close/']")
    close.locator("input[name=note]").fill("回访平稳，双方满意")
    close.get_by_role("button", name="办结").click()
    expect(dispute_status(chief)).to_have_text("已办结")
    expect(chief.locator(".loop-step.done")).to_have_count(chief.locator(".loop-step").count())
    shot(chief, "policing-10-dispute-closed")

    # 5. The village officer exports the incident list: both calls, the phone masked.
    officer.goto(f"{base}/incidents/")
    expect(officer.get_by_role("link", name=first_number, exact=True)).to_be_visible()
    shot(officer, "policing-11-incident-list")
    with officer.expect_download() as download:
        officer.get_by_role("link", name="导出Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if "警情编号" in r)
    col = {name: i for i, name in enumerate(header)}
    mine = {r[col["警情编号"]]: r for r in rows if r[col["警情编号"]] in (first_number, second_number)}
    assert set(mine) == {first_number, second_number}
    assert all(r[col["报警电话"]] == PHONE_MASKED for r in mine.values())
    assert all(r[col["重复警情"]] == "同一报警人重复报警" for r in mine.values())
    assert not any(PHONE in str(v) for r in rows for v in r if v is not None)

    # 6. The next village's officer reaches neither record, by link or in the lists.
    other = sign_in(browser, base, "sibling_officer")
    for url in (first_url, second_url, dispute_url):
        response = other.goto(url)
        assert response.status == 404
        expect(other.get_by_text("不在您的辖区范围内")).to_be_visible()
    shot(other, "policing-12-refused")
    other.goto(f"{base}/incidents/")
    expect(other.get_by_text("没有符合条件的警情")).to_be_visible()
    other.goto(f"{base}/disputes/")
    expect(other.get_by_text("没有符合条件的矛盾纠纷")).to_be_visible()
    assert dispute_number not in other.content()

    for page in (officer, chief, other):
        assert page.js_errors == []
        page.context.close()
