"""Menu entries; each app registers its own with the roles that may open it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: every signed-in role
    order: int = 100


_entries: list[MenuEntry] = []


def register_menu(label: str, url_name: str, roles=None, order: int = 100) -> None:
    _entries.append(MenuEntry(label, url_name, frozenset(roles) if roles is not None else None, order))


def menu_for(role: str) -> list[MenuEntry]:
    return sorted((e for e in _entries if e.roles is None or role in e.roles), key=lambda e: e.order)
