"""情指行 tasks: the command centre issues (from a repeat group, a dispute, a hotspot), stations and
officers answer; open, overdue (computed) and answered lists."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pingan.core.permissions import page
from pingan.incidents import selectors, services
from pingan.incidents.forms import AnswerForm, TaskForm
from pingan.incidents.models import TaskSource
from pingan.incidents.roles import READERS, TASK_ANSWERERS, TASK_ISSUERS
from pingan.org.models import Agency, Staff


@page(READERS)
def task_list(request):
    state = request.GET.get("state", "")
    return render(request, "incidents/tasks.html", {
        "tasks": selectors.task_list(request.user, state=state)[:500], "state": state,
        "counts": selectors.task_counts(request.user), "can_issue": request.user.role in TASK_ISSUERS})


@page(READERS)
def task_detail(request, pk: int):
    task = selectors.task_get(request.user, pk)
    return render(request, "incidents/task.html", {
        "task": task, "form": AnswerForm() if request.user.role in TASK_ANSWERERS else None})


@page(TASK_ISSUERS)
def task_create(request):
    initial = {}
    cluster = None
    if request.GET.get("cluster", "").isdigit():
        view = selectors.cluster_get(request.user, int(request.GET["cluster"]))
        cluster = view.cluster
        initial = {"source_type": TaskSource.CLUSTER, "source_id": cluster.pk, "source_label": str(cluster),
                   "title": f"核查{cluster.get_kind_display()}（{cluster.size}起）"}
        if view.members and view.members[0].station_id:
            initial["station"] = str(view.members[0].station_id)
    elif request.GET.get("source_type") in TaskSource.values:
        initial = {k: request.GET.get(k, "") for k in ("source_type", "source_id", "source_label", "title")}
    form = TaskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["source_type"] == TaskSource.CLUSTER and str(data["source_id"]).isdigit():
            cluster = selectors.cluster_get(request.user, int(data["source_id"])).cluster
        try:
            task = services.task_issue(
                actor=request.user, title=data["title"], instruction=data["instruction"], deadline=data["deadline"],
                station=Agency.objects.visible_to(request.user).filter(pk=data["station"]).first() if data["station"] else None,
                officer=Staff.objects.visible_to(request.user).filter(pk=data["officer"]).first() if data["officer"] else None,
                source_type=data["source_type"], source_id=data["source_id"], source_label=data["source_label"],
                cluster=cluster if data["source_type"] == TaskSource.CLUSTER else None)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已下发任务：{task.title}")
            return redirect("incidents:task", pk=task.pk)
    return render(request, "incidents/task_form.html", {"form": form,
                                                        "hotspots": selectors.hotspots(request.user)})


@require_POST
@page(TASK_ANSWERERS)
def task_answer(request, pk: int):
    task = selectors.task_get(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.task_answer(actor=request.user, task=task, feedback=form.cleaned_data["feedback"])
            messages.success(request, "已反馈")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "请填写反馈情况")
    return redirect("incidents:task", pk=pk)


