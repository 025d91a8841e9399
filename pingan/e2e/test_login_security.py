"""Signing in as a person does, through the real pages: lockout answer, forced enrolment of the
second factor with the QR code, the code step on the next sign-in."""

import re
import time

import pytest

from pingan.accounts.models import OTPDevice
from pingan.accounts.otp import code_at
from pingan.testing.personas import PASSWORD, make_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_login(page, base, username, password=PASSWORD):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button:has-text('登录')")


def test_a_wrong_password_gets_the_generic_answer(live_server, browser, shot):
    make_persona("station_chief")
    page = browser.new_page()
    fill_login(page, live_server.url, "station_chief", "Wrong-password-1")
    assert page.locator("#login-error").is_visible()
    assert "用户名或密码错误，或账号已被暂时锁定" in page.locator("#login-error").inner_text()
    shot(page, "login-failed")
    page.close()


def test_an_administrator_enrols_then_signs_in_with_a_code(live_server, browser, shot):
    make_persona("sysadmin")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/login/")
    shot(page, "login")
    fill_login(page, live_server.url, "sysadmin")
    page.wait_for_url(re.compile(r".*/account/otp/.*"))
    assert page.get_by_role("heading", name=re.compile("绑定动态口令")).is_visible()
    assert page.locator("svg[aria-label='动态口令二维码']").is_visible()
    shot(page, "otp-enrol")
    page.goto(f"{live_server.url}/org/staff/")  # skipping the step does not work
    assert "/account/otp/" in page.url or "/login/otp/" in page.url
    if "/login/otp/" in page.url:
        page.goto(f"{live_server.url}/account/otp/")
    device = OTPDevice.objects.get(user__username="sysadmin", confirmed=False)
    page.fill("input[name=code]", code_at(device))
    page.click("button:has-text('确认绑定')")
    page.wait_for_url(re.compile(r".*/$"))
    assert page.get_by_text("工作台").first.is_visible()

    page.click("button:has-text('退出')")
    fill_login(page, live_server.url, "sysadmin")
    page.wait_for_url(re.compile(r".*/login/otp/.*"))
    assert page.get_by_role("heading", name="动态口令验证").is_visible()
    shot(page, "otp-verify")
    device.refresh_from_db()
    # The code just used is refused: take the next time step's (within the accepted window).
    page.fill("input[name=code]", code_at(device, when=max(time.time(), (device.last_t + 1) * device.step)))
    page.click("button:has-text('验证并进入')")
    page.wait_for_url(re.compile(r".*/$"))
    assert page.get_by_text("工作台").first.is_visible()
    page.close()
