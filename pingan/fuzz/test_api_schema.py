"""Schemathesis against /api/openapi.json (issue 8, item 6 b): no answer ≥ 500, every answer as the
document describes it (status code listed, content type, body matching the declared schema).

One test per API operation (id ``METHOD /api/path`` as in the OpenAPI document and the permission
matrix), so a failure names its operation and can be re-run alone::

    .venv/bin/pytest pingan/fuzz -m apifuzz -q -n 2                       # all operations
    .venv/bin/pytest pingan/fuzz -m apifuzz -k 'disputes and assess' -s   # one, with its figures

How an operation is exercised:

* The schema is loaded from ``/api/openapi.json`` through the project's WSGI application, in
  process (no server), and every request goes through the whole middleware stack.
* The caller is a persona allowed to use the operation (the roles come from the permission matrix's
  ``ROUTES``; a banner-level persona is preferred so that most records are in scope), with a real
  API token issued by ``pingan.accounts.services.token_create``.
* The matrix's target builder puts an in-scope record in the database (so detail and action
  endpoints have something to find), and the matrix's example body and query are sent first.
* Then Hypothesis draws ``PINGAN_APIFUZZ_EXAMPLES`` (default 40) cases from a mix of: schema-valid
  data with the real record's path parameters, schema-valid data with any path parameters, and
  schema-invalid data (Schemathesis' negative mode) for both.
* Each request runs in a savepoint that is rolled back, so the examples are independent and a
  database error in one request (PostgreSQL aborts the transaction) cannot spill into the next.
* Failures are collected, not raised at the first: the test fails once at the end with every
  distinct failure of the operation (check, status, request, response, server traceback).

The figures (operations, requests, answers by status class, failures) are printed at the end of the
pytest run by ``pingan.fuzz.summary`` (see pingan/conftest.py ``pytest_terminal_summary``).
"""

from __future__ import annotations

import json
import os
import traceback
from collections import Counter
from functools import cache

import pytest
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction

EXAMPLES = int(os.environ.get("PINGAN_APIFUZZ_EXAMPLES", "40"))
PROPERTY = "apifuzz"

# Banner-level personas first: at the banner most records of their line are in scope.
PREFERENCE = ("hq_officer", "justice_clerk", "prosecutor", "sysadmin", "station_chief", "judicial_office",
              "village_officer", "grid_worker", "legal_literate", "liaison", "auditor", "secadmin")


BROKEN = "GET /api/openapi.json"  # the only "operation" when the document itself cannot be built


def _operations() -> list[str]:
    """``METHOD /api/path`` of every operation in the OpenAPI document (no request, no database).
    If the document cannot be built, one test that fails with the reason, not a collection error
    that would stop the whole suite."""
    from pingan.api import api

    try:
        paths = api.get_openapi_schema()["paths"]
    except Exception:
        return [BROKEN]
    return sorted(f"{method.upper()} {path}" for path, ops in paths.items() for method in ops)


OPERATIONS = _operations()


@cache
def _schema():
    import schemathesis

    from pingan.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@cache
def _routes() -> dict:
    from pingan.testing import matrix

    return {route.name: route for route in matrix.routes() if route.is_api}


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _login_for(route) -> str:
    from pingan.testing.personas import PERSONAS

    if route is None or route.roles is None:
        return PREFERENCE[0]
    return next((login for login in PREFERENCE if PERSONAS[login].role in route.roles), PREFERENCE[0])


def _short(value, limit: int = 600) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + f"…(+{len(text) - limit})"


def _readable(text: str) -> str:
    """A JSON answer with its Chinese as characters, not \\u escapes."""
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def _server_error(exc: BaseException | None) -> str:
    """The project's frames of a server-side exception, and the exception itself."""
    if exc is None:
        return ""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/pingan/" in f.filename] or \
        traceback.extract_tb(exc.__traceback__)[-3:]
    lines = [f"{f.filename.split('/pingan/', 1)[-1]}:{f.lineno} in {f.name}: {f.line}" for f in frames[-8:]]
    return "\n".join([*lines, f"{type(exc).__name__}: {_short(str(exc), 300)}"])


