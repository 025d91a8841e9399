"""The permission matrix: every page and API route × every persona × own / sibling / parent.

One declarative table says, for each route, which roles may use it at all and how to build a target
object at a given place in the tree relative to a persona. From that, every cell's expected answer
follows mechanically:

    anonymous                          → 302 to the login page (pages) / 401 (API), unless public
    role not allowed                   → 403, and one audit DENIED row
    allowed, target in scope ("own")   → the route's ``ok`` status (200, 201, 302 …)
    allowed, target out of scope       → 404 for a detail or an action (and nothing written);
                                         for a list: ``ok``, and the target is not listed

``pingan/core/tests/test_permission_matrix.py`` runs every cell, and fails if the project's URL
resolver (outside admin/) or the OpenAPI document has a route that no entry declares — so a new
route cannot slip in unchecked.

Positions (see pingan/testing/personas.py for the tree):
    own       the persona's own node (its banner, township or village), or a village inside it
    sibling   the node beside it: the other banner 152922 for banner-level personas, the
              neighbouring township 150824101000, the neighbouring village 150824100202
    parent    the node above it (巴彦淖尔市 for banner-level personas)
    other_line  (only for ``line_scoped`` routes) the persona's own node, but a record of another
              business line (公安 vs 司法 …): out of scope for everyone but the system
              administrator, who maintains the reference data of every line

How to add a route
------------------
Create or extend ``pingan/<app>/tests/routes.py`` with a module-level ``ROUTES`` list; the matrix
collects the list of every installed pingan app (no registration, no edit to the test file)::

    from pingan.accounts.roles import Role
    from pingan.testing.matrix import EVERY_ROLE, Route, Target, banner_target, staff_target

    # Write the roles out: the table is a statement of policy, independent of the view's own set,
    # so that widening a view's roles by mistake fails the matrix.
    REPORT_READERS = EVERY_ROLE - {Role.SECADMIN, Role.AUDITOR}

    ROUTES = [
        # A page without an object: one cell per persona.
        Route("reports:index", roles=REPORT_READERS),
        # A page with an object: URL name, who may open it, how to build the object per position.
        Route("reports:report", roles=REPORT_READERS, target=banner_target(year=2024)),
        # A list: the target must be listed for "own" and absent for the other positions.
        Route("org:staff_list", roles=STAFF_READERS, target=staff_target(), list=True, line_scoped=True),
        # A write: ``body`` gives the form data (pages) or the JSON body (API); ``writes=True`` makes
        # the test check that the allowed in-scope request did write, and ``state(target)`` adds
        # anything a row count would miss (an update).
        Route("org:import", roles=IMPORTERS, method="POST", ok=200, body=lambda t: {...}, writes=True),
        # An API operation: "METHOD /path" exactly as in /api/openapi.json; path parameters come from
        # the target's kwargs, query parameters from ``query``.
        Route("GET /api/reports/{banner_code}/{year}", roles=REPORT_READERS, target=banner_target(year=2024)),
    ]

Builders at hand: ``node_target``, ``village_target``, ``banner_target``, ``staff_target``,
``agency_target``, ``assignment_target``; or any ``f(place) -> Target`` that creates what the route
needs at ``place.node`` / ``place.village`` in the business line ``place.agency_kind`` and returns
the URL kwargs, plus, for lists, a ``marker`` (text that appears in the response iff the target is
shown; ``MARKER`` is a good prefix). Builders run once per cell: keep them cheap. Other knobs:
``kwargs`` (fixed URL kwargs of a route without an object), ``positions`` (drop one that means nothing for the route, e.g. no village lies "above" a village
persona), ``ok`` (302 for form posts that redirect), ``anonymous`` (an unusual answer for anonymous
callers), ``visible=f(login, position)`` (when the target at a position is in scope, if the default
— only "own", and "other_line" only for the system administrator — does not fit the route),
``roles=PUBLIC`` (no sign-in), and ``known={"login": "reason"}`` (or ``{"login-position": ...}``)
for cells whose current answer is a known bug: they run as strict xfails, so the cell fails again
once the bug is fixed and the note gets removed. Print the table and its size with
``pingan shell -c "from pingan.testing import matrix; matrix.main()"``.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pingan.accounts.roles import POLICIES, Role
from pingan.core.scope import Line
from pingan.testing.personas import (
    BANNER,
    OTHER_BANNER,
    PERSONAS,
    SIBLING_TOWNSHIP,
    SIBLING_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    signed_in_session,
)

OWN, SIBLING, PARENT, OTHER_LINE = "own", "sibling", "parent", "other_line"
POSITIONS = (OWN, SIBLING, PARENT)
ANY = "any"  # the position of a route without a target object
ANONYMOUS = "anonymous"

EVERY_ROLE = frozenset(Role.values)
PUBLIC = None  # ``roles=PUBLIC``: no sign-in needed; everyone gets ``ok``

# Roles whose job is not jurisdiction data: with no business line they see no record anywhere.
NO_DATA_ROLES = frozenset({Role.SECADMIN, Role.AUDITOR})
# Reference data (areas, agencies, staff) of every line is maintained by the system administrator.
ALL_LINES_OF_REFERENCE = frozenset({Role.SYSADMIN})

_SIBLING = {BANNER: OTHER_BANNER, TOWNSHIP: SIBLING_TOWNSHIP, VILLAGE: SIBLING_VILLAGE}
_LINE_AGENCY = {Line.POLICE: "police_station", Line.JUSTICE: "judicial_office",
                Line.PROCURATORATE: "procuratorate", Line.ADMIN: "admin_agency", Line.GRID: "township_gov"}
MARKER = "矩阵靶标"  # appears in a response only when the target is shown


# ---------------------------------------------------------------- places and targets


def line_of(role: str) -> str:
    lines = sorted(POLICIES[role].lines)
    return lines[0] if lines else Line.POLICE


def agency_kind_for(role: str, position: str) -> str:
    line = line_of(role)
    if position == OTHER_LINE:
        line = Line.JUSTICE if line == Line.POLICE else Line.POLICE
    return _LINE_AGENCY[line]


_areas: dict[str, Any] = {}
_villages: dict[str, Any] = {}


def area(code: str):
    """An Area of the session-loaded tree, cached per process (cells only read code, path, level)."""
    from pingan.areas.models import Area

    if code not in _areas:
        _areas[code] = Area.objects.get(code=code)
    return _areas[code]


def first_village(node):
    """The first village-level unit inside ``node`` (the node itself at village level)."""
    from pingan.areas.models import Area, Level

    if node.level == Level.VILLAGE:
        return node
    if node.code not in _villages:
        _villages[node.code] = (Area.objects.filter(path__startswith=node.path, level=Level.VILLAGE)
                                .order_by("code").first())
    return _villages[node.code]


@dataclass
class Place:
    """Where a cell's target goes, relative to a persona. Built inside the test (needs the DB)."""

    login: str
    position: str

    @cached_property
    def own_code(self) -> str:
        return PERSONAS[self.login].jurisdiction if self.login in PERSONAS else BANNER

    @cached_property
    def node(self):
        """The persona's node, the one beside it, or the one above it."""
        own = area(self.own_code)
        if self.position in (OWN, OTHER_LINE, ANY):
            return own
        if self.position == SIBLING:
            return area(_SIBLING[self.own_code])
        return area(own.ancestor_codes()[-2])

    @cached_property
    def village(self):
        """A village-level unit inside ``node`` (own, sibling); None for parent — every village under
        the parent node is either the persona's own or a sibling, so "parent" has no village."""
        return None if self.position == PARENT else first_village(self.node)

    @property
    def role(self) -> str:
        return PERSONAS[self.login].role if self.login in PERSONAS else Role.POLICE_LEADER

    @property
    def agency_kind(self) -> str:
        """An agency kind in the persona's business line (another line for ``other_line``)."""
        return agency_kind_for(self.role, self.position)

    def agency(self, node=None):
        from pingan.testing.personas import agency_for

        return agency_for(self.agency_kind, node or self.node)


