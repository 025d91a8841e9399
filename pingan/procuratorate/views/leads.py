from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pingan.core.forms import errors_text
from pingan.core.permissions import page
from pingan.procuratorate import selectors, services
from pingan.procuratorate.filters import LeadFilter
from pingan.procuratorate.forms import LeadAssessForm, LeadForm
from pingan.procuratorate.tables import LeadTable
from pingan.procuratorate.views.common import READERS, WRITERS, footer, form_page, list_page, run


@page(READERS)
def lead_list(request):
    return list_page(request, queryset=selectors.lead_list(request.user), filterset_class=LeadFilter,
                     table_class=LeadTable, title="检察线索", object_type="procuratorate.Lead",
                     new_url=reverse("procuratorate:lead_create") if request.user.role in WRITERS else "")


@page(WRITERS)
def lead_create(request):
    form = LeadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        lead = run(request, services.lead_register, success="线索已受理", **form.cleaned_data)
        if lead:
            return redirect("procuratorate:lead_detail", pk=lead.pk)
    return form_page(request, form, title="受理线索", cancel_url=reverse("procuratorate:lead_list"))


@page(READERS)
def lead_detail(request, pk: int):
    lead = selectors.lead_get(request.user, pk)
    return render(request, "procuratorate/lead_detail.html", {
        "lead": lead, **selectors.lead_outcomes(request.user, lead), **footer(request, lead),
        "assess_form": LeadAssessForm(agencies=selectors.admin_agencies(request.user)),
    })


@require_POST
@page(WRITERS)
def lead_assess(request, pk: int):
    lead = selectors.lead_get(request.user, pk)
    form = LeadAssessForm(request.POST, agencies=selectors.admin_agencies(request.user))
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("procuratorate:lead_detail", pk=pk)
    data = form.cleaned_data
    suggestion = {"addressed_agency": data["addressed_agency"]} if data["outcome"] == "suggestion" else None
    run(request, services.lead_assess, success="评估结论已记录", lead=lead, outcome=data["outcome"], on=data["on"],
        assessment=data["assessment"], reason=data["reason"], case_ref=data["case_ref"], suggestion=suggestion)
    return redirect("procuratorate:lead_detail", pk=pk)
