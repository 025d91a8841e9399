"""The jurisdiction tree in the JSON API: reads cut by the caller's scope, and the two writes the
tree has (grids, population figures), each through its service."""

from django.db.models import Q
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from pingan.accounts.roles import Role
from pingan.areas import selectors, services
from pingan.areas.models import Area, AreaKind
from pingan.areas.views import TREE_EDITORS
from pingan.core.pagination import Pages
from pingan.core.permissions import allow

# More than any unit's head count, and within a database integer column on every backend.
MAX_COUNT = 100_000_000

router = Router(tags=["辖区"])

# Who reads the tree: every role whose work hangs on it (not the security and audit administrators).
AREA_READERS = frozenset(set(Role.values) - {Role.SECADMIN, Role.AUDITOR})


class AreaOut(Schema):
    code: str = Field(..., description="12位统计用区划代码（网格15位）")
    name: str
    short_name: str
    kind: str = Field(..., description="单位类型：盟市、旗县、镇、苏木、乡、街道、村、嘎查、社区、其他、网格")
    level: int = Field(..., description="层级：1盟市 2旗县 3乡镇 4村级 5网格")
    parent_code: str | None
    population: int | None
    households: int | None

    @staticmethod
    def resolve_parent_code(obj):
        # From the materialised path, so a list never joins or queries the parent.
        codes = [c for c in obj.path.split("/") if c]
        return codes[-2] if len(codes) > 1 else None


class AreaChildOut(AreaOut):
    children: int = Field(..., description="下级单位数")

    @staticmethod
    def resolve_children(obj):
        return obj.n_children


class AreaSearch(Schema):
    q: str = Field(..., min_length=1, max_length=60, description="名称中的字（全称或简称）")
    kind: AreaKind | None = Field(None, description="只查这一类单位")


class GridIn(Schema):
    name: str = Field(..., min_length=1, max_length=60, description="网格名称")
    population: int | None = Field(None, ge=0, le=MAX_COUNT)


class PopulationIn(Schema):
    population: int | None = Field(..., ge=0, le=MAX_COUNT, description="人口；null为未知")
    households: int | None = Field(..., ge=0, le=MAX_COUNT, description="户数；null为未知")


@router.get("/{code}", response=AreaOut, summary="一个辖区单位")
@allow(AREA_READERS)
def area_detail(request, code: str):
    return selectors.area_get(request.auth, code)


@router.get("/{code}/children", response=list[AreaChildOut], summary="下级单位")
@allow(AREA_READERS)
def area_children(request, code: str):
    area = selectors.area_get(request.auth, code)
    return list(selectors.area_children(request.auth, area))


@router.get("/{code}/search", response=list[AreaOut], summary="在下辖范围内按名称查找")
@allow(AREA_READERS)
@paginate(Pages)
def area_search(request, code: str, filters: Query[AreaSearch]):
    """在该单位的整个下辖树中按名称查找（一条SQL，按路径前缀，不逐级遍历）。"""
    root = selectors.area_get(request.auth, code)
    return _search(request.auth, root, filters.q, kind=filters.kind)


def _search(user, root: Area, q: str, kind: str | None = None):
    # A selector in all but location (areas/selectors.py belongs to another change): one query on
    # the path prefix, cut by the caller's scope.
    qs = Area.objects.visible_to(user).filter(path__startswith=root.path).exclude(pk=root.pk)
    qs = qs.filter(Q(name__contains=q.strip()) | Q(short_name__contains=q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("level", "code")


@router.post("/{code}/grids", response={201: AreaOut}, summary="在村(嘎查、社区)下新增网格")
@allow(TREE_EDITORS)
def grid_create(request, code: str, payload: GridIn):
    parent = selectors.area_get(request.auth, code)
    try:
        grid = services.grid_create(actor=request.auth, parent=parent, name=payload.name,
                                    population=payload.population)
    except services.AreaError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, grid)


@router.put("/{code}/population", response=AreaOut, summary="修改人口和户数")
@allow(TREE_EDITORS)
def population_update(request, code: str, payload: PopulationIn):
    area = selectors.area_get(request.auth, code)
    try:
        return services.area_update_population(actor=request.auth, area=area, population=payload.population,
                                               households=payload.households)
    except services.AreaError as exc:
        raise HttpError(400, str(exc)) from exc
