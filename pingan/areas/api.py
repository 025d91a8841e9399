from ninja import Router, Schema

from pingan.areas import selectors

router = Router(tags=["辖区"])


class AreaOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    level: int
    parent_code: str | None
    population: int | None
    households: int | None

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code if obj.parent_id else None


@router.get("/{code}", response=AreaOut, summary="一个辖区单位")
def area_detail(request, code: str):
    return selectors.area_get(request.auth, code)


@router.get("/{code}/children", response=list[AreaOut], summary="下级单位")
def area_children(request, code: str):
    area = selectors.area_get(request.auth, code)
    return list(selectors.area_children(request.auth, area).select_related("parent"))
