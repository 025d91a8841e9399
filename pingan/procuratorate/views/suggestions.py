from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pingan.core.forms import errors_text
from pingan.core.permissions import page
from pingan.procuratorate import selectors, services
from pingan.procuratorate.filters import SuggestionFilter
from pingan.procuratorate.forms import ActionForm, ReplyForm, SuggestionForm
from pingan.procuratorate.models import AWAITING_STATUSES, SuggestionStatus, add_months
from pingan.procuratorate.tables import SuggestionTable
from pingan.procuratorate.views.common import (
    READERS,
    REPLIERS,
    WRITERS,
    footer,
    form_page,
    list_page,
    run,
)


@page(READERS)
def suggestion_list(request):
    return list_page(request, queryset=selectors.suggestion_list(request.user), filterset_class=SuggestionFilter,
                     table_class=SuggestionTable, title="检察建议", object_type="procuratorate.Suggestion",
                     new_url=reverse("procuratorate:suggestion_create") if request.user.role in WRITERS else "")


@page(WRITERS)
def suggestion_create(request):
    """A new draft; ``?claim=<pk>`` drafts one about a wage claim (工资保证金存储监管 and the like)."""
    claim = selectors.claim_get(request.user, request.GET["claim"]) if request.GET.get("claim") else None
    initial = {"field": "labour", "area": claim.area_id, "title": "关于督促加强农民工工资保证金存储监管的检察建议",
               "matter": "工程建设项目未按规定存储农民工工资保证金"} if claim else None
    form = SuggestionForm(request.POST or None, initial=initial, user=request.user,
                          agencies=selectors.admin_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        suggestion = run(request, services.suggestion_draft, success="检察建议已起草", wage_claim=claim,
                         **form.cleaned_data)
        if suggestion:
            return redirect("procuratorate:suggestion_detail", pk=suggestion.pk)
    title = f"起草检察建议（讨薪案件{claim.number}）" if claim else "起草检察建议"
    return form_page(request, form, title=title, cancel_url=reverse("procuratorate:suggestion_list"))


@page(WRITERS)
def suggestion_edit(request, pk: int):
    suggestion = selectors.suggestion_get(request.user, pk)
    initial = {k: getattr(suggestion, k) for k in services.SUGGESTION_FIELDS if k != "wage_claim"}
    form = SuggestionForm(request.POST or None, initial=initial, user=request.user,
                          agencies=selectors.admin_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        if run(request, services.suggestion_update, success="已保存", suggestion=suggestion, **form.cleaned_data):
            return redirect("procuratorate:suggestion_detail", pk=pk)
    return form_page(request, form, title=f"修改检察建议（{suggestion.title}）",
                     cancel_url=reverse("procuratorate:suggestion_detail", args=[pk]))


@page(READERS)
def suggestion_detail(request, pk: int):
    user = request.user
    suggestion = selectors.suggestion_get(user, pk)
    proc = selectors.is_procuratorate(user) and user.role in WRITERS
    actions = set(services.allowed_actions(suggestion)) if proc else set()
    can_reply = user.role in REPLIERS and suggestion.status in AWAITING_STATUSES and (
        proc or user.agency_id == suggestion.addressed_agency_id)
    return render(request, "procuratorate/suggestion_detail.html", {
        "s": suggestion, "replies": selectors.suggestion_replies(user, suggestion),
        **selectors.suggestion_related(user, suggestion), **footer(request, suggestion),
        "actions": actions, "proc": proc, "can_reply": can_reply, "reply_form": ReplyForm(),
        "can_remind": proc and suggestion.status in AWAITING_STATUSES,
        "can_reissue": proc and suggestion.status == SuggestionStatus.FOLLOW_UP,
        "default_deadline": add_months(services.today(), suggestion.reply_period_months),
    })


def _act(request, suggestion, data):
    """One step of the state machine, as chosen on the detail page."""
    action, on, note = data["action"], data["on"], data["note"]
    common = {"suggestion": suggestion}
    if action == "submit":
        return run(request, services.suggestion_submit, success="已提请审批", on=on, note=note, **common)
    if action == "return":
        return run(request, services.suggestion_return, success="已退回修改", on=on, note=note, **common)
    if action == "approve":
        return run(request, services.suggestion_approve, success="已批准制发", on=on, note=note,
                   number=data["number"], **common)
    if action == "serve":
        return run(request, services.suggestion_serve, success="已送达", served_on=on, note=note,
                   reply_deadline=data["reply_deadline"], **common)
    if action == "verify":
        return run(request, services.suggestion_start_verification, success="已开始核查", on=on, note=note, **common)
    if action == "verify_result":
        return run(request, services.suggestion_verify, success="核查结论已记录", on=on, note=note,
                   result=data["result"], reply_deadline=data["reply_deadline"], **common)
    if action == "litigate":
        return run(request, services.suggestion_litigate, success="已转提起公益诉讼", on=on, note=note,
                   litigation_ref=data["litigation_ref"], **common)
    if action == "remind":
        return run(request, services.suggestion_remind, success="已催告回复", on=on, note=note, **common)
    if action == "reissue":
        return run(request, services.suggestion_reissue, success="已起草再次制发的检察建议", on=on, **common)
    return None


@require_POST
@page(WRITERS)
def suggestion_action(request, pk: int):
    suggestion = selectors.suggestion_get(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("procuratorate:suggestion_detail", pk=pk)
    result = _act(request, suggestion, form.cleaned_data)
    if form.cleaned_data["action"] == "reissue" and result:
        return redirect("procuratorate:suggestion_detail", pk=result.pk)
    return redirect("procuratorate:suggestion_detail", pk=pk)


@require_POST
@page(REPLIERS)
def suggestion_reply(request, pk: int):
    suggestion = selectors.suggestion_get(request.user, pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("procuratorate:suggestion_detail", pk=pk)
    data = form.cleaned_data
    run(request, services.suggestion_reply, success="回复已提交", suggestion=suggestion, reply=data["reply"],
        rectification=data["rectification"], replied_on=data["replied_on"], files=[data["file"]] if data["file"] else [])
    return redirect("procuratorate:suggestion_detail", pk=pk)
