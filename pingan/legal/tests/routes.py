"""The 法律明白人 routes in the permission matrix (see pingan/testing/matrix.py).

Every record of the programme is on the justice line, so every police, grid, procuratorate and
administrative role gets 403 on every route, and the bureau (banner), the judicial office (township)
and the legal-literate person (village) see their own node only. A legal-literate person sees their
own file: the targets below make the persona's user the person of the "own" file (``user.staff``),
and give them a file in their own village so that village's activities are theirs to read.

Courses and sessions are banner-wide records readable down the tree (a township's judicial office
reads the banner's training), so their routes are checked at own and sibling only: the parent's
course is visible on purpose (tested in test_scope.py).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.accounts.roles import Role
from pingan.legal.views.common import MANAGERS, READERS
from pingan.testing.matrix import MARKER, OWN, SIBLING, Place, Route, Target, node_target, village_target

LEGAL_LITERATE = frozenset({Role.LEGAL_LITERATE})
NOT_PARENT = (OWN, SIBLING)


def _user(place: Place):
    from pingan.accounts.models import User

    return User.objects.filter(username=place.login).first()


def _township(area):
    from pingan.areas.models import Level

    return area.parent if area.level > Level.TOWNSHIP and area.parent else area


def make_person(village, *, name: str = MARKER + "明白人", status: str = "上岗"):
    """A 法律明白人 file at ``village`` (any node, for out-of-scope places), made directly."""
    from pingan.legal.models import Criterion, LegalPerson, SelectionCheck, Status
    from pingan.org.models import StaffCategory
    from pingan.testing.factories import StaffFactory
    from pingan.testing.personas import agency_for

    office = agency_for("judicial_office", _township(village))
    staff = StaffFactory(name=name, category=StaffCategory.LEGAL_LITERATE, agency=office, area=village)
    selected = status in (Status.TRAINING, Status.SERVING)
    person = LegalPerson.objects.create(
        staff=staff, village=village, office=office, source_category="两委成员", channel="两委推荐",
        status=status, status_since=dt.date(2024, 1, 1), nominated_on=dt.date(2024, 1, 1),
        selected_on=dt.date(2024, 1, 1) if selected else None, assessment_passed=True if selected else None)
    if status == Status.ASSESSING:  # ready for a decision: every criterion met, assessment passed
        SelectionCheck.objects.bulk_create([SelectionCheck(person=person, criterion=c, passed=True,
                                                           checked_on=dt.date(2024, 1, 2)) for c in Criterion.values])
        LegalPerson.objects.filter(pk=person.pk).update(assessment_passed=True, assessed_on=dt.date(2024, 1, 3))
    return person


def _own_file(place: Place, village=None):
    """The persona's own file, if the persona is a legal-literate person: in its own village."""
    from pingan.areas.models import Area
    from pingan.testing.personas import PERSONAS

    user = _user(place)
    if user is None or user.role != Role.LEGAL_LITERATE:
        return None
    village = village or Area.objects.get(code=PERSONAS[place.login].jurisdiction)
    person = make_person(village, name="本人明白人")
    user.staff = person.staff
    user.save(update_fields=["staff"])
    return person


def person_target(key: str | None = None, status: str = "上岗"):
    def build(place: Place) -> Target:
        village = place.village or place.node
        person = make_person(village, status=status)
        if place.position == OWN and _user(place) and _user(place).role == Role.LEGAL_LITERATE:
            user = _user(place)
            user.staff = person.staff
            user.save(update_fields=["staff"])
        return Target({key: person.pk} if key else {}, marker=person.staff.name, obj=person)

    return build


def _in_memory_attachments() -> None:
    """Attachments made by the matrix go to memory, never under MEDIA_ROOT (set before any Activity
    is created: a saved instance keeps the storage its file had)."""
    from django.core.files.storage import InMemoryStorage

    from pingan.legal.models import Activity

    field = Activity._meta.get_field("attachment")
    if not isinstance(field.storage, InMemoryStorage):
        field.storage = InMemoryStorage()


