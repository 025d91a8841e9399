"""Who may do what in the cases app (pages, API, menus, home page and the permission matrix's
statement of policy read the same sets); where is the scope's business."""

from pingan.accounts.roles import Role

# Cases are police records: the bureau's leaders and command centre, the stations, the community
# officers (who read their villages' cases).
READERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
# 受案, the steps of the trail, persons, dispositions, losses and recoveries: the stations and the bureau.
WRITERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})
# Full ID numbers and phones of the persons in a case, on request (each reveal audited).
REVEALERS = WRITERS
# Campaigns: the bureau organises banner-wide ones, a station its township's.
CAMPAIGN_MANAGERS = WRITERS
# Inspections (清查) and seizures are logged by whoever does them, community officers included.
FIELD_WRITERS = READERS
# Synthetic operations across stations: the command centre (局领导/指挥中心).
OPERATION_MANAGERS = frozenset({Role.POLICE_LEADER})
