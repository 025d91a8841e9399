"""Two workers racing for the same jobs on their own connections (PostgreSQL): each job runs once.

The workers' connections must see committed rows, but a transactional test would flush the test
database (the session's area tree, the seeded categories). So the test's jobs are written and
removed by a thread of their own, whose connection commits; the test's transaction is left alone."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from pingan.jobs import services
from pingan.jobs.models import Job, JobStatus

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")]


def _committed(fn):
    """Run fn on a connection of its own, in autocommit: what it writes is visible to everyone."""
    out: list = []

    def work():
        try:
            out.append(fn())
        finally:
            connections.close_all()

    t = threading.Thread(target=work)
    t.start()
    t.join(timeout=30)
    return out[0] if out else None


@pytest.fixture
def committed_jobs():
    made: list[int] = []

    def make(n: int) -> list[int]:
        ids = _committed(lambda: [Job.objects.create(kind="export", title=f"竞争{i}").pk for i in range(n)])
        made.extend(ids)
        return ids

    yield make
    _committed(lambda: Job.objects.filter(pk__in=made).delete())


def _race(target, n_workers: int = 2):
    barrier = threading.Barrier(n_workers)
    results: dict[int, object] = {}
    errors: list[BaseException] = []

    def work(i: int):
        try:
            barrier.wait(timeout=10)
            results[i] = target(f"w{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n_workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    return results


def test_two_workers_claiming_the_same_job_at_once_get_it_once(committed_jobs):
    for pk in committed_jobs(20):
        results = _race(lambda w, pk=pk: services.job_claim(pk, worker=w))
        assert sorted(results.values()) == [False, True]
        job = _committed(lambda pk=pk: Job.objects.get(pk=pk))
        assert job.status == JobStatus.RUNNING and job.attempts == 1


def test_two_pollers_share_the_queue_without_taking_a_job_twice(committed_jobs):
    ids = committed_jobs(30)

    def drain(worker: str) -> list[int]:
        taken = []
        while (job := services.job_claim_next(worker=worker)) is not None:
            taken.append(job.pk)
        return taken

    results = _race(drain)
    taken = [pk for pks in results.values() for pk in pks]
    assert sorted(taken) == sorted(ids)  # every job once, none twice
    assert _committed(lambda: Job.objects.filter(pk__in=ids, status=JobStatus.RUNNING, attempts=1).count()) == 30