@dataclass
class Target:
    kwargs: dict[str, Any] = field(default_factory=dict)
    marker: str | None = None
    obj: Any = None


Builder = Callable[[Place], Target]


def node_target(key: str = "code") -> Builder:
    """The place's node itself (an area code in the URL)."""
    return lambda place: Target({key: place.node.code}, obj=place.node)


def village_target(key: str = "code") -> Builder:
    """A village-level unit at the place (the node itself for "parent": out of scope either way)."""

    def build(place: Place) -> Target:
        unit = place.village or place.node
        return Target({key: unit.code}, obj=unit)

    return build


def banner_target(key: str = "banner_code", **fixed) -> Builder:
    """A banner, for banner-wide routes (reports): "own" is the banner the persona works in (its own
    node or the banner above it); "sibling" and "parent" are the other banner 152922, which no persona
    under 150824 may read. ``fixed`` adds constant URL kwargs, e.g. ``banner_target(year=2024)``."""

    def build(place: Place) -> Target:
        code = place.own_code[:6] + "000000" if place.position in (OWN, OTHER_LINE, ANY) else OTHER_BANNER
        return Target({key: code, **fixed}, obj=area(code))

    return build


def make_staff(place: Place, *, at=None, **extra):
    from pingan.testing.factories import StaffFactory

    where = at or place.node
    return StaffFactory(name=MARKER + "人员", agency=place.agency(where), area=where, **extra)