def activity_target(key: str | None = None, attachment: bool = False):
    def build(place: Place) -> Target:
        from django.core.files.base import ContentFile

        from pingan.legal.models import Activity

        if attachment:
            _in_memory_attachments()
        _own_file(place)
        village = place.village or place.node
        person = make_person(village, name="参与明白人")
        activity = Activity.objects.create(kind="publicity", date=timezone.localdate(), village=village,
                                           office=person.office, title=MARKER + "法治宣传", place="嘎查党群服务中心",
                                           audience="农牧民群众", audience_count=30)
        activity.participants.add(person)
        if attachment:
            activity.attachment.save("photo.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
        return Target({key: activity.pk} if key else {}, marker=activity.title, obj=activity)

    return build


def course_target(key: str | None = None, with_session: bool = False, with_person: bool = False):
    def build(place: Place) -> Target:
        from pingan.legal.models import Course, TrainingSession

        course = Course.objects.create(name=MARKER + "培训班", organiser="banner", kind="培训班", mode="线下",
                                       topics=["民法典"], area=place.node)
        obj, kwargs = course, {key: course.pk} if key else {}
        extra = {}
        if with_session:
            obj = TrainingSession.objects.create(course=course, title=MARKER + "场次", date=dt.date(2024, 6, 1),
                                                 hours="3.0", topic="民法典")
            kwargs = {key: obj.pk}
        if with_person:
            extra["person"] = make_person(place.village or place.node).pk
        return Target(kwargs, marker=MARKER + "培训班", obj=(obj, extra))

    return build


def hours_target():
    def build(place: Place) -> Target:
        from pingan.legal.models import Attendance, Course, TrainingSession

        person = make_person(place.village or place.node)
        course = Course.objects.create(name="学时培训", organiser="banner", kind="培训班", mode="线下", area=place.node)
        session = TrainingSession.objects.create(course=course, title="学时场次", date=timezone.localdate(), hours="2.0",
                                                 topic="宪法")
        Attendance.objects.create(session=session, person=person, hours="2.0")
        return Target({}, marker=person.staff.name, obj=person)

    return build


def _count(model_name: str):
    def state(target: Target):
        from django.apps import apps

        return apps.get_model("legal", model_name).objects.count()

    return state


def _today() -> str:
    return timezone.localdate().isoformat()


ROUTES = [
    Route("legal:index", roles=READERS, ok=302),
    Route("legal:me", roles=LEGAL_LITERATE),
    Route("legal:person_list", roles=MANAGERS, target=person_target(), list=True),
    Route("legal:person_detail", roles=READERS, target=person_target("pk")),
    Route("legal:person_export", roles=READERS, target=person_target("pk")),
    Route("legal:person_edit", roles=MANAGERS, target=person_target("pk")),
    Route("legal:person_check", roles=MANAGERS, method="POST", ok=302, target=person_target("pk", status="候选"),
          body=lambda t: {"criterion": "political", "passed": "1", "checked_on": _today()}, writes=True),
    Route("legal:person_assess", roles=MANAGERS, method="POST", ok=302, target=person_target("pk", status="考察"),
          body=lambda t: {"passed": "1", "opinion": "群众评价好", "assessed_on": _today()}, writes=True),
    Route("legal:person_decide", roles=MANAGERS, method="POST", ok=302, target=person_target("pk", status="考察"),
          body=lambda t: {"selected": "1", "decided_on": _today()}, writes=True),
    Route("legal:person_status", roles=MANAGERS, method="POST", ok=302, target=person_target("pk", status="培训"),
          body=lambda t: {"to_status": "上岗", "on": _today()}, writes=True),
    Route("legal:person_evaluate", roles=MANAGERS, method="POST", ok=302, target=person_target("pk"),
          body=lambda t: {"year": "2024", "grade": "称职", "evaluated_on": _today()}, writes=True),
    Route("legal:village_pool", roles=MANAGERS, target=village_target()),
    Route("legal:nominate", roles=MANAGERS, target=village_target()),
    Route("legal:pair_set", roles=MANAGERS, target=village_target()),
    Route("legal:quotas", roles=MANAGERS),
    Route("legal:coverage", roles=MANAGERS, target=person_target(), list=True),
    Route("legal:coverage_area", roles=MANAGERS, target=node_target()),
    Route("legal:pairs", roles=MANAGERS, target=person_target(), list=True),
    Route("legal:pairs_area", roles=MANAGERS, target=node_target()),
    Route("legal:course_list", roles=MANAGERS, target=course_target(), list=True, positions=NOT_PARENT),
    Route("legal:course_create", roles=MANAGERS),
    Route("legal:course_detail", roles=MANAGERS, target=course_target("pk"), positions=NOT_PARENT),
    Route("legal:session_create", roles=MANAGERS, method="POST", ok=302, target=course_target("pk"),
          positions=NOT_PARENT, writes=True, state=_count("TrainingSession"),
          body=lambda t: {"title": "新场次", "date": "2024-06-02", "hours": "2.0", "topic": "宪法"}),
    Route("legal:session_detail", roles=MANAGERS, target=course_target("pk", with_session=True), positions=NOT_PARENT),
    Route("legal:attendance_add", roles=MANAGERS, method="POST", ok=302, positions=NOT_PARENT, writes=True,
          target=course_target("pk", with_session=True, with_person=True),
          body=lambda t: {"persons": [t.obj[1]["person"]]}),
    Route("legal:hours", roles=MANAGERS, target=hours_target(), list=True),
    Route("legal:activity_list", roles=READERS, target=activity_target(), list=True),
    Route("legal:activity_create", roles=READERS),
    Route("legal:activity_detail", roles=READERS, target=activity_target("pk")),
    Route("legal:activity_attachment", roles=READERS, target=activity_target("pk", attachment=True)),
    Route("legal:ledger", roles=MANAGERS, target=activity_target(), list=True),
]


def _api_mounted() -> bool:
    from pingan.api import api

    return any(prefix.strip("/") == "legal" for prefix, _ in api._routers)


API_ROUTES = [
    Route("GET /api/legal/persons", roles=MANAGERS, target=person_target(), list=True),
    Route("GET /api/legal/persons/{person_id}", roles=READERS, target=person_target("person_id")),
    Route("GET /api/legal/activities", roles=READERS, target=activity_target(), list=True),
    Route("GET /api/legal/activities/{activity_id}", roles=READERS, target=activity_target("activity_id")),
    Route("GET /api/legal/coverage/{code}", roles=MANAGERS, target=node_target()),
]
# The router is mounted at /api/legal/ by pingan/api.py; until it is, its operations are not served
# and declaring them would be stale.
if _api_mounted():
    ROUTES += API_ROUTES
