"""Who may do what with disputes, visits and hazards (roles); where is computed by the scope.

Read by the page views, the API, the menus, the home page and the permission matrix.
"""

from __future__ import annotations

from pingan.accounts.roles import POLICIES, Role

# Everyone whose role works in the police, justice or grid line reads them (the lines a dispute is
# visible to); administrators, prosecutors and agency liaisons do not.
READERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER, Role.GRID_WORKER,
                     Role.JUSTICE_BUREAU, Role.JUDICIAL_OFFICE, Role.LEGAL_LITERATE})
# Any of them registers a dispute or a lead, logs a visit and reports a hazard.
REGISTRARS = READERS
VISIT_WRITERS = READERS
# 研判定级, 分派, 延期, 办结 and 督办 are the stations' and judicial offices' (and the bureaus') work.
MANAGERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.JUSTICE_BUREAU, Role.JUDICIAL_OFFICE})
# Mediation sessions and answers to supervision: the managers and the people disputes are given to.
HANDLERS = MANAGERS | {Role.COMMUNITY_OFFICER, Role.LEGAL_LITERATE}
# 回访 may also be done by the village's grid worker.
FOLLOW_UP_WRITERS = HANDLERS | {Role.GRID_WORKER}
# Who may see the parties' full ID numbers and phones (each reveal audited).
PII_READERS = frozenset(r for r in READERS if POLICIES[r].full_personal_data)


def can_reveal(user) -> bool:
    return user.role in PII_READERS
