"""Training: courses, their sessions, attendance, and each trainee's hours."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.core.exports import export_table
from pingan.core.permissions import page
from pingan.legal import selectors, services
from pingan.legal.filters import PersonFilter
from pingan.legal.forms import AttendanceForm, CourseForm, SessionForm
from pingan.legal.models import SELECTED_STATUSES
from pingan.legal.tables import HoursTable
from pingan.legal.views.common import MANAGERS, root_area, run, year_of


@page(MANAGERS)
def course_list(request):
    return render(request, "legal/course_list.html", {"courses": selectors.course_list(request.user)})


@page(MANAGERS)
def course_create(request):
    area = root_area(request.user, None)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = form.apply(lambda d: services.course_create(actor=request.user, area=area, **d))
        if course is not None:
            messages.success(request, f"已新建培训“{course.name}”")
            return redirect("legal:course_detail", pk=course.pk)
    return render(request, "legal/course_form.html", {"form": form, "area": area})


@page(MANAGERS)
def course_detail(request, pk: int):
    course = selectors.course_get(request.user, pk)
    form = SessionForm(persons=selectors.participants_for(request.user))
    return render(request, "legal/course_detail.html", {
        "course": course, "sessions": selectors.course_sessions(request.user, course), "form": form})


@require_POST
@page(MANAGERS)
def session_create(request, pk: int):
    course = selectors.course_get(request.user, pk)
    form = SessionForm(request.POST, persons=selectors.participants_for(request.user))
    session = run(request, form, lambda d: services.session_create(actor=request.user, course=course, **d))
    if session is not None:
        messages.success(request, f"已添加场次“{session.title}”")
        return redirect("legal:session_detail", pk=session.pk)
    return redirect("legal:course_detail", pk=course.pk)


@page(MANAGERS)
def session_detail(request, pk: int):
    session = selectors.session_get(request.user, pk)
    return render(request, "legal/session_detail.html", {
        "session": session, "attendances": selectors.session_attendances(request.user, session),
        "form": AttendanceForm(persons=selectors.trainees_for(request.user, session))})


@require_POST
@page(MANAGERS)
def attendance_add(request, pk: int):
    session = selectors.session_get(request.user, pk)
    form = AttendanceForm(request.POST, persons=selectors.trainees_for(request.user, session))
    rows = run(request, form, lambda d: services.attendance_record(
        actor=request.user, session=session, persons=d["persons"], hours=d["hours"], test_score=d["test_score"],
        certificate_no=d["certificate_no"]))
    if rows is not None:
        messages.success(request, f"已登记{len(rows)}人参训")
    return redirect("legal:session_detail", pk=session.pk)


@page(MANAGERS)
def hours(request):
    """Each trainee's record of hours in a year (or all years with year=0)."""
    year = year_of(request) if request.GET.get("year") != "0" else None
    persons = selectors.person_list(request.user).filter(status__in=SELECTED_STATUSES)
    filterset = PersonFilter(request.GET, queryset=persons)
    table = HoursTable(selectors.training_hours(filterset.qs, year).order_by("village__code", "staff__name_initials"))
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title=f"法律明白人培训学时-{year or '全部'}", object_type="legal.Attendance")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "legal/hours.html", {"filter": filterset, "table": table, "year": year})
