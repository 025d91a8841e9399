"""Query-count budgets: a page or API list must cost the same number of queries for N rows as for
3N (no N+1), and stay under a budget. Used by each app's ``tests/test_query_budget.py``::

    def test_incident_list(client, django_assert_max_num_queries):
        assert_constant(client, "/incidents/", grow=make_incidents, budget=12,
                        assert_max=django_assert_max_num_queries)
"""

from __future__ import annotations

from collections.abc import Callable


def queries_for(client, url: str, assert_max, budget: int) -> tuple[int, list[str]]:
    with assert_max(budget) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_constant(client, url: str | Callable[[], str], *, grow: Callable[[int], object], budget: int,
                    assert_max, n: int = 3) -> int:
    """Make ``n`` rows, read the page (once to warm up, once counted), make 2n more, count again:
    the counts must be equal and within ``budget``. Returns the count."""
    grow(n)
    target = url if isinstance(url, str) else url()
    client.get(target)  # warm-up: session, content types, per-process caches
    first, _ = queries_for(client, target, assert_max, budget)
    grow(2 * n)
    target = url if isinstance(url, str) else url()
    second, sql = queries_for(client, target, assert_max, budget)
    assert second == first, f"{target}: {first} queries for {n} rows, {second} for {3 * n}:\n" + "\n".join(sql)
    return first