def staff_target(key: str | None = None) -> Builder:
    """A person working at the place's node, in the persona's line (or another, for other_line);
    ``key`` names the URL parameter for the person's id (None for lists)."""

    def build(place: Place) -> Target:
        staff = make_staff(place)
        return Target({key: staff.pk} if key else {}, marker=staff.name, obj=staff)

    return build


def agency_target() -> Builder:
    """An agency covering the place's node (for the liaison at "own": its own agency)."""

    def build(place: Place) -> Target:
        from pingan.org.models import Agency

        agency = place.agency()
        Agency.objects.filter(pk=agency.pk).update(short_name=MARKER + "单位")
        return Target({}, marker=MARKER + "单位", obj=agency)

    return build


def assignment_target(key: str | None = None) -> Builder:
    """一村一警: an auxiliary officer assigned to a village at the place (police line)."""

    def build(place: Place) -> Target:
        import datetime as dt

        from pingan.org.models import AssignmentRole, StaffCategory, VillageAssignment
        from pingan.testing.personas import agency_for

        village = place.village or place.node
        station = agency_for("police_station", village)
        staff = make_staff(place, at=village, category=StaffCategory.AUXILIARY)
        staff.agency = station
        staff.save(update_fields=["agency"])
        VillageAssignment.objects.create(staff=staff, village=village, role=AssignmentRole.AUXILIARY,
                                         start=dt.date(2020, 1, 1))
        return Target({key: village.code} if key else {}, marker=staff.name, obj=staff)

    return build


# ---------------------------------------------------------------- routes


@dataclass(frozen=True)
class Route:
    """One page URL name ("org:staff_detail") or one API operation ("GET /api/org/staff/{staff_id}")."""

    name: str
    roles: frozenset[str] | None = EVERY_ROLE
    target: Builder | None = None
    method: str = "GET"  # pages only; an API entry's method is in its name
    ok: int = 200
    list: bool = False
    positions: tuple[str, ...] = POSITIONS
    line_scoped: bool = False
    query: Callable[[Target], dict] | None = None
    body: Callable[[Target], dict] | None = None
    state: Callable[[Target], Any] | None = None  # extra "was anything written" fingerprint
    writes: bool = False  # an allowed in-scope request must write (checked)
    anonymous: int | None = None  # default 302 (pages) / 401 (API)
    visible: Callable[[str, str], bool] | None = None  # (login, position) → in scope; default in_scope()
    kwargs: dict[str, Any] = field(default_factory=dict)  # fixed URL kwargs (routes without an object)
    known: dict[str, str] = field(default_factory=dict)  # "login" or "login-position" → known bug (strict xfail)

    def __post_init__(self):
        if self.is_api:
            method, _, path = self.name.partition(" ")
            if method not in ("GET", "POST", "PUT", "PATCH", "DELETE") or not path.startswith("/api/"):
                raise ValueError(f"API route {self.name!r}: write it as 'METHOD /api/path' as in the OpenAPI document")

    @property
    def is_api(self) -> bool:
        return " " in self.name

    @property
    def http_method(self) -> str:
        return self.name.split(" ", 1)[0] if self.is_api else self.method

    @property
    def public(self) -> bool:
        return self.roles is None

    @property
    def unsafe(self) -> bool:
        return self.http_method not in ("GET", "HEAD", "OPTIONS")

    @property
    def cell_positions(self) -> tuple[str, ...]:
        if self.target is None:
            return (ANY,)
        return self.positions + ((OTHER_LINE,) if self.line_scoped else ())

    def url(self, target: Target | None) -> str:
        kwargs = {**self.kwargs, **(target.kwargs if target else {})}
        if self.is_api:
            path = self.name.split(" ", 1)[1]
            return re.sub(r"{(\w+)}", lambda m: str(kwargs[m.group(1)]), path)
        from django.urls import reverse

        return reverse(self.name, kwargs=kwargs or None)


