"""The read-replica router: report reads go to ``replica`` when one is configured, nothing else does."""

import os
import subprocess
import sys

import pytest

from pingan.core import db_routers
from pingan.core.db_routers import ReportReplicaRouter, replica_reads
from pingan.incidents.models import Incident

router = ReportReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(db_routers, "replica_configured", lambda: True)


def test_without_a_replica_everything_uses_the_primary():
    assert router.db_for_read(Incident) == "default"
    with replica_reads():
        assert router.db_for_read(Incident) == "default"


def test_report_reads_go_to_the_replica_writes_and_other_reads_do_not(with_replica):
    assert router.db_for_read(Incident) == "default"
    with replica_reads():
        assert router.db_for_read(Incident) == "replica"
        assert router.db_for_write(Incident) == "default"
    assert router.db_for_read(Incident) == "default"  # the flag does not leak past the block


def test_the_flag_is_reset_when_the_block_raises(with_replica):
    with pytest.raises(ValueError), replica_reads():
        raise ValueError
    assert router.db_for_read(Incident) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "incidents")
    assert not router.allow_migrate("replica", "incidents")


def test_the_year_report_is_computed_inside_replica_reads(with_replica, monkeypatch):
    from pingan.reports import registry

    seen = []

    class Probe:
        code = "probe"
        batch = None

        def compute(self, ctx):
            seen.append(router.db_for_read(Incident))
            return 1

    monkeypatch.setattr(registry, "all_indicators", lambda: [Probe()])
    assert registry.compute_all(None) == {"probe": 1}
    assert seen == ["replica"]
    assert router.db_for_read(Incident) == "default"


def _settings(**env):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("PINGAN_", "DATABASE_URL", "DJANGO_"))}
    full.update(env, DJANGO_SETTINGS_MODULE="pingan.settings")
    code = ("from django.conf import settings; d = settings.DATABASES; "
            "print(sorted(d), d.get('replica', {}).get('HOST'), d.get('replica', {}).get('TEST'), "
            "getattr(settings, 'DATABASE_ROUTERS', []))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=120)


def test_the_replica_is_configured_from_the_environment():
    result = _settings(DATABASE_URL="postgres://a:b@10.0.0.1/pingan",
                       PINGAN_REPLICA_DATABASE_URL="postgres://a:b@10.0.0.2/pingan")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("['default', 'replica'] 10.0.0.2 {'MIRROR': 'default'} "
                                     "['pingan.core.db_routers.ReportReplicaRouter']")
    assert _settings().stdout.strip() == "['default'] None None []"
    bad = _settings(PINGAN_REPLICA_DATABASE_URL="mysql://a:b@h/db")
    assert bad.returncode != 0 and "PINGAN_REPLICA_DATABASE_URL" in bad.stderr
