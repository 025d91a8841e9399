"""Quotas (set by the bureau), coverage against them, and 1名法律顾问 + N名法律明白人 pairs."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from pingan.areas.models import AreaKind, Level
from pingan.core.exports import export_rows
from pingan.core.permissions import deny, page
from pingan.legal import selectors, services
from pingan.legal.forms import PairingForm, QuotaForm
from pingan.legal.models import QUOTA_UNIT_KINDS
from pingan.legal.views.common import BUREAU, MANAGERS, as_of, root_area, run, village_area, year_of


@page(MANAGERS)
def quotas(request):
    """The banner's quotas per unit kind; the bureau sets them (POST), the offices read them."""
    root = root_area(request.user, None)
    banner = selectors.banner_of(root)
    if banner is None:
        raise Http404("没有可设定额的旗县")
    form = QuotaForm(request.POST or None)
    if request.method == "POST":
        if request.user.role not in BUREAU:
            raise deny(request.user, request.path)
        if run(request, form, lambda d: services.quota_set(actor=request.user, banner=banner, unit_kind=d["unit_kind"],
                                                          quota=d["quota"])) is not None:
            messages.success(request, "定额已保存")
        return redirect("legal:quotas")
    current = selectors.quotas_for(request.user, banner)
    rows = [(AreaKind(k).label, current.get(k)) for k in QUOTA_UNIT_KINDS]
    return render(request, "legal/quotas.html", {"banner": banner, "rows": rows, "form": form,
                                                 "can_set": request.user.role in BUREAU})


@page(MANAGERS)
def coverage(request, code: str | None = None):
    root = root_area(request.user, code)
    cov = selectors.coverage(request.user, root, as_of(request))
    if request.GET.get("export") == "xlsx":
        headers = ["乡镇(苏木)", "嘎查(社区)", "类型", "区划代码", "定额(名)", "法律明白人(名)", "是否达到定额", "缺额(名)", "法律明白人"]
        rows = [[r.township.short_name, r.village.short_name, r.village.get_kind_display(), r.village.code,
                 r.quota if r.quota is not None else "未设定", r.count, "是" if r.meets else "否", r.shortfall,
                 "、".join(p.staff.name for p in r.persons)] for r in cov.rows]
        return export_rows(request, title=f"法律明白人覆盖-{root.short_name}", headers=headers, rows=rows,
                           object_type="legal.LegalPerson", subtitle=f"{root.full_name} 截至{cov.as_of}")
    return render(request, "legal/coverage.html", {
        "root": root, "cov": cov, "townships": cov.by_township() if root.level < Level.TOWNSHIP else []})


@page(MANAGERS)
def pairs(request, code: str | None = None):
    root = root_area(request.user, code)
    year = year_of(request)
    rows = selectors.pairs(request.user, root, year, as_of(request))
    return render(request, "legal/pairs.html", {
        "root": root, "year": year, "rows": rows, "gaps": [r for r in rows if r.gaps],
        "paired": sum(1 for r in rows if r.pairing), "joint": sum(r.joint for r in rows)})


@page(MANAGERS)
def pair_set(request, code: str):
    village = village_area(request.user, code)
    form = PairingForm(request.POST or None, advisers=selectors.advisers_for(request.user, village))
    if request.method == "POST" and form.is_valid():
        if form.apply(lambda d: services.pairing_set(actor=request.user, village=village, adviser=d["adviser"],
                                                     start=d["start"], note=d["note"])) is not None:
            messages.success(request, f"已为{village}结对法律顾问")
            return redirect("legal:pairs")
    return render(request, "legal/pair_set.html", {"village": village, "form": form})