class Exercise:
    """Sends cases of one operation and collects what the checks find."""

    def __init__(self, operation, token: str):
        self.operation = operation
        self.headers = {"Authorization": f"Bearer {token}"}
        self.checks = _checks()
        self.requests = 0
        self.statuses: Counter[str] = Counter()
        self.failures: dict[tuple, dict] = {}
        self._exception: BaseException | None = None

    def _on_exception(self, sender, request=None, **kwargs):
        import sys

        self._exception = sys.exc_info()[1]

    def __call__(self, case, origin: str) -> None:
        from schemathesis.core.failures import FailureGroup

        self.requests += 1
        self._exception = None
        got_request_exception.connect(self._on_exception)
        try:
            with transaction.atomic():
                try:
                    response = case.call(headers=self.headers)
                finally:
                    transaction.set_rollback(True)
        finally:
            got_request_exception.disconnect(self._on_exception)
        self.statuses[f"{response.status_code // 100}xx"] += 1
        try:
            case.validate_response(response, checks=self.checks, headers=self.headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                self._record(case, response, failure, origin)

    def _record(self, case, response, failure, origin: str) -> None:
        title = getattr(failure, "title", type(failure).__name__)
        message = (getattr(failure, "message", "") or str(failure)).strip()
        key = (title, response.status_code, message.splitlines()[0] if message else "")
        if key in self.failures:
            self.failures[key]["count"] += 1
            return
        body = None if case.body is None or type(case.body).__name__ == "NotSet" else case.body
        self.failures[key] = {
            "check": title,
            "status": response.status_code,
            "message": _short(message, 1500),
            "origin": origin,
            "request": {"method": case.method, "path": case.formatted_path, "query": case.query or None,
                        "body": body},
            "response": _short(_readable(response.text or ""), 800),
            "server_error": _server_error(self._exception),
            "count": 1,
        }

    def report(self) -> str:
        lines = []
        for n, f in enumerate(self.failures.values(), 1):
            lines.append(f"[{n}] {f['check']} — HTTP {f['status']} ({f['count']}×, {f['origin']})")
            lines.append(f"    request:  {f['request']['method']} {f['request']['path']}"
                         f"  query={_short(f['request']['query'])}  body={_short(f['request']['body'])}")
            lines.append(f"    response: {f['response']}")
            lines.extend("    " + line for line in f["message"].splitlines())
            if f["server_error"]:
                lines.append("    server error (the project's frames):")
                lines.extend("      " + line for line in f["server_error"].splitlines())
        return "\n".join(lines)


@pytest.fixture
def wsgi_in_test_transaction(settings):
    """Requests through the WSGI handler inside the test's transaction. Django's handler closes
    "old" connections at each request's start and end, which inside a test transaction would close
    the connection under the test; Django's own test client disconnects the same receivers."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.apifuzz
@pytest.mark.django_db
@pytest.mark.parametrize("name", OPERATIONS)
def test_operation_conforms_to_its_schema(name, persona, wsgi_in_test_transaction, record_property):
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode

    from pingan.accounts.services import token_create
    from pingan.testing import matrix

    if name == BROKEN:
        from pingan.api import api

        api.get_openapi_schema()  # raises the reason
    method, path = name.split(" ", 1)
    operation = _schema()[path][method]
    route = _routes().get(name)
    login = _login_for(route)
    user = persona(login)
    token = token_create(actor=None, user=user, name="apifuzz")
    exercise = Exercise(operation, token)

    # The matrix's in-scope record, and its example request, when the matrix declares them.
    target, note = None, ""
    if route is not None and route.target is not None:
        try:
            target = route.target(matrix.Place(login, matrix.OWN))
        except Exception as exc:  # a builder of an app under construction: fuzz without a record
            note = f"target builder failed: {type(exc).__name__}: {exc}"
    path_parameters = {k: v for k, v in {**(route.kwargs if route else {}), **(target.kwargs if target else {})}.items()
                       if "{" + k + "}" in path}
    if set(path_parameters) >= {p.name for p in operation.path_parameters}:
        seeded = {}
        try:
            if route is not None and route.query:
                seeded["query"] = route.query(target)
            if route is not None and route.body and method != "GET":
                seeded["body"], seeded["media_type"] = route.body(target), "application/json"
        except Exception as exc:
            note, seeded = f"example request failed to build: {type(exc).__name__}: {exc}", {}
        exercise(operation.Case(path_parameters=path_parameters, **seeded), "matrix example")

    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        if path_parameters:
            strategies.append(operation.as_strategy(mode, path_parameters=path_parameters).map(
                lambda case, mode=mode: (case, f"{mode.value}, real record")))
        strategies.append(operation.as_strategy(mode).map(lambda case, mode=mode: (case, f"{mode.value}")))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(drawn=st.one_of(strategies))
    def fuzz(drawn):
        exercise(*drawn)

    fuzz()

    record_property(PROPERTY, json.dumps({
        "operation": name, "persona": login, "requests": exercise.requests, "statuses": dict(exercise.statuses),
        "failures": len(exercise.failures), "record": bool(path_parameters) or not operation.path_parameters,
        "note": note,
    }, ensure_ascii=False))
    if exercise.failures:
        pytest.fail(f"{name} as {login}: {len(exercise.failures)} distinct failure(s) in {exercise.requests} requests"
                    f"\n{exercise.report()}", pytrace=False)


# Clashes in apps this test's author may not change, reported to their owners: a known clash must
# still be there (so the entry goes once it is renamed), and no other may appear.
KNOWN_CLASHES = {
    "Outcome": "pingan.antifraud.models.Outcome and pingan.onestop.models.Outcome (TextChoices used in schemas)",
}


def test_no_two_models_share_a_name_in_the_openapi_document(monkeypatch):
    """django-ninja files every model under its class name in ``components/schemas``; two apps'
    ``EventOut`` would silently share one entry, and one operation would be documented with the
    other's fields (the fuzz found /api/org/coverage described by 法律明白人's CoverageRowOut)."""
    from ninja.openapi import schema as ninja_schema

    from pingan.api import api

    seen: dict[str, dict] = {}
    clashes: set[str] = set()
    add = ninja_schema.OpenAPISchema.add_schema_definitions

    def checked(self, definitions):
        for name, definition in definitions.items():
            if seen.setdefault(name, definition) != definition:
                clashes.add(name)
        add(self, definitions)

    monkeypatch.setattr(ninja_schema.OpenAPISchema, "add_schema_definitions", checked)
    api.get_openapi_schema()
    new = sorted(clashes - set(KNOWN_CLASHES))
    assert not new, f"different models under one schema name (rename one, e.g. with the app's prefix): {new}"
    gone = sorted(set(KNOWN_CLASHES) - clashes)
    assert not gone, f"fixed, remove from KNOWN_CLASHES: {gone}"
