"""Menu entries; each app registers its own with the roles that may open it.

Entries that name a ``group`` are shown together under that heading as one drop-down (the order
of a group is that of its first entry); a group with a single entry a role may open is shown as
that entry alone. Nineteen links do not fit in one bar at 1280 px, eight do."""

from __future__ import annotations

from dataclasses import dataclass

# The menu's headings (the apps register under these names).
ORGANISATION = "组织与警力"
POLICING = "警情案件"
GRASSROOTS = "基层治理"
PROGRAMMES = "专项工作"


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: every signed-in role
    order: int = 100
    group: str = ""


_entries: list[MenuEntry] = []


def register_menu(label: str, url_name: str, roles=None, order: int = 100, group: str = "") -> None:
    _entries.append(MenuEntry(label, url_name, frozenset(roles) if roles is not None else None, order, group))


def menu_for(role: str) -> list[MenuEntry]:
    return sorted((e for e in _entries if e.roles is None or role in e.roles), key=lambda e: e.order)


def grouped(items: list[dict]) -> list[dict]:
    """Menu items (dicts with label, url, active, group) in order, the grouped ones gathered under
    their heading: ``{"label": heading, "children": [...], "active": any child active}``."""
    out: list[dict] = []
    heads: dict[str, dict] = {}
    for item in items:
        group = item.get("group")
        if not group:
            out.append(item)
        elif group in heads:
            heads[group]["children"].append(item)
        else:
            heads[group] = {"label": group, "children": [item], "active": False}
            out.append(heads[group])
    for i, item in enumerate(out):
        if "children" in item:
            if len(item["children"]) == 1:
                out[i] = item["children"][0]
            else:
                item["active"] = any(child["active"] for child in item["children"])
    return out
