"""Scope attacks (issue #8, 6a): crafted filter parameters on every list, export and API list, and
ids pointing outside the persona's scope in the bodies of every write — see pingan/testing/attacks.py.

One test per (route, persona); its cells are the (parameter, crafted value[, xlsx]) requests or the
(foreign key, out-of-scope object) posts. The run ends with a line giving the totals
("越权攻击 scope attacks: N crafted-filter cells …, M foreign-id POST cells …, 0 leaks").
Run one app with ``-k disputes``, one persona with ``-k station_chief``.
"""

from __future__ import annotations

import pytest

from pingan.testing import attacks

pytestmark = pytest.mark.django_db

FILTER_CASES = attacks.filter_cases()
WRITE_CASES = attacks.write_cases()


def _report(result: attacks.Result, what: str) -> None:
    problems = result.problems + result.uncovered
    assert not problems, f"{len(problems)} {what} problem(s):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("case", FILTER_CASES, ids=lambda c: c.id)
def test_crafted_filters_show_nothing_out_of_scope(case: attacks.Case, persona, record_property):
    result = attacks.run_filter_case(case, persona(case.login))
    attacks.record(record_property, "filter", result)
    _report(result, "crafted-filter")


@pytest.mark.parametrize("case", WRITE_CASES, ids=lambda c: c.id)
def test_foreign_ids_in_post_bodies_are_refused_and_write_nothing(case: attacks.Case, persona, record_property):
    result = attacks.run_write_case(case, persona(case.login))
    attacks.record(record_property, "post", result)
    _report(result, "foreign-id")


def test_every_filterset_is_reached_by_a_list_in_the_attacks(persona):
    """A FilterSet that no attacked list builds would be a list whose filters nobody crafted."""
    import django_filters
    from django.apps import apps

    defined = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("pingan."):
            continue
        try:
            module = __import__(f"{config.name}.filters", fromlist=["*"])
        except ModuleNotFoundError:
            continue
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, django_filters.FilterSet)
                    and obj.__module__ == module.__name__ and getattr(obj._meta, "model", None) is not None):
                defined.add(f"{obj.__module__}.{obj.__name__}")
    reached = attacks.filtersets_reached(persona)
    assert defined - reached == set(), "FilterSets no attacked list uses (declare the list in the matrix)"


def test_the_counts_are_reported(capsys):
    with capsys.disabled():
        print(f"\n越权攻击 scope attacks: {len(FILTER_CASES)} list×persona filter tests, "
              f"{len(WRITE_CASES)} write×persona foreign-id tests")
    assert len(FILTER_CASES) > 100 and len(WRITE_CASES) > 200


def _case(kind: str, name: str, login: str) -> attacks.Case:
    cases = attacks.filter_cases() if kind == "filter" else attacks.write_cases()
    return next(c for c in cases if c.route.name == name and c.login == login)


def test_a_filter_that_widens_the_scope_is_caught(persona, monkeypatch):
    from pingan.incidents.filters import IncidentFilter
    from pingan.incidents.models import Incident

    monkeypatch.setattr(IncidentFilter, "in_area", lambda self, qs, name, value: Incident.objects.filter(
        area__path__contains=f"{value}/"))
    result = attacks.run_filter_case(_case("filter", "incidents:list", "village_officer"), persona("village_officer"))
    assert any("out-of-scope record shown" in p for p in result.problems)


def test_a_choice_list_that_offers_another_village_is_caught(persona, monkeypatch):
    from pingan.areas.models import Area, Level
    from pingan.disputes import selectors

    monkeypatch.setattr(selectors, "villages_for", lambda user: Area.objects.filter(level=Level.VILLAGE))
    result = attacks.run_write_case(_case("post", "disputes:new", "village_officer"), persona("village_officer"))
    assert any("offered in the choice list" in p for p in result.problems)
