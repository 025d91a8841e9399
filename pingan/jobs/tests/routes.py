"""后台任务 routes in the permission matrix (see pingan/testing/matrix.py).

A job belongs to the user who submitted it. At "own" the target is the persona's own job at its own
post; at "sibling" and "parent" it is a job of another user at that place — never visible, whatever
the persona's role (the security and audit administrators too see their own jobs, so visibility is
"own" for every role, not the default that hides business records from them).
"""

from __future__ import annotations

import itertools

from pingan.accounts.roles import Role
from pingan.testing.matrix import EVERY_ROLE, MARKER, OWN, Place, Route, Target
from pingan.testing.personas import PERSONAS

REPORTERS = EVERY_ROLE - {Role.SECADMIN, Role.AUDITOR}
REANALYSERS = frozenset({Role.POLICE_LEADER})
_seq = itertools.count(1)


def _owner(place: Place):
    from pingan.accounts.models import User

    if place.position == OWN:
        return User.objects.get(username=place.login) if place.login in PERSONAS else None
    n = next(_seq)
    return User.objects.create(username=f"jobs-other-{n}", role=place.role, jurisdiction=place.node)


def job_target(*, status: str = "succeeded", with_file: bool = False, key: str | None = "pk"):
    def build(place: Place) -> Target:
        from django.core.files.base import ContentFile

        from pingan.jobs.models import Job

        owner = _owner(place)
        job = Job(kind="export", title=f"{MARKER}任务{next(_seq)}", owner=owner, scope=place.node, status=status,
                  total=10, done=10 if status == "succeeded" else 3, message=f"{MARKER}结果")
        if with_file:
            job.result_name = "矩阵结果.xlsx"
            job.result_file.save(f"matrix/{next(_seq)}.xlsx", ContentFile(b"PK\x03\x04matrix"), save=False)
        job.save()
        return Target({key: job.pk} if key else {}, marker=job.title, obj=job)

    return build


def _own_only(login: str, position: str) -> bool:
    return position == OWN


def _state(target: Target):
    from pingan.jobs.models import Job

    return list(Job.objects.order_by("pk").values_list("pk", "status", "attempts"))


ROUTES = [
    Route("jobs:list", roles=EVERY_ROLE, target=job_target(key=None), list=True, visible=_own_only),
    Route("jobs:detail", roles=EVERY_ROLE, target=job_target(), visible=_own_only),
    Route("jobs:row", roles=EVERY_ROLE, target=job_target(status="running"), visible=_own_only),
    Route("jobs:status", roles=EVERY_ROLE, target=job_target(status="running"), visible=_own_only),
    Route("jobs:download", roles=EVERY_ROLE, target=job_target(with_file=True), visible=_own_only),
    Route("jobs:retry", roles=EVERY_ROLE, method="POST", ok=302, target=job_target(status="failed"),
          visible=_own_only, body=lambda t: {}, state=_state, writes=True),
    Route("jobs:report", roles=REPORTERS, method="POST", ok=302,
          body=lambda t: {"banner": "150824", "year": "2024"}, writes=True),
    Route("jobs:reanalyse", roles=REANALYSERS, method="POST", ok=302, body=lambda t: {}, writes=True),
    Route("GET /api/jobs/", roles=EVERY_ROLE, target=job_target(key=None), list=True, visible=_own_only),
    Route("GET /api/jobs/{job_id}", roles=EVERY_ROLE, target=job_target(key="job_id"), visible=_own_only),
]