@dataclass(frozen=True)
class Expect:
    status: int
    listed: bool | None = None  # lists: whether the target must be in the response


@dataclass(frozen=True)
class Cell:
    route: Route
    login: str
    position: str

    @property
    def id(self) -> str:
        return f"{self.route.name}-{self.login}-{self.position}"

    @property
    def known(self) -> str | None:
        return self.route.known.get(f"{self.login}-{self.position}") or self.route.known.get(self.login)

    @property
    def expect(self) -> Expect:
        return expected(self.route, self.login, self.position)


def in_scope(login: str, position: str) -> bool:
    role = PERSONAS[login].role
    if role in NO_DATA_ROLES:
        return False
    if position == OWN:
        return True
    if position == OTHER_LINE:
        return role in ALL_LINES_OF_REFERENCE
    return False


def expected(route: Route, login: str, position: str) -> Expect:
    if route.public:
        return Expect(route.ok)
    if login == ANONYMOUS:
        return Expect(route.anonymous or (401 if route.is_api else 302))
    if PERSONAS[login].role not in route.roles:
        return Expect(403)
    if position == ANY:
        return Expect(route.ok)
    visible = (route.visible or in_scope)(login, position)
    if route.list:
        return Expect(route.ok, listed=visible)
    return Expect(route.ok if visible else 404)


# ---------------------------------------------------------------- the table


