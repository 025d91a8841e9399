"""Who may do what in the incidents app (pages and API share these sets)."""

from pingan.accounts.roles import Role

READERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
WRITERS = READERS  # register, move along the trail
IMPORTERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})
DECIDERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})  # confirm/split groups, place incidents
TASK_ISSUERS = frozenset({Role.POLICE_LEADER})
TASK_ANSWERERS = frozenset({Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
