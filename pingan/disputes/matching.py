"""Which open disputes an incident concerns (the early-warning match), read from one in-memory index
of the banner's open disputes' parties.

The index is loaded once — per incident registered by form or API, and once per 110 import for the
whole file — so an import of 100,000 incidents costs one query for the parties plus one for the
links, not a query per incident. Party names are found in the text by one compiled regular
expression (Chinese has no word boundaries, so it is a substring match, overlaps included).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pingan.disputes.models import OPEN_STATUSES, Dispute, DisputeIncident, DisputeParty
from pingan.incidents.repeats.normalise import normalise_phone


def township_path(area) -> str:
    """The path of the township a village-level area (an Area or its path) belongs to."""
    path = getattr(area, "path", area)
    return path.rstrip("/").rsplit("/", 1)[0] + "/"


@dataclass(frozen=True)
class OpenParty:
    dispute_id: int
    name: str
    phone: str  # keyed hash of the phone ("" when under 7 digits)
    registered_at: dt.datetime
    township_path: str


class OpenDisputes:
    """The open disputes of one banner, as the early warning needs them."""

    def __init__(self, banner_path: str):
        rows = (DisputeParty.objects.filter(dispute__status__in=OPEN_STATUSES,
                                            dispute__area__path__startswith=banner_path)
                .values_list("dispute_id", "name", "phone", "phone_hash", "dispute__registered_at",
                             "dispute__area__path"))
        # Phones are compared by their keyed hash (the incident's phone_key), never in the clear.
        self.parties = [OpenParty(d, (name or "").strip(), digest if len(phone or "") >= 7 else "", at,
                                  township_path(path))
                        for d, name, phone, digest, at, path in rows]
        self.by_phone: dict[str, list[OpenParty]] = {}
        self.by_name: dict[str, list[OpenParty]] = {}
        for party in self.parties:
            if party.phone:
                self.by_phone.setdefault(party.phone, []).append(party)
            if party.name:
                self.by_name.setdefault(party.name, []).append(party)
        names = sorted(self.by_name, key=len, reverse=True)
        # A lookahead finds a name at every position (overlaps too); at one position the longest name
        # wins, so the shorter names it starts with are added from ``prefixes``.
        self._names = re.compile("(?=(" + "|".join(map(re.escape, names)) + "))") if names else None
        self._prefixes = {n: [m for m in names if m != n and n.startswith(m)] for n in names}
        self.linked: dict[int, set[int]] = {}  # incident id → open disputes it is linked to
        self.sourced: dict[int, list[tuple[int, dt.datetime]]] = {}  # incident id → disputes it started
        self._links_loaded: set[int] = set()

    def names_in(self, text: str) -> set[str]:
        if self._names is None or not text:
            return set()
        found: set[str] = set()
        for match in self._names.finditer(text):
            name = match.group(1)
            found.add(name)
            found.update(self._prefixes[name])
        return found

    def load_links(self, incident_ids: Iterable[int]) -> None:
        """The open disputes already linked to (or started from) these incidents, in two queries."""
        ids = [i for i in set(incident_ids) if i not in self._links_loaded]
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            for incident_id, dispute_id in DisputeIncident.objects.filter(
                    incident_id__in=chunk, dispute__status__in=OPEN_STATUSES).values_list("incident_id", "dispute_id"):
                self.linked.setdefault(incident_id, set()).add(dispute_id)
            for pk, incident_id, at in Dispute.objects.filter(
                    source_incident_id__in=chunk, status__in=OPEN_STATUSES).values_list(
                    "pk", "source_incident_id", "registered_at"):
                self.sourced.setdefault(incident_id, []).append((pk, at))
        self._links_loaded.update(ids)

    def note_link(self, incident_id: int, dispute_id: int) -> None:
        """A link made during this run counts for the incidents that repeat it later in the same file."""
        self.linked.setdefault(incident_id, set()).add(dispute_id)

    def matches(self, incident, repeats: Sequence = ()) -> dict[int, list[str]]:
        """Open disputes (registered before the call) that the incident concerns, with the reasons:
        the caller's phone is a party's; a party is named (within the dispute's township, or the
        incident is not yet placed); it repeats an incident linked to, or the source of, the dispute."""
        found: dict[int, list[str]] = {}
        received = incident.received_at
        phone = incident.phone_key if len(normalise_phone(incident.caller_phone)) >= 7 else ""
        phone_hits: set[int] = set()
        for party in self.by_phone.get(phone, ()) if phone else ():
            if party.registered_at <= received:
                found.setdefault(party.dispute_id, []).append(f"报警电话与当事人{party.name}一致")
                phone_hits.add(id(party))
        caller = (incident.caller_name or "").strip()
        incident_path = incident.area.path
        for name in self.names_in(f"{incident.caller_name or ''}\n{incident.content or ''}"):
            for party in self.by_name[name]:
                if id(party) in phone_hits or party.registered_at > received:
                    continue
                if not (incident_path.startswith(party.township_path) or incident.needs_placement):
                    continue
                reason = f"报警人即当事人{name}" if name == caller else f"警情内容点名当事人{name}"
                found.setdefault(party.dispute_id, []).append(reason)
        if repeats:
            self.load_links(r.pk for r in repeats)
            for earlier in repeats:
                for dispute_id in sorted(self.linked.get(earlier.pk, ())):
                    found.setdefault(dispute_id, []).append(f"与已关联本纠纷的警情{earlier.number}重复")
                for dispute_id, registered_at in self.sourced.get(earlier.pk, ()):
                    if registered_at <= received:
                        found.setdefault(dispute_id, []).append(f"与本纠纷的来源警情{earlier.number}重复")
        return found
