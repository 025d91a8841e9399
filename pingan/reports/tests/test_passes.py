"""Indicators computed in a shared pass (registry.Pass) give exactly what each computes alone, for
every reader's scope, both years and both the banner and the whole region: the pass is an
optimisation, never a second definition of a figure."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from pingan.accounts.models import User
from pingan.areas.models import Area
from pingan.demo.runner import run_demo
from pingan.reports.registry import ReportContext, all_indicators, compute_all

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo (every programme) once for the module, rolled back afterwards."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            run_demo()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_there_are_passes_to_check():
    shared = [ind.code for ind in all_indicators() if ind.batch is not None]
    assert {"incidents.total", "disputes.overdue", "cases.criminal.accepted", "theft.cases_solved"} <= set(shared)


@pytest.mark.parametrize("reader", [None, "zhihui", "suozhang", "fujing"])
def test_a_pass_gives_what_each_indicator_gives_alone(demo, db, reader):
    actor = User.objects.get(username=reader) if reader else None
    checked = 0
    for code in ("150824000000", "150000000000"):
        for year in (2023, 2024):
            ctx = ReportContext(Area.objects.get(code=code), year, actor=actor)
            together = compute_all(ctx)
            alone = {ind.code: ind.compute(ctx) for ind in all_indicators()}
            assert together == alone, {k: (together[k], alone[k]) for k in alone if together[k] != alone[k]}
            checked += sum(1 for ind in all_indicators() if ind.batch is not None and alone[ind.code])
    assert checked > 20, "the demo gave no figures to compare: the test proved nothing"
