import os
from pathlib import Path

import pytest
from django.test import Client

from pingan.testing.personas import PERSONAS, make_persona


def pytest_configure(config):
    # Tests log personas in by the hundred: a fast hasher keeps that from dominating the suite.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _force_login_passes_the_second_factor()


def _force_login_passes_the_second_factor():
    """``Client.force_login`` stands for a finished sign-in: for the roles that require a second
    factor it also marks the session verified (pingan/testing/personas.py), so tests of what a role
    may do are not all sent to the code page. ``force_login(user, second_factor=False)`` leaves the
    session half signed in, as after the password step (pingan/accounts/tests/test_second_factor.py)."""
    original = Client.force_login

    def force_login(self, user, backend=None, *, second_factor=True):
        original(self, user, backend)
        if second_factor:
            from pingan.testing.personas import verify_second_factor

            verify_second_factor(self, user)

    Client.force_login = force_login


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real tree of two banners once per session; each test runs in a transaction on top."""
    from pingan.areas.services import areas_load_banner

    with django_db_blocker.unblock():
        areas_load_banner(banner_code="150824")
        areas_load_banner(banner_code="152922")
        # PostgreSQL: the audit log's trigger refuses TRUNCATE; let the flush after transactional tests
        # empty it in this test database (pingan/core/auditchain.py).
        from pingan.core.auditchain import allow_test_truncate

        allow_test_truncate()


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
    from pingan.fuzz.summary import terminal_summary as fuzz_summary  # Schemathesis and Hypothesis figures

    fuzz_summary(terminalreporter)
    from pingan.testing.attacks import terminal_summary as attacks_summary  # crafted filters, foreign ids

    attacks_summary(terminalreporter)


# Browser tests (marker ``browser``) share one Chromium per session: Playwright's sync API allows
# only one running instance per thread.
CHROMIUM = "/usr/bin/chromium"
# Screenshots of the key pages, kept as test artifacts (git-ignored): $PINGAN_ARTIFACTS or artifacts/screenshots/.
ARTIFACTS = Path(os.environ.get("PINGAN_ARTIFACTS")
                 or Path(__file__).resolve().parents[1] / "artifacts" / "screenshots")


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
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
