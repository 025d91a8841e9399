"""Kinds of job: a name, a Chinese label and the function that does the work.

A handler is ``handler(run: Run) -> None``: it reads ``run.job`` (owner, params, input file), reports
progress with ``run.progress(done, total, stage)``, and leaves its result on the run
(``run.save_file``, ``run.counts``, ``run.errors``, ``run.message``). Raising ``JobError`` fails the job
with that (Chinese) message; any other exception fails it with a generic message (the traceback
goes to the worker's log, never to the user). Handlers are thin: they call the apps' services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class JobError(Exception):
    """The job cannot be done; the message (Chinese) is shown to its owner."""


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    handler: Callable


_kinds: dict[str, Kind] = {}


def register(name: str, label: str):
    def decorator(handler):
        _kinds[name] = Kind(name, label, handler)
        return handler

    return decorator


def get(name: str) -> Kind | None:
    _load()
    return _kinds.get(name)


def label_of(name: str) -> str:
    kind = get(name)
    return kind.label if kind else name


def _load() -> None:
    # The project's job kinds live in pingan.jobs.kinds (imported lazily: it imports other apps).
    from pingan.jobs import kinds  # noqa: F401