def app_routes() -> dict[str, list[Route]]:
    """``ROUTES`` of every installed pingan app's ``tests/routes.py``, by app."""
    from django.apps import apps

    found: dict[str, list[Route]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("pingan."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.routes")
        except ModuleNotFoundError as exc:
            if exc.name in (f"{config.name}.tests", f"{config.name}.tests.routes"):
                continue
            raise
        found[config.label] = list(module.ROUTES)
    return found


def foundation_routes() -> list[Route]:
    """Routes of apps that have no ``tests/routes.py`` of their own yet (org, core, the API shell).
    Moving an app's entries into ``pingan/<app>/tests/routes.py`` is a cut and paste."""
    staff_readers = EVERY_ROLE - {Role.SECADMIN, Role.AUDITOR}
    coverage_readers = frozenset({Role.SYSADMIN, Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
    importers = frozenset({Role.SYSADMIN, Role.POLICE_LEADER, Role.STATION_CHIEF, Role.JUSTICE_BUREAU,
                           Role.JUDICIAL_OFFICE})
    full_pii = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.JUSTICE_BUREAU, Role.JUDICIAL_OFFICE,
                          Role.PROSECUTOR})
    return [
        # org: pages
        Route("org:staff_list", roles=staff_readers, target=staff_target(), list=True, line_scoped=True),
        Route("org:staff_detail", roles=staff_readers, target=staff_target("pk"), line_scoped=True),
        # Revealing full personal data writes a VIEW_PII audit row: that is the write checked.
        Route("org:staff_reveal", roles=full_pii, method="POST", target=staff_target("pk"), line_scoped=True,
              writes=True),
        Route("org:coverage", roles=coverage_readers, target=assignment_target(), list=True,
              positions=(OWN, SIBLING)),
        Route("org:coverage_area", roles=coverage_readers, target=node_target()),
        # org: API
        Route("GET /api/org/staff", roles=staff_readers, target=staff_target(), list=True, line_scoped=True),
        Route("GET /api/org/staff/{staff_id}", roles=staff_readers, target=staff_target("staff_id"),
              line_scoped=True),
        Route("GET /api/org/agencies", roles=staff_readers, target=agency_target(), list=True, line_scoped=True),
        Route("GET /api/org/coverage/{code}", roles=coverage_readers, target=node_target()),
        # org: 台账 import (the upload itself is tested in pingan/org/tests/test_import.py)
        Route("org:import", roles=importers),
        Route("org:import_template", roles=importers, kwargs={"kind": "staff"}),
        # core
        Route("core:audit_list", roles=frozenset({Role.AUDITOR})),
        # The API shell: the OpenAPI document is public; ninja's root view answers 404 to everyone.
        Route("api:openapi-json", roles=PUBLIC),
        Route("api:api-root", roles=PUBLIC, ok=404),
    ]


def routes() -> list[Route]:
    """Every declared route; a name declared twice is an error."""
    table: dict[str, Route] = {}
    for source, entries in {"pingan.testing.matrix": foundation_routes(), **app_routes()}.items():
        for route in entries:
            if route.name in table:
                raise ValueError(f"route {route.name} declared twice (again in {source})")
            table[route.name] = route
    return sorted(table.values(), key=lambda r: (r.is_api, r.name))


def personas() -> list[str]:
    return sorted(PERSONAS)


def cells() -> list[Cell]:
    out: list[Cell] = []
    for route in routes():
        for login in personas():
            for position in route.cell_positions:
                out.append(Cell(route, login, position))
        out.append(Cell(route, ANONYMOUS, ANY))
    return out


def size() -> dict[str, int]:
    all_cells = cells()
    table = routes()
    return {
        "routes": len(table),
        "pages": sum(not r.is_api for r in table),
        "api_operations": sum(r.is_api for r in table),
        "personas": len(personas()),
        "cells": len(all_cells),
        "persona_cells": sum(c.login != ANONYMOUS for c in all_cells),
        "anonymous_cells": sum(c.login == ANONYMOUS for c in all_cells),
        "known_issue_cells": sum(bool(c.known) for c in all_cells),
    }


def summary_line() -> str:
    s = size()
    return (f"权限矩阵 permission matrix: {s['routes']} routes ({s['pages']} pages + {s['api_operations']} API operations)"
            f" × {s['personas']} personas × own/sibling/parent(/other_line) = {s['persona_cells']} cells"
            f" + {s['anonymous_cells']} anonymous = {s['cells']} cells"
            f" ({s['known_issue_cells']} known-issue cells)")


# ---------------------------------------------------------------- completeness


def _walk(patterns, prefix: str = "", namespace: str = ""):
    from django.urls import URLPattern, URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{namespace}:{p.name}" if namespace and p.name else p.name)


EXCLUDED_PREFIXES = ("admin/", "static/", "media/", "__debug__/")


def url_patterns() -> list[tuple[str, str | None]]:
    """(route, name) of every URL pattern in the project's resolver, outside admin and static."""
    from django.urls import get_resolver

    return [(route, name) for route, name in _walk(get_resolver().url_patterns)
            if not route.startswith(EXCLUDED_PREFIXES)]


def api_operations() -> list[str]:
    """Every operation in the OpenAPI document, as "METHOD /path"."""
    from pingan.api import api

    schema = api.get_openapi_schema()
    return sorted(f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops)


def _as_openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def undeclared() -> list[str]:
    """Routes the project serves that the table does not declare (should be empty)."""
    declared = {r.name for r in routes()}
    api_paths = {op.split(" ", 1)[1] for op in api_operations()}
    missing = []
    for route, name in url_patterns():
        if name is None:
            missing.append(f"unnamed URL pattern {route!r}: give it a name and declare it")
        elif name in declared:
            continue
        elif name.startswith("api:") and _as_openapi_path(route) in api_paths:
            continue  # an API operation's pattern: checked against the OpenAPI document below
        else:
            missing.append(f"page {name} ({route})")
    missing += [f"API {op}" for op in api_operations() if op not in declared]
    return missing


def stale() -> list[str]:
    """Declared routes that no longer exist (so the table cannot rot)."""
    names = {name for _, name in url_patterns()}
    ops = set(api_operations())
    return [r.name for r in routes() if (r.name not in ops if r.is_api else r.name not in names)]


# ---------------------------------------------------------------- running a cell


def response_text(response) -> str:
    """The body as text; JSON is re-serialised so non-ASCII markers are found."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode("utf-8", "replace")


def _counted_tables() -> list[str]:
    """Tables of every pingan model that exists in the database, the audit log apart."""
    from django.apps import apps
    from django.db import connection

    from pingan.core.models import AuditLog

    existing = set(connection.introspection.table_names())
    return sorted({m._meta.db_table for m in apps.get_models()
                   if m.__module__.startswith("pingan.") and m is not AuditLog and m._meta.db_table in existing})


_tables: list[str] | None = None


def fingerprint(extra: Any = None) -> dict[str, Any]:
    """Row counts of every pingan model's table and of the audit rows other than DENIED, plus
    ``extra``: what a denied or out-of-scope request must leave unchanged. One SQL query."""
    global _tables
    from django.db import connection

    from pingan.core.models import AuditAction, AuditLog

    if _tables is None:
        _tables = _counted_tables()
    q = connection.ops.quote_name
    audit = q(AuditLog._meta.db_table)
    parts = [f"(SELECT COUNT(*) FROM {q(t)})" for t in _tables]
    parts.append(f"(SELECT COUNT(*) FROM {audit} WHERE {q('action')} <> %s)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), [AuditAction.DENIED.value])
        row = cursor.fetchone()
    counts: dict[str, Any] = dict(zip([*_tables, "audit"], row, strict=True))
    counts["extra"] = extra
    return counts


class AuditCapture:
    """The audit rows written while the block runs, caught by post_save (no query)."""

    def __enter__(self):
        from django.db.models.signals import post_save

        from pingan.core.models import AuditLog

        self.rows = []
        self._receiver = lambda sender, instance, created, **kw: created and self.rows.append(instance)
        post_save.connect(self._receiver, sender=AuditLog, weak=False)
        return self

    def __exit__(self, *exc):
        from django.db.models.signals import post_save

        from pingan.core.models import AuditLog

        post_save.disconnect(self._receiver, sender=AuditLog)

    def denied(self, login: str | None = None) -> int:
        from pingan.core.models import AuditAction, AuditResult

        return sum(1 for r in self.rows if r.action == AuditAction.DENIED and r.result == AuditResult.DENIED
                   and (login is None or r.actor_login == login))


def denied_rows(login: str) -> int:
    from pingan.core.models import AuditAction, AuditLog, AuditResult

    return AuditLog.objects.filter(action=AuditAction.DENIED, result=AuditResult.DENIED, actor_login=login).count()


_client = None


def client_for(route: Route, user):
    """A test client signed in as ``user``: session for pages, a Bearer token for the API.

    One Client is reused (cookies and headers reset): a new Client builds a new handler, whose first
    request loads the middleware, and WhiteNoise's start-up scan of the static files would then be a
    third of every cell's time."""
    global _client
    from django.test import Client

    if _client is None:
        _client = Client()
    _client.cookies.clear()
    _client.defaults = {}
    if user is None:
        return _client
    if route.is_api:
        from pingan.accounts.models import ApiToken, hash_token

        raw = ApiToken.generate()
        ApiToken.objects.create(user=user, name="matrix", prefix=raw[:8], key_hash=hash_token(raw))
        _client.defaults = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    else:
        sign_in(_client, user)
    return _client


def sign_in(client, user) -> None:
    """What ``client.force_login`` leaves behind (a session naming the user), without the login
    signal: the sign-in itself is not what a cell tests, and its audit row and last_login update
    would cost every page cell three queries."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.update(signed_in_session(user))  # sign-in times; second factor passed where required
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def request(client, route: Route, target: Target | None):
    url = route.url(target)
    method = route.http_method.lower()
    data = route.query(target) if route.query else None
    if route.is_api and route.unsafe:
        body = route.body(target) if route.body else {}
        return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")
    if route.unsafe:
        return getattr(client, method)(url, data=route.body(target) if route.body else {})
    return client.get(url, data=data)


def main() -> None:
    """``pingan shell -c "from pingan.testing import matrix; matrix.main()"``: the table and its size."""
    print(summary_line())
    all_cells = cells()
    for r in routes():
        n = sum(1 for c in all_cells if c.route.name == r.name)
        roles = "public" if r.public else ("every role" if r.roles == EVERY_ROLE else ",".join(sorted(r.roles)))
        print(f"  {r.name:<45} {n:>4} cells  {roles}")
    missing = undeclared()
    if missing:
        print("UNDECLARED:", *missing, sep="\n  ")


def terminal_summary(terminalreporter) -> None:
    """For conftest.py's ``pytest_terminal_summary``: print the matrix size after a run that ran it."""
    ran = any("test_permission_matrix" in getattr(report, "nodeid", "")
              for reports in terminalreporter.stats.values() for report in reports)
    if ran:
        terminalreporter.write_sep("-", summary_line())
