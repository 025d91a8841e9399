"""Scope attacks (issue #8, 6a): crafted filter parameters and foreign ids in POST bodies.

The permission matrix (pingan/testing/matrix.py) proves that a persona cannot open, list or change a
record outside its scope by naming it in the URL. This module goes after the two other doors:

Crafted filters
    Every list in the matrix (page, its xlsx export, API list) is requested by each persona allowed
    to use it, once per filter parameter and crafted value, while records out of the persona's scope
    (the route's own targets built at sibling / parent / other_line, as the matrix declares them
    unlisted) exist. The values are the ids and area codes *of those records* (their own id, their
    foreign keys, the codes of the places they hang on), so a filter that looked a record up outside
    ``visible_to`` would show it. The parameters are not listed by hand: the API's from the OpenAPI
    document, a page's from the FilterSets it builds and the query keys its view reads (caught while
    the page answers), so a new filter is attacked the day it lands. A cell passes when the answer is
    not a 500 and no out-of-scope marker appears in the HTML, the JSON or the xlsx cells.

Foreign ids in POST bodies
    Every write route (page forms, API operations) is posted by each persona allowed to use it, on
    an in-scope target, with one foreign key of the body replaced by the id of an object out of the
    persona's scope. The foreign keys are found, again, without a list: a page's from the bound forms
    its view builds (every ModelChoiceField / ModelMultipleChoiceField, and id fields named after a
    model) and the POST keys the view reads; an API operation's from its request schema (``*_id``,
    ``*_ids``, ``*_code(s)``). Out-of-scope objects of the needed model are built with the matrix's
    own target builders at sibling / other_line / parent (the first builder whose target is, or hangs
    on, an object of that model), so a new model with a builder is covered; a foreign key whose
    model has none fails the run. A cell passes when the request is refused (a form error on that
    very field, or 400/403/404/422), no row is written in any table (the audit log may gain a DENIED
    row, nothing else), the target is unchanged, and the out-of-scope object was not even offered in
    the form's choice list.

Every cell is counted; ``terminal_summary`` prints the totals after a run (conftest.py).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pingan.accounts.roles import Role
from pingan.testing import matrix
from pingan.testing.matrix import OTHER_LINE, OWN, PARENT, SIBLING, Place, Route, Target
from pingan.testing.personas import BANNER, PERSONAS

STAT = "scope_attack_cells"
NO_DATA = frozenset({Role.SECADMIN, Role.AUDITOR})

# Query keys that never name a record: paging, output format, dates, free text.
NON_REFERENCE_QUERY = frozenset({"page", "export", "format", "limit", "offset", "chart", "next"})

# Names of POST keys / API body properties (without _id, _ids, _code, _codes) → the model they name.
NAME_MODELS = {
    "area": "areas.Area", "place": "areas.Area", "village": "areas.Area", "township": "areas.Area",
    "banner": "areas.Area", "jurisdiction": "areas.Area", "parent": "areas.Area",
    "agency": "org.Agency", "station": "org.Agency", "organiser": "org.Agency", "organizer": "org.Agency",
    "unit": "org.Agency", "lead_unit": "org.Agency", "addressed_agency": "org.Agency", "referred_to": "org.Agency",
    "office": "org.Agency",
    "staff": "org.Staff", "officer": "org.Staff", "mediator": "org.Staff", "handler": "org.Staff",
    "team": "org.Staff",
    "incident": "incidents.Incident", "cluster": "incidents.RepeatCluster",
    "dispute": "disputes.Dispute", "visit": "disputes.Visit", "hazard": "disputes.Hazard",
    "case": "cases.Case", "campaign": "cases.Campaign", "operation": "cases.Operation",
    "zone": "ecology.Zone", "people": "ecology.Keeper", "keeper": "ecology.Keeper", "patrol": "ecology.Patrol",
    "joint_action": "ecology.JointAction",
    "warning": "antifraud.FraudWarning",
    "person": "legal.LegalPerson",
    "claim": "procuratorate.WageClaim", "workers": "procuratorate.WageWorker",
}
# POST keys that a view reads but that name no record.
NON_REFERENCE_POST = frozenset({"last",  # onestop:request_new reads ?last= from the query (scoped), not the body
                                "csrfmiddlewaretoken", "action", "next", "confirm", "kind", "status", "reason",
                                "note", "date", "year", "all_workers", "source_type", "source_label", "title",
                                "source_id"})
# API body properties that look like references but hold free text (checked by the service as text).
NON_REFERENCE_API = frozenset({"source_id", "transferred_to", "litigation_ref"})
# A reference made by a number rather than an id.
BY_NUMBER = {"case_number": ("cases.Case", "number"), ("IncidentLinkForm", "number"): ("incidents.Incident", "number")}

# Choices that are, by design, wider than the persona's subtree: the people working in the record's
# township (disputes: "working at the village, above it, or in its township (names only)" —
# pingan/disputes/selectors.py assignable_staff / team_candidates). A neighbouring village's staff may
# be named there; a neighbouring township's or another banner's may not (still attacked).
TOWNSHIP_POOLS = frozenset({
    "disputes:assign staff", "disputes:session mediator", "disputes:visit_new team",
    "POST /api/disputes/{dispute_id}/assign staff_id", "POST /api/disputes/{dispute_id}/sessions mediator_id",
    "POST /api/disputes/visits team_ids",
})

REFUSED_API = (400, 403, 404, 409, 422)
REFUSED_PAGE = (200, 400, 403, 404)


def reference_name(key: str) -> str | None:
    """``staff_id`` → "staff", ``team_ids`` → "team", ``place_codes`` → "place", ``area`` → "area"."""
    return re.sub(r"_(ids?|codes?)$", "", key)


def looks_like_reference(key: str) -> bool:
    return bool(re.search(r"(^|_)(ids?|codes?)$", key)) or key in NAME_MODELS or key in BY_NUMBER


# ---------------------------------------------------------------- what a request touched


@dataclass
class Capture:
    forms: list = field(default_factory=list)
    filtersets: list = field(default_factory=list)
    keys: set = field(default_factory=set)


@contextlib.contextmanager
def capture() -> Iterator[Capture]:
    """Forms and FilterSets built, and QueryDict keys read, while the block runs."""
    from django.forms.forms import BaseForm
    from django.http import QueryDict
    from django.utils.datastructures import MultiValueDict
    from django_filters.filterset import BaseFilterSet

    rec = Capture()
    form_init, fs_init = BaseForm.__init__, BaseFilterSet.__init__
    getitem, get, getlist = MultiValueDict.__getitem__, MultiValueDict.get, MultiValueDict.getlist
    own_contains = MultiValueDict.__dict__.get("__contains__")
    contains = own_contains or dict.__contains__

    def note(self, key):
        if isinstance(self, QueryDict):
            rec.keys.add(key)

    def _form_init(self, *a, **k):
        form_init(self, *a, **k)
        rec.forms.append(self)

    def _fs_init(self, *a, **k):
        fs_init(self, *a, **k)
        rec.filtersets.append(self)

    def _getitem(self, key):
        note(self, key)
        return getitem(self, key)

    def _get(self, key, default=None):
        note(self, key)
        return get(self, key, default)

    def _getlist(self, key, default=None):
        note(self, key)
        return getlist(self, key, default)

    def _contains(self, key):
        note(self, key)
        return contains(self, key)

    BaseForm.__init__, BaseFilterSet.__init__ = _form_init, _fs_init
    MultiValueDict.__getitem__, MultiValueDict.get, MultiValueDict.getlist = _getitem, _get, _getlist
    MultiValueDict.__contains__ = _contains
    try:
        yield rec
    finally:
        BaseForm.__init__, BaseFilterSet.__init__ = form_init, fs_init
        MultiValueDict.__getitem__, MultiValueDict.get, MultiValueDict.getlist = getitem, get, getlist
        if own_contains is None:
            del MultiValueDict.__contains__
        else:
            MultiValueDict.__contains__ = own_contains


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def rolled_back():
    """Run the block in a savepoint that is always rolled back (the world stays as built)."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


