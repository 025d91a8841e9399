"""Who may do what in 放管服一站式 (roles); where is computed by the scope (police line only).

Read by the page views, the API, the menus and the permission matrix.
"""

from __future__ import annotations

from pingan.accounts.roles import POLICIES, Role

# The police read the windows of the stations in their jurisdiction.
READERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
# Whoever sits at the window (community police and auxiliaries too) registers and completes requests.
CLERKS = READERS
# Making a station a one-stop station is the bureau's decision.
DESIGNATORS = frozenset({Role.POLICE_LEADER})
# Who may see applicants' full ID numbers and phones (each reveal audited).
PII_READERS = frozenset(r for r in READERS if POLICIES[r].full_personal_data)


def can_reveal(user) -> bool:
    return user.role in PII_READERS
