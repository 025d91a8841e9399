"""Who may do what in 林草湖警长 (roles); where is computed by the scope (police line only).

Read by the page views, the API, the menus and the permission matrix.
"""

from __future__ import annotations

from pingan.accounts.roles import POLICIES, Role

# The police read the zones of their jurisdiction: the bureau, the stations, the village officers.
READERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
# Zones, their chains, joint-enforcement actions and case links are the bureau's and the stations' work.
MANAGERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})
# Anyone of the police in the zone logs a patrol (the village officer with the rangers).
PATROL_WRITERS = READERS
# Who may see the full phone numbers of the chain (each reveal audited).
PII_READERS = frozenset(r for r in READERS if POLICIES[r].full_personal_data)


def can_reveal(user) -> bool:
    return user.role in PII_READERS