# ---------------------------------------------------------------- objects and their places


def flatten(obj) -> list:
    if obj is None:
        return []
    if isinstance(obj, (tuple, list)):
        return [o for x in obj for o in flatten(x)]
    return [obj] if hasattr(obj, "_meta") else []


def related(obj) -> list:
    """The object and the objects its foreign keys point to (one level)."""
    out = [obj]
    for f in obj._meta.concrete_fields:
        if f.is_relation and f.many_to_one and getattr(obj, f.attname, None) is not None:
            with contextlib.suppress(Exception):
                out.append(getattr(obj, f.name))
    return out


def label(model) -> str:
    return model._meta.label


def area_paths(obj) -> list[str]:
    """The paths of the places a scoped object hangs on."""
    from pingan.core.scope import ScopedModel

    model = type(obj)
    if not issubclass(model, ScopedModel):
        return []
    fields = model.scope_area_field if isinstance(model.scope_area_field, tuple) else (model.scope_area_field,)
    paths = []
    for f in fields:
        lookup = f"{f}__path" if f else "path"
        with contextlib.suppress(Exception):
            paths += [p for p in model.objects.filter(pk=obj.pk).values_list(lookup, flat=True) if p]
    return paths


def out_of_scope(obj, user) -> bool | None:
    """True if ``user`` may not see ``obj``; None for models without a scope (nothing to attack).
    Reference data at or above the user's own node (the banner's bureau, the township) is not out of
    scope for choosing: escalating to the unit above is legitimate."""
    from pingan.core.scope import ScopedModel

    model = type(obj)
    if not issubclass(model, ScopedModel):
        return None
    if model.objects.visible_to(user).filter(pk=obj.pk).exists():
        return False
    if model.reference_data and user.jurisdiction_id:
        own = user.jurisdiction.path
        if any(own.startswith(p) for p in area_paths(obj)):
            return False
    return True


