from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pingan.core.permissions import page
from pingan.procuratorate import selectors, services
from pingan.procuratorate.filters import FraudFilter, PublicityFilter
from pingan.procuratorate.forms import FraudForm, PublicityForm, StageForm, VictimForm
from pingan.procuratorate.tables import FraudTable, PublicityTable
from pingan.procuratorate.views.common import READERS, WRITERS, footer, form_page, list_page, posted, run


@page(READERS)
def fraud_list(request):
    return list_page(request, queryset=selectors.fraud_list(request.user), filterset_class=FraudFilter,
                     table_class=FraudTable, title="提前介入（电信诈骗）", object_type="procuratorate.FraudIntervention",
                     new_url=reverse("procuratorate:fraud_create") if request.user.role in WRITERS else "")


@page(WRITERS)
def fraud_create(request):
    form = FraudForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        record = run(request, services.fraud_intervention_register, success="已记录提前介入", **form.cleaned_data)
        if record:
            return redirect("procuratorate:fraud_detail", pk=record.pk)
    return form_page(request, form, title="提前介入电信诈骗案件", cancel_url=reverse("procuratorate:fraud_list"))


@page(READERS)
def fraud_detail(request, pk: int):
    record = selectors.fraud_get(request.user, pk)
    victims = selectors.fraud_victims(request.user, record)
    return render(request, "procuratorate/fraud_detail.html", {
        "f": record, "victims": victims, **footer(request, record),
        "loss_total": sum(v.loss for v in victims), "recovered_total": sum(v.recovered for v in victims),
        "victim_form": VictimForm(), "stage_form": StageForm(),
    })


@require_POST
@page(WRITERS)
def victim_add(request, pk: int):
    record = selectors.fraud_get(request.user, pk)
    if form := posted(request, VictimForm):
        data = form.cleaned_data
        run(request, services.fraud_victim_add, success="已记录被害人及挽损", intervention=record, name=data["name"],
            loss=data["loss"], recovered=data["recovered"] or 0, recovered_on=data["recovered_on"])
    return redirect("procuratorate:fraud_detail", pk=pk)


@require_POST
@page(WRITERS)
def fraud_stage(request, pk: int):
    record = selectors.fraud_get(request.user, pk)
    if form := posted(request, StageForm):
        run(request, services.fraud_stage_set, success="阶段已更新", intervention=record, **form.cleaned_data)
    return redirect("procuratorate:fraud_detail", pk=pk)


@page(READERS)
def publicity_list(request):
    return list_page(request, queryset=selectors.publicity_list(request.user), filterset_class=PublicityFilter,
                     table_class=PublicityTable, title="防范非法集资宣传", object_type="procuratorate.PublicityEvent",
                     new_url=reverse("procuratorate:publicity_create") if request.user.role in WRITERS else "")


@page(WRITERS)
def publicity_create(request):
    form = PublicityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["forms"] = data.pop("forms_")
        if run(request, services.publicity_event_record, success="宣传活动已记录", **data):
            return redirect("procuratorate:publicity_list")
    return form_page(request, form, title="记录防范非法集资宣传活动", cancel_url=reverse("procuratorate:publicity_list"))
