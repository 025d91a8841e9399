import os
from pathlib import Path

import pytest
from django.test import Client

from pingan.testing.personas import PERSONAS, make_persona


def pytest_configure(config):
    # Tests log personas in by the hundred: a fast hasher keeps that from dominating the suite.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real tree of two banners once per session; each test runs in a transaction on top."""
    from pingan.areas.services import areas_load_banner

    with django_db_blocker.unblock():
        areas_load_banner(banner_code="150824")
        areas_load_banner(banner_code="152922")


@pytest.fixture
def persona(db):
    """persona("station_chief") → a saved user of that role at its place in the tree."""
    made = {}

    def get(login: str):
        if login not in made:
            made[login] = make_persona(login)
        return made[login]

    return get


@pytest.fixture
def client_as(persona):
    def get(login: str) -> Client:
        client = Client()
        client.force_login(persona(login))
        return client

    return get


@pytest.fixture(params=sorted(PERSONAS))
def any_persona(request, persona):
    return persona(request.param)


def pytest_terminal_summary(terminalreporter):
    """After a run that included the permission matrix, print its size (routes × personas × positions)."""
    from pingan.testing.matrix import terminal_summary

    terminal_summary(terminalreporter)


# Browser tests (marker ``browser``) share one Chromium per session: Playwright's sync API allows
# only one running instance per thread.
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
