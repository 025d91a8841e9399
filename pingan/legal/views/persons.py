"""Candidates, selection and the archive (建档) of each person."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.accounts.roles import Role
from pingan.core.exports import export_rows, export_table
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.permissions import page
from pingan.legal import selectors, services
from pingan.legal.filters import PersonFilter
from pingan.legal.forms import (
    AssessmentForm,
    CheckForm,
    DecisionForm,
    EvaluationForm,
    NominateForm,
    PersonEditForm,
    TransitionForm,
)
from pingan.legal.models import TRANSITIONS, ActivityKind, Status
from pingan.legal.services import PERSON_EDITABLE
from pingan.legal.tables import PersonTable
from pingan.legal.views.common import MANAGERS, READERS, run, village_area


@page(READERS)
def index(request):
    return redirect("legal:me" if request.user.role == Role.LEGAL_LITERATE else "legal:person_list")


@page(frozenset({Role.LEGAL_LITERATE}))
def me(request):
    person = selectors.own_file(request.user)
    if person is None:
        return render(request, "legal/no_file.html")
    return redirect("legal:person_detail", pk=person.pk)


@page(MANAGERS)
def person_list(request):
    filterset = PersonFilter(request.GET, queryset=selectors.person_list(request.user))
    table = PersonTable(filterset.qs, full_personal_data=request.user.policy.full_personal_data)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="法律明白人花名册", object_type="legal.LegalPerson")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "legal/person_list.html", {"filter": filterset, "table": table})


@page(MANAGERS)
def village_pool(request, code: str):
    """A village's candidate pool: everyone nominated there, their checks, where they stand."""
    village = village_area(request.user, code)
    pool = list(selectors.village_pool(request.user, village))
    quota = selectors.quotas_for(request.user, selectors.banner_of(village)).get(village.kind)
    counted = [p for p in pool if p.is_selected]
    return render(request, "legal/village_pool.html", {
        "village": village, "quota": quota, "counted": len(counted),
        "shortfall": max(quota - len(counted), 0) if quota is not None else None,
        "rows": [(p, selectors.checks_in_order(p.checks.all()), services.selection_blockers(p, p.checks.all()))
                 for p in pool],
    })


@page(MANAGERS)
def nominate(request, code: str):
    village = village_area(request.user, code)
    form = NominateForm(request.POST or None, staff_queryset=selectors.candidate_staff(request.user, village))
    if request.method == "POST" and form.is_valid():
        person = form.apply(lambda d: services.person_nominate(
            actor=request.user, village=village, staff=d["staff"], identity=form.identity(),
            source_category=d["source_category"], channel=d["channel"], recommender=d["recommender"],
            political_status=d["political_status"], education=d["education"], occupation=d["occupation"],
            nominated_on=d["nominated_on"], note=d["note"]))
        if person is not None:
            messages.success(request, f"已将{person.staff.name}列入{village}候选人")
            return redirect("legal:person_detail", pk=person.pk)
    return render(request, "legal/nominate.html", {"village": village, "form": form})


def _archive(request, pk):
    person = selectors.person_get(request.user, pk)
    return person, selectors.archive(request.user, person, timezone.localdate())


@page(READERS)
def person_detail(request, pk: int):
    person, archive = _archive(request, pk)
    manage = request.user.role in MANAGERS
    context = {"person": person, "a": archive, "manage": manage}
    if manage:
        allowed = TRANSITIONS[person.status]
        context.update({
            "check_form": CheckForm(), "assessment_form": AssessmentForm(), "decision_form": DecisionForm(),
            "transition_form": TransitionForm(), "evaluation_form": EvaluationForm(initial={"year": timezone.localdate().year}),
            "can_check": person.status in (Status.CANDIDATE, Status.ASSESSING),
            "can_assess": person.status == Status.ASSESSING,
            "can_decide": bool(allowed & {Status.TRAINING, Status.NOT_SELECTED}),
            "can_move": bool(allowed - {Status.TRAINING, Status.NOT_SELECTED}),
            "blockers": services.selection_blockers(person, [c for _, _, c in archive.checks if c]),
        })
    return render(request, "legal/person_detail.html", context)