def codes_of(obj) -> list[str]:
    """The area codes of the places the object hangs on (or, failing that, its foreign keys hang on),
    the most specific first."""
    codes: list[str] = []
    paths = area_paths(obj) or [p for o in related(obj)[1:] for p in area_paths(o)]
    for path in paths:
        for code in reversed([c for c in path.split("/") if c]):
            if code not in codes:
                codes.append(code)
    return codes


# ---------------------------------------------------------------- building out-of-scope objects

_route_models: dict[str, set[str]] = {}  # route name → model labels its builder makes (learned)


def _positions(login: str) -> list[str]:
    own = PERSONAS[login].jurisdiction
    return [SIBLING, OTHER_LINE] + ([PARENT] if own != BANNER else [])


def _build(route: Route, login: str, position: str) -> Target | None:
    return _build_with(route.target, login, position)


def _build_with(builder, login: str, position: str) -> Target | None:
    from django.db import transaction

    try:
        with transaction.atomic():
            return builder(Place(login, position))
    except Exception:  # a builder that cannot place its record there (e.g. no village above a village)
        return None


def _made(target: Target | None) -> list:
    return [r for o in flatten(target.obj if target else None) for r in related(o)]


def _area_candidates(login: str) -> list:
    from pingan.areas.models import Area

    place = Place(login, SIBLING)
    units = [place.village, place.node, matrix.first_village(matrix.area("152922000000"))]
    if PERSONAS[login].jurisdiction != BANNER:
        units.append(Place(login, PARENT).node)
    seen, out = set(), []
    for u in units:
        if u is not None and u.pk not in seen:
            seen.add(u.pk)
            out.append(Area.objects.get(pk=u.pk))
    return out


def _agency_candidates(login: str) -> list:
    """Units of the persona's line at the sibling node and in the other banner. (Units of another line
    at the persona's own place are not attacked: handing a dispute to the judicial office next door is
    the design, pingan/disputes/selectors.py assignable_agencies.)"""
    from pingan.testing.personas import OTHER_BANNER

    place = Place(login, SIBLING)
    return [place.agency(place.village or place.node), place.agency(),
            place.agency(matrix.first_village(matrix.area(OTHER_BANNER)))]


def _keeper_candidates(login: str) -> list:
    from pingan.ecology.models import Keeper
    from pingan.ecology.tests.routes import keeper_target

    out = []
    for position in _positions(login):
        target = _build_with(keeper_target(), login, position)
        if target is not None:
            out.append(Keeper.objects.get(pk=target.kwargs["pk"]))
    return out


def _worker_candidates(login: str) -> list:
    from pingan.procuratorate.models import WageWorker
    from pingan.procuratorate.tests.routes import _claim

    out = []
    for position in _positions(login):
        with contextlib.suppress(Exception):
            out += list(WageWorker.objects.filter(claim=_claim(Place(login, position))))
    return out


def _staff_candidates(login: str) -> list:
    """People at the sibling node, in the sibling township (for village personas) and in the other banner."""
    from pingan.testing.personas import OTHER_BANNER, SIBLING_TOWNSHIP, VILLAGE

    sibling = Place(login, SIBLING)
    out = [matrix.make_staff(sibling)]
    if PERSONAS[login].jurisdiction == VILLAGE:
        out.append(matrix.make_staff(sibling, at=matrix.area(SIBLING_TOWNSHIP)))
    if PERSONAS[login].jurisdiction != BANNER:
        out.append(matrix.make_staff(sibling, at=matrix.first_village(matrix.area(OTHER_BANNER))))
    return out


