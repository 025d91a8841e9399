"""Runs the demo steps in order.

First the foundation steps of this app (``FOUNDATION_MODULES``: the tree, the organisation of the
three banners, the logins), then the demo of every programme app: any installed app with a
``demo`` module joins by exposing either ``STEP``/``STEPS`` (``pingan.demo.base.DemoStep``) or a
``build(stdout=None)`` function that is itself idempotent (``pingan.legal.demo``,
``pingan.procuratorate.demo`` …). Programme demos run after the logins so they can link them.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

from pingan.demo.base import DemoContext, DemoStep

FOUNDATION_MODULES = (
    "pingan.demo.build_areas",
    "pingan.demo.build_police",
    "pingan.demo.build_grid",
    "pingan.demo.build_justice",
    "pingan.demo.build_procuratorate",
    "pingan.demo.accounts",  # last: logins are tied to agencies and people made above
)


@dataclass
class StepResult:
    step: DemoStep
    skipped: bool
    counts: dict[str, int]
    seconds: float
    notes: list[str] = field(default_factory=list)  # what a programme's own build() printed


def _wrap(app_config, module) -> DemoStep:
    """A programme's ``build(stdout=None)`` as a step; it decides itself what is already there."""

    def build(ctx: DemoContext) -> dict[str, int]:
        buffer = io.StringIO()
        module.build(stdout=buffer)
        ctx.notes[app_config.label] = [line for line in buffer.getvalue().splitlines() if line.strip()]
        return {}

    return DemoStep(app_config.label, f"{app_config.verbose_name}（{module.__name__}）", lambda: False, build,
                    external=True)


def programme_steps() -> list[DemoStep]:
    found: list[DemoStep] = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if app_config.name == "pingan.demo" or not app_config.name.startswith("pingan.") or find_spec(name) is None:
            continue
        module = import_module(name)
        if hasattr(module, "STEPS"):
            found.extend(module.STEPS)
        elif hasattr(module, "STEP"):
            found.append(module.STEP)
        elif callable(getattr(module, "build", None)):
            found.append(_wrap(app_config, module))
    return found


def steps(*, programmes: bool = True) -> list[DemoStep]:
    foundation = [import_module(name).STEP for name in FOUNDATION_MODULES]
    return foundation + (programme_steps() if programmes else [])


def run_demo(on_step=None, *, programmes: bool = True) -> list[StepResult]:
    """Build every step whose data is not there yet, each in its own transaction."""
    ctx = DemoContext()
    results = []
    for step in steps(programmes=programmes):
        started = time.perf_counter()
        if step.is_present():
            result = StepResult(step, True, {}, time.perf_counter() - started)
        else:
            with transaction.atomic():
                counts = step.build(ctx)
            result = StepResult(step, False, counts, time.perf_counter() - started, ctx.notes.pop(step.key, []))
        results.append(result)
        if on_step is not None:
            on_step(result)
    return results
