"""The jurisdiction tree's routes in the permission matrix (see pingan/testing/matrix.py)."""

from pingan.accounts.roles import Role
from pingan.testing.matrix import EVERY_ROLE, Route, node_target, village_target

# Every role whose work hangs on the tree reads it; the security and audit administrators do not.
AREA_READERS = EVERY_ROLE - {Role.SECADMIN, Role.AUDITOR}
# Grids and population figures are kept by the system administrator and the police command.
TREE_EDITORS = frozenset({Role.SYSADMIN, Role.POLICE_LEADER, Role.STATION_CHIEF})

def _population(target):
    from pingan.areas.models import Area

    return list(Area.objects.filter(pk=target.obj.pk).values_list("population", "households"))

def _grid(target):
    return {"name": "矩阵网格", "population": 120}

def _figures(target):
    return {"population": 4321, "households": 1234}

ROUTES = [
    Route("areas:browse", roles=AREA_READERS, ok=302),
    Route("areas:detail", roles=AREA_READERS, target=node_target()),
    Route("areas:grid_create", roles=TREE_EDITORS, method="POST", target=village_target(), ok=302,
          body=_grid, writes=True),
    Route("areas:population_update", roles=TREE_EDITORS, method="POST", target=node_target(), ok=302,
          body=_figures, state=_population, writes=True),
    Route("GET /api/areas/{code}", roles=AREA_READERS, target=node_target()),
    Route("GET /api/areas/{code}/children", roles=AREA_READERS, target=node_target()),
    Route("GET /api/areas/{code}/search", roles=AREA_READERS, target=node_target(), query=lambda t: {"q": "村"}),
    Route("POST /api/areas/{code}/grids", roles=TREE_EDITORS, target=village_target(), ok=201, body=_grid,
          writes=True),
    Route("PUT /api/areas/{code}/population", roles=TREE_EDITORS, target=node_target(), body=_figures,
          state=_population, writes=True),
]
