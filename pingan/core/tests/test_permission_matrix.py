"""Runs the permission matrix (pingan/testing/matrix.py): every page and API route × every persona ×
own / sibling / parent (and other_line where records belong to a business line), plus anonymous.

Each cell is one test, id ``route-persona-position``, e.g.
``org:staff_detail-station_chief-sibling`` or ``POST /api/areas/{code}/grids-hq_officer-own``.
Run one route with ``-k 'org:staff_detail'``, one persona with ``-k station_chief``.
"""

from __future__ import annotations

import pytest
from django.urls import path, reverse

import pingan.urls
from pingan.accounts.roles import Role
from pingan.core.models import AuditAction, AuditLog
from pingan.testing import matrix
from pingan.testing.personas import PERSONAS

pytestmark = pytest.mark.django_db

CELLS = matrix.cells()



def _params():
    for cell in CELLS:
        marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=cell.known)] if cell.known else []
        yield pytest.param(cell, id=cell.id, marks=marks)


@pytest.mark.parametrize("cell", list(_params()))
def test_cell(cell: matrix.Cell, persona):
    route, expect = cell.route, cell.expect
    user = None if cell.login == matrix.ANONYMOUS else persona(cell.login)
    target = route.target(matrix.Place(cell.login, cell.position)) if route.target else None
    client = matrix.client_for(route, user)
    # Row counts are taken around unsafe requests only (reads are not expected to write).
    snapshot = (lambda: matrix.fingerprint(route.state(target) if route.state and target else None)
                ) if route.unsafe else (lambda: None)
    before = snapshot()

    with matrix.AuditCapture() as audit:
        response = matrix.request(client, route, target)

    status = response.status_code
    assert status == expect.status, f"{cell.id}: expected {expect.status}, got {status}"
    after = snapshot()

    if route.is_api and status != 204:
        assert response["Content-Type"].startswith("application/json"), f"{cell.id}: API answered non-JSON"
        if status >= 400:
            assert response.json()["detail"], f"{cell.id}: error without detail"
    if status == 403:
        assert audit.denied(cell.login) == audit.denied() == 1, f"{cell.id}: a denial must write one audit DENIED row"
    else:
        assert audit.denied() == 0, f"{cell.id}: an audit DENIED row without a 403"
    if expect.listed is not None:
        shown = target.marker in matrix.response_text(response)
        assert shown == expect.listed, (
            f"{cell.id}: the {cell.position} record {'is missing from' if expect.listed else 'LEAKS into'} the list")
    if status == 302:
        login_url = reverse("accounts:login")
        to_login = response["Location"].startswith(login_url)
        if user is None or route.name == "accounts:logout":
            assert to_login, f"{cell.id}: expected a redirect to the login page"
        else:
            assert not to_login, f"{cell.id}: a signed-in user was sent to the login page"
    if route.unsafe and (status in (401, 403, 404) or user is None):
        assert after == before, f"{cell.id}: a refused request wrote something"
    if route.writes and user is not None and status == expect.status == route.ok:
        assert after != before, f"{cell.id}: an allowed request wrote nothing (the cell tests nothing)"


# ---------------------------------------------------------------- the table itself


def test_every_url_pattern_and_api_operation_is_declared_in_the_matrix():
    missing = matrix.undeclared()
    assert not missing, (
        "routes not in the permission matrix — declare them in pingan/<app>/tests/routes.py "
        "(see pingan/testing/matrix.py):\n  " + "\n  ".join(missing))


def test_no_declared_route_is_stale():
    assert matrix.stale() == []


def test_there_is_a_persona_for_every_role():
    assert {p.role for p in PERSONAS.values()} == set(Role.values)


def test_the_matrix_size_is_reported(capsys):
    size = matrix.size()
    with capsys.disabled():
        print("\n" + matrix.summary_line())
    assert size["personas"] == 12
    assert size["cells"] == len(CELLS) >= 700


def _sneaky(request):  # pragma: no cover - never called
    raise AssertionError


urlpatterns = [*pingan.urls.urlpatterns, path("sneaky/<int:pk>/", _sneaky, name="sneaky"),
               path("nameless/", _sneaky)]


@pytest.mark.urls(__name__)
def test_a_route_nobody_declared_is_caught():
    missing = matrix.undeclared()
    assert "page sneaky (sneaky/<int:pk>/)" in missing
    assert any("nameless/" in m for m in missing)


def test_an_api_operation_nobody_declared_is_caught(monkeypatch):
    real = matrix.api_operations()
    monkeypatch.setattr(matrix, "api_operations", lambda: [*real, "DELETE /api/org/staff/{staff_id}"])
    assert "API DELETE /api/org/staff/{staff_id}" in matrix.undeclared()


def test_a_denied_cell_writes_exactly_one_audit_row_naming_the_route(client_as):
    response = client_as("grid_worker").get(reverse("core:audit_list"))
    assert response.status_code == 403
    row = AuditLog.objects.get(action=AuditAction.DENIED)
    assert (row.actor_login, row.actor_role, row.object_repr) == ("grid_worker", Role.GRID_WORKER, "/audit/")