# Models whose out-of-scope objects are built here rather than found through a route's target builder.
GENERIC = {"areas.Area": _area_candidates, "org.Agency": _agency_candidates, "org.Staff": _staff_candidates,
           "ecology.Keeper": _keeper_candidates, "procuratorate.WageWorker": _worker_candidates}


class World:
    """Out-of-scope objects for one persona, built on demand, per model."""

    def __init__(self, login: str, user):
        self.login, self.user = login, user
        self.made: dict[str, list] = {}

    def candidates(self, model_label: str, limit: int = 2) -> list:
        if model_label not in self.made:
            objs = GENERIC[model_label](self.login) if model_label in GENERIC else self._from_builders(model_label)
            seen, keep = set(), []
            for o in objs:
                if label(type(o)) == model_label and o.pk not in seen and out_of_scope(o, self.user):
                    seen.add(o.pk)
                    keep.append(o)
            self.made[model_label] = keep
        return self.made[model_label][:limit]

    def _from_builders(self, model_label: str) -> list:
        routes = [r for r in matrix.routes() if r.target is not None]
        known = [r for r in routes if model_label in _route_models.get(r.name, ())]
        unknown = [r for r in routes if r.name not in _route_models]
        for route in known + unknown:
            if route.name not in _route_models:  # learn what this builder makes (rolled back)
                with rolled_back():
                    made = _made(_build(route, self.login, SIBLING))
                    _route_models[route.name] = {label(type(o)) for o in made}
                if model_label not in _route_models[route.name]:
                    continue
            objs = []
            for position in _positions(self.login):
                objs += [o for o in _made(_build(route, self.login, position)) if label(type(o)) == model_label]
            if objs:
                return objs
        return []


# ---------------------------------------------------------------- responses


def response_text(response) -> str:
    ctype = response.get("Content-Type", "")
    if "spreadsheetml" in ctype or response.get("Content-Disposition", "").endswith('.xlsx"'):
        from openpyxl import load_workbook

        content = b"".join(response.streaming_content) if response.streaming else response.content
        wb = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                         for v in row if v is not None)
    return matrix.response_text(response)


def is_xlsx(response) -> bool:
    return "spreadsheetml" in response.get("Content-Type", "")


def openapi() -> dict:
    from pingan.api import api

    global _schema
    if _schema is None:
        _schema = api.get_openapi_schema()
    return _schema


_schema = None


def _operation(route: Route) -> dict:
    method, path = route.name.split(" ", 1)
    return openapi()["paths"][path][method.lower()]


def api_query_params(route: Route) -> list[str]:
    return [p["name"] for p in _operation(route).get("parameters", [])
            if p["in"] == "query" and p["name"] not in NON_REFERENCE_QUERY]


def api_body_properties(route: Route) -> dict[str, dict]:
    body = _operation(route).get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    comps = openapi().get("components", {}).get("schemas", {})
    while body and "$ref" in body:
        body = comps[body["$ref"].split("/")[-1]]
    return (body or {}).get("properties", {})


# ---------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    route: Route
    login: str

    @property
    def id(self) -> str:
        return f"{self.route.name}-{self.login}"


def _allowed(route: Route, login: str) -> bool:
    role = PERSONAS[login].role
    return route.roles is not None and role in route.roles and role not in NO_DATA


def _level(login: str) -> int:
    code = PERSONAS[login].jurisdiction or BANNER
    return 0 if code.endswith("000000") else (1 if code.endswith("000") else 2)


def attackers(route: Route) -> list[str]:
    """The personas that attack a route: every allowed one with PINGAN_ATTACKS_ALL_PERSONAS=1; by
    default one per level of the tree (village, township, banner — so the sibling village, the
    sibling township and the other banner are each named), the most local line first, plus one
    persona of another business line at the banner when the route is line-scoped."""
    allowed = [login for login in matrix.personas() if _allowed(route, login)]
    if os.environ.get("PINGAN_ATTACKS_ALL_PERSONAS") == "1":
        return allowed
    chosen: list[str] = []
    for level in (2, 1, 0):
        for login in PREFERRED:
            if login in allowed and _level(login) == level:
                chosen.append(login)
                break
    if route.line_scoped:
        lines = {matrix.line_of(PERSONAS[c].role) for c in chosen}
        other = [login for login in PREFERRED if login in allowed and login not in chosen
                 and matrix.line_of(PERSONAS[login].role) not in lines]
        chosen += other[:1]
    return chosen


