"""The home page's "what needs doing" items. Each app registers a provider; the home page asks
each for the items the user should act on (every item is computed within the user's scope)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    title: str
    count: int
    url: str
    level: str = "info"  # info | warning | danger
    hint: str = ""


_providers: list[Callable] = []


def home_provider(fn: Callable) -> Callable:
    _providers.append(fn)
    return fn


def todo_items(user) -> list[TodoItem]:
    items: list[TodoItem] = []
    for provider in _providers:
        items.extend(provider(user))
    return items
