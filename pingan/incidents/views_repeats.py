"""Repeat groups (重复警情研判): the list, one group with its reasons, confirm and split."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pingan.core.permissions import page
from pingan.incidents import selectors, services
from pingan.incidents.models import ClusterStatus, RepeatKind
from pingan.incidents.roles import DECIDERS, READERS, TASK_ISSUERS


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@page(READERS)
def cluster_list(request):
    g = request.GET
    clusters = selectors.cluster_list(request.user, kind=g.get("kind", ""), start=_date(g.get("date_from", "")),
                                      end=_date(g.get("date_to", "")), status=g.get("status", ""))
    return render(request, "incidents/clusters.html", {"clusters": clusters, "kinds": RepeatKind.choices,
                                                       "statuses": ClusterStatus.choices})


@page(READERS)
def cluster_detail(request, pk: int):
    view = selectors.cluster_get(request.user, pk)
    return render(request, "incidents/cluster.html", {"view": view, "can_decide": request.user.role in DECIDERS,
                                                      "can_task": request.user.role in TASK_ISSUERS})


@require_POST
@page(DECIDERS)
def cluster_confirm(request, pk: int):
    view = selectors.cluster_get(request.user, pk)
    services.cluster_confirm(actor=request.user, cluster=view.cluster, note=request.POST.get("note", ""))
    messages.success(request, "已确认为同一事项，重新研判时保持不变")
    return redirect("incidents:cluster", pk=pk)


@require_POST
@page(DECIDERS)
def cluster_split(request, pk: int):
    view = selectors.cluster_get(request.user, pk)
    ids = [int(x) for x in request.POST.getlist("incident") if x.isdigit()]
    try:
        new = services.cluster_split(actor=request.user, cluster=view.cluster, incident_ids=ids,
                                     note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("incidents:cluster", pk=pk)
    messages.success(request, "已拆分；拆出的警情不会再被归入原组")
    if new is not None:
        return redirect("incidents:cluster", pk=new.pk)
    if selectors.cluster_has_visible_members(request.user, pk):
        return redirect("incidents:cluster", pk=pk)
    return redirect("incidents:clusters")
