import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Personas are made per test; the production hasher would spend most of the time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