@page(READERS)
def person_export(request, pk: int):
    """The archive as a workbook: one row per item, the missing items last."""
    person, a = _archive(request, pk)
    staff, full = person.staff, request.user.policy.full_personal_data
    rows = [
        ["基本信息", "姓名", staff.name], ["基本信息", "性别", staff.get_gender_display()],
        ["基本信息", "民族", staff.ethnicity], ["基本信息", "出生日期", staff.birth_date],
        ["基本信息", "身份证号码", staff.id_number if full else mask_id_number(staff.id_number)],
        ["基本信息", "手机号码", staff.phone if full else mask_phone(staff.phone)],
        ["基本信息", "政治面貌", person.political_status], ["基本信息", "文化程度", person.education],
        ["基本信息", "现任职务或职业", person.occupation],
        ["服务单位", "嘎查(社区)", person.village.full_name], ["服务单位", "建档司法所", person.office.name],
        ["选拔", "人员来源", person.get_source_category_display()], ["选拔", "推荐渠道", person.channel],
        ["选拔", "推荐单位(人)", person.recommender], ["选拔", "推荐日期", person.nominated_on],
    ]
    rows += [["选拔条件审查", label, "未审查" if c is None else f"{'符合' if c.passed else '不符合'}（{c.checked_on}）"]
             for _, label, c in a.checks]
    rows += [["考察", "考察结论", {True: "合格", False: "不合格", None: "未考察"}[person.assessment_passed]],
             ["考察", "考察意见", person.assessment_opinion], ["决定", "状态", person.status],
             ["决定", "入选日期", person.selected_on], ["决定", "上岗日期", person.serving_on],
             ["决定", "聘书(证书)编号", person.certificate_no]]
    if person.exited_on:
        rows.append(["决定", "退出", f"{person.exited_on} {person.exit_reason}"])
    rows += [["状态记录", str(h.on), f"{h.from_status or '—'}→{h.to_status} {h.reason}"] for h in a.history]
    rows += [["培训", f"{t.session.date} {t.session.course.name}", f"{t.session.title}，{t.hours}学时"]
             for t in a.attendances]
    rows.append(["培训", "合计学时", a.hours])
    rows.append(["结对", "法律顾问", a.pairing.adviser.name if a.pairing else "未结对"])
    rows += [["工作", label, a.activity_counts.get(kind, 0)] for kind, label in ActivityKind.choices]
    rows += [["年度评议", f"{e.year}年", f"{e.grade} {e.comment}"] for e in a.evaluations]
    rows += [["缺项", str(i), item] for i, item in enumerate(a.missing, start=1)]
    return export_rows(request, title=f"法律明白人档案-{staff.name}", headers=["栏目", "项目", "内容"], rows=rows,
                       object_type="legal.LegalPerson", subtitle=f"{person.village.full_name} 法律明白人档案")


@page(MANAGERS)
def person_edit(request, pk: int):
    person = selectors.person_get(request.user, pk)
    form = PersonEditForm(request.POST or None, initial={f: getattr(person, f) for f in PERSON_EDITABLE})
    if request.method == "POST" and form.is_valid():
        if form.apply(lambda d: services.person_update(actor=request.user, person=person, **d)) is not None:
            messages.success(request, "档案信息已保存")
            return redirect("legal:person_detail", pk=person.pk)
    return render(request, "legal/person_edit.html", {"person": person, "form": form})


def _action(request, pk, form_class, call, done: str):
    person = selectors.person_get(request.user, pk)
    if run(request, form_class(request.POST), lambda d: call(person, d)) is not None:
        messages.success(request, done)
    return redirect("legal:person_detail", pk=person.pk)


@require_POST
@page(MANAGERS)
def person_check(request, pk: int):
    return _action(request, pk, CheckForm, lambda p, d: services.check_record(
        actor=request.user, person=p, criterion=d["criterion"], passed=d["passed"], checked_on=d["checked_on"],
        note=d["note"]), "已登记选拔条件审查")


@require_POST
@page(MANAGERS)
def person_assess(request, pk: int):
    return _action(request, pk, AssessmentForm, lambda p, d: services.assessment_record(
        actor=request.user, person=p, passed=d["passed"], opinion=d["opinion"], assessed_on=d["assessed_on"]),
        "已登记考察结论")


@require_POST
@page(MANAGERS)
def person_decide(request, pk: int):
    return _action(request, pk, DecisionForm, lambda p, d: services.person_decide(
        actor=request.user, person=p, selected=d["selected"], decided_on=d["decided_on"], reason=d["reason"],
        certificate_no=d["certificate_no"]), "已作出决定")


@require_POST
@page(MANAGERS)
def person_status(request, pk: int):
    return _action(request, pk, TransitionForm, lambda p, d: services.person_transition(
        actor=request.user, person=p, to_status=d["to_status"], on=d["on"], reason=d["reason"]), "状态已变更")


@require_POST
@page(MANAGERS)
def person_evaluate(request, pk: int):
    return _action(request, pk, EvaluationForm, lambda p, d: services.evaluation_record(
        actor=request.user, person=p, year=d["year"], grade=d["grade"], evaluated_on=d["evaluated_on"],
        comment=d["comment"]), "已登记年度评议")
