"""Settings come from the environment with strict parsing; production settings pass check --deploy."""

import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from pingan.env import env_bool, env_int, env_list


def _pingan(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("PINGAN_", "DATABASE_URL", "DJANGO_"))}
    full_env.update(env)
    return subprocess.run([sys.executable, "-m", "pingan.cli", *args], capture_output=True, text=True, env=full_env,
                          timeout=120)


def test_production_settings_pass_check_deploy_at_warning_level(tmp_path):
    assets = tmp_path / "assets"
    assets.mkdir()
    result = _pingan("check", "--deploy", "--fail-level", "WARNING",
                     PINGAN_ENV="production", PINGAN_SECRET_KEY=secrets.token_urlsafe(64),
                     PINGAN_FIELD_KEYS=Fernet.generate_key().decode(), PINGAN_HASH_KEY=secrets.token_urlsafe(32),
                     PINGAN_ALLOWED_HOSTS="pingan.example.cn", PINGAN_VAR_DIR=str(tmp_path),
                     DATABASE_URL="postgres://pingan:secret@127.0.0.1:5432/pingan")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _pingan("check", PINGAN_ENV="production", PINGAN_ALLOWED_HOSTS="x.cn",
                     DATABASE_URL="postgres://a:b@127.0.0.1/db")
    assert result.returncode != 0
    assert "PINGAN_SECRET_KEY" in result.stderr


def test_a_misspelt_boolean_is_an_error_not_false(monkeypatch):
    monkeypatch.setenv("PINGAN_X", "ture")
    with pytest.raises(ImproperlyConfigured, match="PINGAN_X"):
        env_bool("PINGAN_X", False)


def test_integers_and_lists_are_parsed_strictly(monkeypatch):
    monkeypatch.setenv("PINGAN_N", "12a")
    with pytest.raises(ImproperlyConfigured):
        env_int("PINGAN_N", 1)
    monkeypatch.setenv("PINGAN_L", "a,,b")
    with pytest.raises(ImproperlyConfigured):
        env_list("PINGAN_L", [])
    monkeypatch.setenv("PINGAN_L", "a, b")
    assert env_list("PINGAN_L", []) == ["a", "b"]


def test_an_unknown_database_scheme_is_refused():
    result = _pingan("check", DATABASE_URL="mysql://a:b@127.0.0.1/db")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