# The order personas are preferred in, per level: the front-line users of each programme first.
PREFERRED = ["village_officer", "grid_worker", "legal_literate", "station_chief", "judicial_office",
             "hq_officer", "justice_clerk", "prosecutor", "liaison", "sysadmin"]


def filter_cases() -> list[Case]:
    """(list route, persona) for every list a persona may read and whose out-of-scope targets it
    must not see."""
    out = []
    for route in matrix.routes():
        if not route.list or route.unsafe or route.target is None:
            continue
        for login in attackers(route):
            if _hidden_positions(route, login):
                out.append(Case(route, login))
    return out


def _hidden_positions(route: Route, login: str) -> list[str]:
    out = []
    for position in route.cell_positions:
        if position == OWN:
            continue
        cell = matrix.Cell(route, login, position)
        if cell.known or cell.expect.listed is not False:
            continue
        out.append(position)
    return out


SKIP_WRITES = ("accounts:", "reveal", "import", "core:", "api:")


def write_cases() -> list[Case]:
    """(write route, persona): every page that takes a POST (its view handles one) and every unsafe API
    operation, for each persona allowed to use it."""
    out = []
    posting = _posting_pages()
    for route in matrix.routes():
        if any(s in route.name for s in SKIP_WRITES) and not route.is_api:
            continue
        if route.is_api and not route.unsafe:
            continue
        if not route.is_api and route.name not in posting:
            continue
        if route.is_api and not any(looks_like_reference(k) and k not in NON_REFERENCE_API
                                    for k in api_body_properties(route)) and route.target is None:
            continue
        for login in attackers(route):
            out.append(Case(route, login))
    return out


def _posting_pages() -> set[str]:
    """URL names whose view (or the route's declared method) handles a POST."""
    import inspect

    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, ":".join(x for x in (ns, p.namespace) if x))
            elif isinstance(p, URLPattern) and p.name:
                yield (f"{ns}:{p.name}" if ns else p.name), p.callback

    out = set()
    for name, callback in walk(get_resolver().url_patterns):
        try:
            source = inspect.getsource(inspect.unwrap(callback))
        except (OSError, TypeError):
            continue
        if "POST" in source:
            out.add(name)
    out |= {r.name for r in matrix.routes() if not r.is_api and r.method == "POST"}
    return out


# ---------------------------------------------------------------- results


@dataclass
class Result:
    cells: int = 0
    problems: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)

    def fail(self, msg: str) -> None:
        self.problems.append(msg)


def _client(route: Route, user):
    return matrix.client_for(route, user)


def _get(client, route: Route, target: Target | None, params: dict):
    url = route.url(target)
    base = route.query(target) if route.query else {}
    return client.get(url, data={**base, **params})


# ---------------------------------------------------------------- crafted filters


_discovered: dict[str, tuple[dict[str, Any], set[str]]] = {}


def filter_params(route: Route, client, target: Target | None) -> tuple[dict[str, Any], set[str]]:
    """{param: (model, filter) or None} for the route, and the output variants it offers ({"export",
    "format"}). A page's are found once per process (the first persona's visit): every persona gets
    the same FilterSets and view."""
    if route.is_api:
        return {p: None for p in api_query_params(route)}, set()
    if route.name not in _discovered:
        from django.http import QueryDict

        with capture() as rec:
            response = _get(client, route, target, {})
        assert response.status_code < 500, f"{route.name}: {response.status_code} without parameters"
        params: dict[str, Any] = {}
        for fs in rec.filtersets:
            for name, flt in fs.filters.items():
                params.setdefault(name, (type(fs).Meta.model, flt))
        for key in rec.keys:
            if key not in NON_REFERENCE_QUERY and not hasattr(QueryDict, key):  # not a template's .urlencode
                params.setdefault(key, None)
        _discovered[route.name] = params, rec.keys & {"export", "format"}
    return _discovered[route.name]


