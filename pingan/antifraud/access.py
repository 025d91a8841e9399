"""Who may do what in the anti-fraud app (roles); where is computed by the scope (police line,
the user's jurisdiction subtree). Read by the pages, the API, the menu, the home page and the
permission matrix (which writes its own copy of these sets, as a statement of policy)."""

from __future__ import annotations

from pingan.accounts.roles import POLICIES, Role

# The police line: the bureau's leaders and command centre, station chiefs, community officers.
READERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
# Publicity events and dissuasions are recorded by whoever did them, village officers included.
WRITERS = READERS
# Warnings arrive from the anti-fraud centre at the command centre and the stations.
WARNING_WRITERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})
# The centre's app-registration statistics are entered or imported by the bureau and the stations.
STATISTICS_WRITERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})
# Full names, ID numbers and phones of warned and dissuaded people (each reveal audited).
PII_READERS = frozenset(r for r in READERS if POLICIES[r].full_personal_data)


def can_reveal(user) -> bool:
    return user.role in PII_READERS
