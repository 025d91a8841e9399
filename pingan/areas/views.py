from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pingan.accounts.roles import Role
from pingan.areas import selectors, services
from pingan.areas.forms import GridForm, PopulationForm
from pingan.areas.models import Level
from pingan.core.permissions import page

# Who browses the tree: every role with jurisdiction data (not the security and audit administrators).
AREA_READERS = frozenset(set(Role.values) - {Role.SECADMIN, Role.AUDITOR})
# Who maintains the tree below the banner: grids and population figures.
TREE_EDITORS = frozenset({Role.SYSADMIN, Role.POLICE_LEADER, Role.STATION_CHIEF})


@page(AREA_READERS)
def browse_root(request):
    root = selectors.area_root_for(request.user)
    if root is None:
        raise Http404("没有可查看的辖区")
    return redirect("areas:detail", code=root.code)


@page(AREA_READERS)
def area_detail(request, code: str):
    area = selectors.area_get(request.user, code)
    can_edit = request.user.role in TREE_EDITORS
    return render(request, "areas/detail.html", {
        "area": area,
        "breadcrumb": selectors.area_breadcrumb(request.user, area),
        "children": selectors.area_children(request.user, area),
        "can_edit": can_edit,
        "can_add_grid": can_edit and area.level == Level.VILLAGE,
        "grid_form": GridForm(),
        "population_form": PopulationForm(initial={"population": area.population, "households": area.households}),
    })


@require_POST
@page(TREE_EDITORS)
def grid_create(request, code: str):
    parent = selectors.area_get(request.user, code)
    form = GridForm(request.POST)
    if form.is_valid():
        try:
            grid = services.grid_create(actor=request.user, parent=parent, name=form.cleaned_data["name"],
                                        population=form.cleaned_data["population"])
            messages.success(request, f"已新增网格“{grid.short_name}”")
        except services.AreaError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "网格信息填写有误：" + "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("areas:detail", code=parent.code)


@require_POST
@page(TREE_EDITORS)
def population_update(request, code: str):
    area = selectors.area_get(request.user, code)
    form = PopulationForm(request.POST)
    if form.is_valid():
        services.area_update_population(actor=request.user, area=area, population=form.cleaned_data["population"],
                                        households=form.cleaned_data["households"])
        messages.success(request, "人口和户数已保存")
    else:
        messages.error(request, "人口、户数须为不小于0的整数")
    return redirect("areas:detail", code=area.code)