def is_reference_filter(param: str, spec) -> bool:
    """Whether a filter names a place or a record (attacked value by value) rather than a choice, a date
    or free text (attacked together in one request)."""
    import django_filters

    if spec is None:  # an API parameter or a raw query key: by its name
        return reference_name(param) in NAME_MODELS
    model, flt = spec
    if isinstance(flt, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
        return True
    if getattr(flt, "method", None):
        return reference_name(param) in NAME_MODELS
    current, relation = model, False
    for part in (getattr(flt, "field_name", "") or "").split("__"):
        part = part[:-3] if part.endswith("_id") else part
        try:
            f = current._meta.get_field(part)
        except Exception:
            return relation and part == "pk"  # a transform (year, date) or a lookup ends the path
        relation = f.is_relation
        if relation:
            current = f.related_model
    return relation


def _values_for(param: str, spec, objs: list, limit: int = 2) -> list[str]:
    """Crafted values: what the out-of-scope records are filed under for this parameter (the field the
    filter reads, else the codes of their places or their own id)."""
    values: list[Any] = []
    area_like = NAME_MODELS.get(reference_name(param)) == "areas.Area"
    for obj in objs:
        if spec is not None:
            model, flt = spec
            name = getattr(flt, "field_name", None)
            if name and isinstance(obj, model) and not getattr(flt, "method", None):
                found = []
                with contextlib.suppress(Exception):
                    found = [v for v in model.objects.filter(pk=obj.pk).values_list(name, flat=True)
                             if v is not None]
                if found:
                    values += found
                    continue
        if area_like:
            values += codes_of(obj)[:2]
        else:
            wanted = NAME_MODELS.get(reference_name(param))
            values += [o.pk for o in related(obj) if wanted is None or label(type(o)) == wanted] or [obj.pk]
    out: list[str] = []
    for v in values:
        s = str(v.pk if hasattr(v, "pk") else v)
        if s not in out:
            out.append(s)
    return out[:limit]


def _own_for_url(route: Route, login: str) -> Target | None:
    """The persona's own target, built only when the list's URL takes its kwargs (an own record's
    marker on the page could otherwise be a place name shared with an out-of-scope target's)."""
    if not _url_needs_kwargs(route):
        return None
    return route.target(Place(login, OWN))


def _url_needs_kwargs(route: Route) -> bool:
    return "{" in route.name if route.is_api else _page_takes_kwargs(route.name)


def _page_takes_kwargs(name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
        return False
    except NoReverseMatch:
        return True


def run_filter_case(case: Case, user) -> Result:
    route, login = case.route, case.login
    result = Result()
    forbidden: list[str] = []
    objs: list = []
    for position in _hidden_positions(route, login):
        target = route.target(Place(login, position))
        if target.marker:
            forbidden.append(target.marker)
        objs += flatten(target.obj)
    own = _own_for_url(route, login)
    forbidden = list(dict.fromkeys(forbidden))
    client = _client(route, user)
    params, variants = filter_params(route, client, own)
    refs = {p: s for p, s in params.items() if is_reference_filter(p, s)}
    others = sorted(p for p in params if p not in refs)
    requests: list[dict] = []
    for param, spec in sorted(refs.items(), key=lambda kv: kv[0]):
        values = _values_for(param, spec, objs)
        if not values:
            result.uncovered.append(f"{route.name}: no crafted value for the filter {param!r}")
        requests += [{param: v} for v in values]
    if others:  # choices, dates, free text: all at once, each given an out-of-scope id
        value = (_values_for("area", None, objs)[:1] or ["0"])[0]
        requests.append({p: value for p in others})
    if variants and requests:  # the same list as xlsx, with the first crafted reference
        requests.append({**requests[0], **({"export": "xlsx"} if "export" in variants else {"format": "xlsx"})})
    for params_ in requests:
        result.cells += 1
        response = _get(client, route, own, params_)
        where = f"{route.name} as {login} ?{'&'.join(f'{k}={v}' for k, v in params_.items())}"
        status = response.status_code
        if status >= 500:
            result.fail(f"{where}: {status}")
        elif status not in (200, 302, 400, 404, 422):
            result.fail(f"{where}: unexpected {status}")
        elif status == 200:
            text = response_text(response)
            leaked = [m for m in forbidden if m in text]
            if leaked:
                result.fail(f"{where}: out-of-scope record shown ({leaked[0]})")
    return result


# ---------------------------------------------------------------- foreign ids in POST bodies


def _model(model_label: str):
    from django.apps import apps

    return apps.get_model(model_label)


def _value(obj, *, to_field: str | None = None, code: bool = False) -> str:
    if to_field:
        return str(getattr(obj, to_field))
    if code and hasattr(obj, "code"):
        return obj.code
    return str(obj.pk)


def _row(obj) -> dict | None:
    if obj is None or not hasattr(obj, "_meta"):
        return None
    fresh = type(obj)._base_manager.filter(pk=obj.pk).values().first()
    return fresh


def _post(client, route: Route, target: Target | None, body: dict, query: dict | None = None):
    from urllib.parse import urlencode

    url = route.url(target) + (f"?{urlencode(query)}" if query else "")
    if route.is_api:
        return getattr(client, route.http_method.lower())(url, data=json.dumps(body), content_type="application/json")
    return client.post(url, data=body)


@dataclass
class Reference:
    key: str  # the POST key / body property
    model: str  # model label
    many: bool = False
    to_field: str | None = None
    code: bool = False  # an area named by its code
    choices: Any = None  # the form field's queryset as offered to the persona (None: not a choice)
    form: str = ""  # the form class (pages)
    field: str = ""  # the form field name (pages)


def page_references(route: Route, client, target: Target | None, body: dict) -> tuple[list[Reference], bool, list]:
    """The references a page's POST takes, found while posting ``body`` (rolled back)."""
    from django import forms

    with rolled_back(), capture() as rec:
        response = _post(client, route, target, body)
    if response.status_code in (405, 403, 404):
        return [], False, []
    refs: list[Reference] = []
    seen: set[str] = set()
    unknown = []
    bound = [f for f in rec.forms if f.is_bound and not type(f).__module__.startswith("django_filters")]
    for form in bound:
        for name, fld in form.fields.items():
            key = form.add_prefix(name)
            if key in seen:
                continue
            if isinstance(fld, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
                seen.add(key)
                refs.append(Reference(key, label(fld.queryset.model),
                                      many=isinstance(fld, forms.ModelMultipleChoiceField),
                                      to_field=fld.to_field_name, choices=fld.queryset,
                                      form=type(form).__name__, field=name))
            elif (type(form).__name__, name) in BY_NUMBER:
                seen.add(key)
                model_label, attr = BY_NUMBER[(type(form).__name__, name)]
                refs.append(Reference(key, model_label, to_field=attr, form=type(form).__name__, field=name))
            elif name in NAME_MODELS and isinstance(fld, forms.IntegerField):
                seen.add(key)
                refs.append(Reference(key, NAME_MODELS[name], code=NAME_MODELS[name] == "areas.Area",
                                      form=type(form).__name__, field=name))
    form_keys = {f.add_prefix(n) for f in bound for n in f.fields}
    for key in sorted(rec.keys - form_keys - seen):
        if key in NON_REFERENCE_POST or key in NON_REFERENCE_QUERY or re.search(r"-clear$|_\d+$", key):
            continue  # a file input's "clear" box, per-row fields of a formset-like page
        name = reference_name(key)
        if name in NAME_MODELS:
            refs.append(Reference(key, NAME_MODELS[name], code=NAME_MODELS[name] == "areas.Area"))
        elif looks_like_reference(key) or key not in body:
            unknown.append(key)
    return refs, True, unknown


def api_references(route: Route) -> tuple[list[Reference], list[str]]:
    refs, unknown = [], []
    for key, schema in api_body_properties(route).items():
        if key in NON_REFERENCE_API or not looks_like_reference(key):
            continue
        if key in BY_NUMBER:
            model_label, attr = BY_NUMBER[key]
            refs.append(Reference(key, model_label, to_field=attr))
            continue
        name = reference_name(key)
        if name not in NAME_MODELS:
            unknown.append(key)
            continue
        many = key.endswith(("_ids", "_codes")) or schema.get("type") == "array"
        refs.append(Reference(key, NAME_MODELS[name], many=many, code=key.endswith(("_code", "_codes"))))
    return refs, unknown


def run_write_case(case: Case, user) -> Result:
    route, login = case.route, case.login
    result = Result()
    target = route.target(Place(login, OWN)) if route.target else None
    body = route.body(target) if route.body else {}
    client = _client(route, user)
    if route.is_api:
        refs, unknown = api_references(route)
        posted = True
    else:
        refs, posted, unknown = page_references(route, client, target, body)
    for key in unknown:
        result.uncovered.append(f"{route.name}: POST key {key!r} is not classified (add it to NAME_MODELS or "
                                "NON_REFERENCE_POST in pingan/testing/attacks.py)")
    if not posted:
        return result
    world = World(login, user)
    for ref in refs:
        if _model(ref.model)._meta.label not in GENERIC and not _is_scoped(ref.model):
            continue  # a model without a jurisdiction (categories, …): nothing out of scope to name
        candidates = world.candidates(ref.model, limit=3)
        if f"{route.name} {ref.key}" in TOWNSHIP_POOLS and user.jurisdiction_id:
            parts = [c for c in user.jurisdiction.path.split("/") if c]
            township = "/".join(parts[:4]) + "/"
            candidates = [o for o in candidates if not any(p.startswith(township) for p in area_paths(o))]
        if not candidates:
            result.uncovered.append(f"{route.name}: no out-of-scope {ref.model} could be built for {login} "
                                    f"to attack {ref.key!r} (add a builder)")
            continue
        for obj in candidates:
            result.cells += 1
            _attack(result, route, login, client, target, body, ref, obj)
    return result


def _is_scoped(model_label: str) -> bool:
    from pingan.core.scope import ScopedModel

    return issubclass(_model(model_label), ScopedModel)


def _attack(result: Result, route, login, client, target, body, ref: Reference, obj) -> None:
    value = _value(obj, to_field=ref.to_field, code=ref.code)
    where = f"{route.name} as {login}: {ref.key}={value} ({ref.model} {obj} out of scope)"
    if ref.choices is not None and ref.choices.filter(pk=obj.pk).exists():
        result.fail(f"{where}: offered in the choice list of {ref.form}.{ref.field}")
    if route.is_api:
        current = body.get(ref.key)
        crafted = {**body, ref.key: ([value if ref.code or ref.to_field else obj.pk] if ref.many else
                                     (value if ref.code or ref.to_field or isinstance(current, str) else obj.pk))}
    else:
        crafted = {**body, ref.key: [value] if ref.many else value}
    objs = flatten(target.obj) if target else []
    with rolled_back():
        before = (matrix.fingerprint(route.state(target) if route.state and target else None),
                  [_row(o) for o in objs])
        # A key the view reads outside its forms may come from the query string (?incident=, ?claim=):
        # it is sent both ways.
        query = {ref.key: value} if not route.is_api and not ref.form else None
        with capture() as rec:
            response = _post(client, route, target, crafted, query)
        after = (matrix.fingerprint(route.state(target) if route.state and target else None),
                 [_row(o) for o in objs])
    status = response.status_code
    if status >= 500:
        result.fail(f"{where}: {status}")
        return
    if after != before:
        changed = {k for k in before[0] if before[0][k] != after[0].get(k)}
        result.fail(f"{where}: answered {status} and WROTE ({', '.join(sorted(changed)) or 'the target changed'})")
        return
    if route.is_api:
        if status not in REFUSED_API:
            result.fail(f"{where}: answered {status}, expected a refusal")
        return
    if status not in (*REFUSED_PAGE, 302):
        result.fail(f"{where}: answered {status}, expected a refusal")
        return
    if ref.field and status == 200:
        forms_ = [f for f in rec.forms if type(f).__name__ == ref.form and f.is_bound]
        if forms_ and not any(f.add_prefix(ref.field) == ref.key and ref.field in f.errors for f in forms_):
            result.fail(f"{where}: the form took it without an error on {ref.field}")


def filtersets_reached(persona) -> set[str]:
    """The FilterSet classes the attacked lists build (each list asked once, by its first persona)."""
    reached: set[str] = set()
    done: set[str] = set()
    for case in filter_cases():
        if case.route.name in done:
            continue
        done.add(case.route.name)
        client = _client(case.route, persona(case.login))
        own = _build_with(case.route.target, case.login, OWN) if _url_needs_kwargs(case.route) else None
        with capture() as rec:
            _get(client, case.route, own, {})
        reached |= {f"{type(fs).__module__}.{type(fs).__name__}" for fs in rec.filtersets}
    return reached


# ---------------------------------------------------------------- the figures


def record(record_property, kind: str, result: Result) -> None:
    record_property(STAT, {"kind": kind, "cells": result.cells, "problems": len(result.problems)})


def totals(reports) -> dict[str, int]:
    out = {"filter": 0, "post": 0, "filter_tests": 0, "post_tests": 0, "leaks": 0}
    for report in reports:
        if getattr(report, "when", None) != "call":
            continue
        for name, value in getattr(report, "user_properties", ()):
            if name == STAT:
                out[value["kind"]] += value["cells"]
                out[value["kind"] + "_tests"] += 1
                out["leaks"] += value["problems"]
    return out


def terminal_summary(terminalreporter) -> None:
    reports = [r for rs in terminalreporter.stats.values() for r in rs if hasattr(r, "user_properties")]
    t = totals(reports)
    if t["filter_tests"] or t["post_tests"]:
        terminalreporter.write_sep(
            "-", f"越权攻击 scope attacks: {t['filter']} crafted-filter cells ({t['filter_tests']} list×persona), "
                 f"{t['post']} foreign-id POST cells ({t['post_tests']} write×persona), {t['leaks']} leaks")
