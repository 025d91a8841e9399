import datetime as dt
import decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pingan.core.exports import export_table
from pingan.core.permissions import page
from pingan.procuratorate import selectors, services
from pingan.procuratorate.filters import ClaimFilter
from pingan.procuratorate.forms import (
    ClaimForm,
    CloseForm,
    EnforcementForm,
    JudgmentForm,
    ProsecutionForm,
    SupportStepForm,
    WorkerForm,
    WorkersPickForm,
)
from pingan.procuratorate.tables import ClaimTable, WorkerTable
from pingan.procuratorate.views.common import (
    READERS,
    WRITERS,
    footer,
    form_page,
    list_page,
    posted,
    run,
)


@page(READERS)
def claim_list(request):
    return list_page(request, queryset=selectors.claim_list(request.user), filterset_class=ClaimFilter,
                     table_class=ClaimTable, title="农民工讨薪", object_type="procuratorate.WageClaim",
                     new_url=reverse("procuratorate:claim_create") if request.user.role in WRITERS else "")


@page(WRITERS)
def claim_create(request):
    form = ClaimForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        claim = run(request, services.wage_claim_register, success="讨薪案件已受理", **form.cleaned_data)
        if claim:
            return redirect("procuratorate:claim_detail", pk=claim.pk)
    return form_page(request, form, title="受理农民工讨薪案件", cancel_url=reverse("procuratorate:claim_list"))


@page(READERS)
def claim_detail(request, pk: int):
    user = request.user
    claim = selectors.claim_get(user, pk)
    if request.GET.get("export") == "xlsx":
        table = WorkerTable(selectors.worker_list(user, claim), full_personal_data=user.policy.full_personal_data)
        return export_table(request, table, title=f"讨薪农民工-{claim.number}", object_type="procuratorate.WageWorker")
    workers = selectors.worker_list(user, claim)
    departments = selectors.aid_departments(user)
    return render(request, "procuratorate/claim_detail.html", {
        "claim": claim, **selectors.claim_detail(user, claim), **footer(request, claim),
        "worker_form": WorkerForm(), "prosecution_form": ProsecutionForm(), "judgment_form": JudgmentForm(),
        "pick_form": WorkersPickForm(workers=workers, departments=departments),
        "support_form": SupportStepForm(), "enforcement_form": EnforcementForm(), "close_form": CloseForm(),
    })


def _back(pk):
    return redirect("procuratorate:claim_detail", pk=pk)


@require_POST
@page(WRITERS)
def worker_add(request, pk: int):
    claim = selectors.claim_get(request.user, pk)
    if form := posted(request, WorkerForm):
        run(request, services.wage_worker_add, success="已登记农民工", claim=claim, **form.cleaned_data)
    return _back(pk)


@require_POST
@page(WRITERS)
def prosecution_add(request, pk: int):
    claim = selectors.claim_get(request.user, pk)
    if form := posted(request, ProsecutionForm):
        run(request, services.prosecution_file, success="已记录提起公诉", claim=claim, **form.cleaned_data)
    return _back(pk)


@require_POST
@page(WRITERS)
def prosecution_judge(request, pk: int):
    prosecution = selectors.prosecution_get(request.user, pk)
    if form := posted(request, JudgmentForm):
        run(request, services.prosecution_judge, success="已记录判决结果", prosecution=prosecution, **form.cleaned_data)
    return _back(prosecution.claim_id)


@require_POST
@page(WRITERS)
def support_apply(request, pk: int):
    claim = selectors.claim_get(request.user, pk)
    if form := posted(request, WorkersPickForm, workers=selectors.worker_list(request.user, claim)):
        run(request, services.support_suit_apply, success="已受理支持起诉申请", claim=claim, workers=form.chosen(),
            applied_on=form.cleaned_data["on"])
    return _back(pk)


@require_POST
@page(WRITERS)
def support_step(request, pk: int):
    suit = selectors.support_suit_get(request.user, pk)
    if form := posted(request, SupportStepForm):
        run(request, services.support_suit_advance, success="已记录", suit=suit, **form.cleaned_data)
    return _back(suit.claim_id)


@require_POST
@page(WRITERS)
def referral_add(request, pk: int):
    claim = selectors.claim_get(request.user, pk)
    form = posted(request, WorkersPickForm, workers=selectors.worker_list(request.user, claim),
                 departments=selectors.aid_departments(request.user))
    if form:
        if form.cleaned_data["referred_to"] is None:
            messages.error(request, "请选择移送部门（控告申诉检察部门）")
        else:
            run(request, services.aid_refer, success="已移送司法救助线索", claim=claim, workers=form.chosen(),
                referred_to=form.cleaned_data["referred_to"], referred_on=form.cleaned_data["on"],
                note=form.cleaned_data["note"])
    return _back(pk)


@require_POST
@page(WRITERS)
def referral_decide(request, pk: int):
    """控申's decisions for the referral's undecided workers: granted_<id>, amount_<id>, reason_<id>."""
    referral = selectors.referral_get(request.user, pk)
    decided = set(referral.grants.values_list("worker_id", flat=True))
    decisions = []
    try:
        decided_on = dt.date.fromisoformat(request.POST.get("decided_on", ""))
        for worker in referral.workers.exclude(pk__in=decided):
            choice = request.POST.get(f"granted_{worker.pk}", "")
            if choice not in ("yes", "no"):
                continue
            amount = request.POST.get(f"amount_{worker.pk}", "").strip() or "0"
            decisions.append((worker, choice == "yes", decimal.Decimal(amount) if choice == "yes" else 0,
                              request.POST.get(f"reason_{worker.pk}", "")))
    except ValueError:
        messages.error(request, "决定日期或金额格式有误")
        return _back(referral.claim_id)
    except decimal.InvalidOperation:
        messages.error(request, "救助金额格式有误")
        return _back(referral.claim_id)
    run(request, services.aid_decide, success=f"已记录{len(decisions)}名农民工的救助决定", referral=referral,
        decided_on=decided_on, decisions=decisions)
    return _back(referral.claim_id)


@require_POST
@page(WRITERS)
def enforcement_add(request, pk: int):
    claim = selectors.claim_get(request.user, pk)
    if form := posted(request, EnforcementForm):
        data = form.cleaned_data
        run(request, services.enforcement_record, success="已记录执行跟进", claim=claim, on=data["on"],
            court=data["court"], action=data["action"], amount_recovered=data["amount_recovered"] or 0)
    return _back(pk)


@require_POST
@page(WRITERS)
def claim_close(request, pk: int):
    claim = selectors.claim_get(request.user, pk)
    if form := posted(request, CloseForm):
        run(request, services.wage_claim_close, success="讨薪案件已办结", claim=claim, **form.cleaned_data)
    return _back(pk)
