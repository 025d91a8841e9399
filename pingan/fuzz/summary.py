"""The fuzzing figures at the end of a pytest run (called from pingan/conftest.py).

Tests leave their figures in ``user_properties`` (which pytest-xdist carries from the workers to
the controller): ``apifuzz`` (JSON: one operation's requests, answers by status class, failures)
from pingan/fuzz/test_api_schema.py, and ``hypothesis_examples`` (an int: the examples a property
test ran) from the property tests.
"""

from __future__ import annotations

import json
from collections import Counter


def terminal_summary(terminalreporter) -> None:
    # Properties recorded during the call are on the call and teardown reports; those recorded by a
    # fixture's teardown only on the teardown report. Keep the last seen per test.
    props: dict[str, dict[str, str]] = {}
    outcome: dict[str, str] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            nodeid = getattr(report, "nodeid", None)
            if not nodeid or not hasattr(report, "when"):
                continue
            if report.when == "call":
                outcome[nodeid] = report.outcome
            for name, value in report.user_properties:
                if name in ("apifuzz", "hypothesis_examples"):
                    props.setdefault(nodeid, {})[name] = value
    fuzz = [(outcome.get(n, "failed"), json.loads(p["apifuzz"])) for n, p in props.items() if "apifuzz" in p]
    examples = {n: int(p["hypothesis_examples"]) for n, p in props.items() if "hypothesis_examples" in p}
    if fuzz:
        _print_fuzz(terminalreporter, fuzz)
    if examples:
        terminalreporter.write_line(
            f"Hypothesis 性质测试 property tests: {len(examples)} tests, {sum(examples.values())} examples run "
            f"(profile {_profile()})")


def _profile() -> str:
    from pingan.fuzz.profiles import PROFILE

    return PROFILE


def _print_fuzz(terminalreporter, fuzz: list[tuple[str, dict]]) -> None:
    import schemathesis

    statuses: Counter[str] = Counter()
    for _, f in fuzz:
        statuses.update(f["statuses"])
    requests = sum(f["requests"] for _, f in fuzz)
    failed = [f for outcome, f in fuzz if outcome != "passed" or f["failures"]]
    failures = sum(f["failures"] for f in failed)
    unreached = sorted(f["operation"] for _, f in fuzz if not f["statuses"].get("2xx"))
    terminalreporter.write_line(
        f"Schemathesis {schemathesis.__version__} API fuzz: {len(fuzz)} operations, {requests} requests generated, "
        f"answers {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}; "
        f"{failures} distinct failures in {len(failed)} operations")
    for f in sorted(failed, key=lambda f: f["operation"]):
        terminalreporter.write_line(f"  FAILED {f['operation']} (as {f['persona']}): {f['failures']} distinct failures")
    if unreached:
        terminalreporter.write_line(f"  no 2xx answer in this run: {', '.join(unreached)}")
