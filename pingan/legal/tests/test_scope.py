"""Item 8: the bureau sees the banner, a judicial office its township, a legal-literate person their
own file and their village's activities, and the police none of the programme. Checked on the
models' ``visible_to`` (what every page, export, API route and report starts from) and on every
page route at own / sibling / parent places of 阿拉善右旗 (out of scope → 404, police → 403)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from pingan.legal import services
from pingan.legal.models import (
    Activity,
    Attendance,
    Course,
    Evaluation,
    LegalPerson,
    Pairing,
    Quota,
    SelectionCheck,
    StatusChange,
    TrainingSession,
)
from pingan.legal.tests import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two persons in the own gacha, one in the sibling township, each with the records around them."""
    banner = h.area(h.BANNER)
    services.quota_set(actor=None, banner=banner, unit_kind="嘎查", quota=3)
    me = h.legal_person(h.GACHA, name="本人")
    neighbour = h.legal_person(h.GACHA, name="同村")
    far = h.legal_person(h.SIBLING_GACHA, name="邻镇")
    course = services.course_create(actor=None, name="旗培训班", organiser="banner", kind="培训班", mode="线下",
                                    area=banner, topics=["民法典"])
    session = services.session_create(actor=None, course=course, title="民法典", date=dt.date(2024, 6, 1), hours="3",
                                      topic="民法典")
    services.attendance_record(actor=None, session=session, persons=[me, neighbour, far])
    township_course = services.course_create(actor=None, name="邻镇培训", organiser="township", kind="培训班",
                                             mode="线下", area=h.area(h.SIBLING_TOWNSHIP), topics=["宪法"])
    for p in (me, neighbour, far):
        services.evaluation_record(actor=None, person=p, year=2024, grade="称职", evaluated_on=dt.date(2024, 12, 20))
    for code in (h.GACHA, h.SIBLING_GACHA):
        services.pairing_set(actor=None, village=h.area(code), adviser=h.adviser(code), start=dt.date(2024, 1, 1))
    own_act = services.activity_record(actor=None, kind="publicity", date=dt.date(2024, 7, 1), village=me.village,
                                       title="本村宣传", participants=[neighbour], place="党群服务中心", audience="牧民")
    far_act = services.activity_record(actor=None, kind="publicity", date=dt.date(2024, 7, 1), village=far.village,
                                       title="邻镇宣传", participants=[far], place="党群服务中心", audience="牧民")
    return {"me": me, "neighbour": neighbour, "far": far, "course": course, "township_course": township_course,
            "session": session, "own_act": own_act, "far_act": far_act}


def _names(qs):
    return sorted(p.staff.name for p in qs)


def test_the_bureau_sees_the_whole_banner(world):
    bureau = h.bureau_user()
    assert _names(LegalPerson.objects.visible_to(bureau)) == ["同村", "本人", "邻镇"]
    assert Activity.objects.visible_to(bureau).count() == 2
    assert Course.objects.visible_to(bureau).count() == 2


def test_a_judicial_office_sees_its_township_and_the_banners_courses_and_quota(world):
    office = h.office_user()
    assert _names(LegalPerson.objects.visible_to(office)) == ["同村", "本人"]
    assert list(Activity.objects.visible_to(office)) == [world["own_act"]]
    assert Attendance.objects.visible_to(office).count() == 2
    # Banner-wide records are read down the tree; a sibling township's course is not.
    assert list(Course.objects.visible_to(office)) == [world["course"]]
    assert TrainingSession.objects.visible_to(office).count() == 1
    assert Quota.objects.visible_to(office).count() == 1
    # ... but only written by someone whose scope covers them.
    with pytest.raises(Exception, match="超出您的辖区范围"):
        services.session_create(actor=office, course=world["course"], title="x", date=dt.date(2024, 6, 2), hours="1",
                                topic="宪法")


def test_a_legal_literate_person_sees_their_own_file_and_their_villages_activities(world):
    me = h.legal_literate_user(world["me"])
    assert list(LegalPerson.objects.visible_to(me)) == [world["me"]]
    for model in (SelectionCheck, StatusChange, Evaluation, Attendance):
        assert {r.person_id for r in model.objects.visible_to(me)} == {world["me"].pk}, model
    # The village's activities, including one they did not take part in; not the sibling township's.
    assert list(Activity.objects.visible_to(me)) == [world["own_act"]]
    assert list(Pairing.objects.visible_to(me).values_list("village__code", flat=True)) == [h.GACHA]


def test_a_legal_literate_user_without_a_file_sees_nothing_of_the_programme(world):
    nobody = h.user("nobody", "legal_literate", h.GACHA)
    assert not LegalPerson.objects.visible_to(nobody).exists()
    assert not Activity.objects.visible_to(nobody).exists()


def test_the_police_see_none_of_the_programme_even_in_their_own_township(world):
    police = h.police_user()
    for model in (LegalPerson, SelectionCheck, StatusChange, Evaluation, Attendance, Activity, Pairing, Course,
                  TrainingSession, Quota):
        assert not model.objects.visible_to(police).exists(), model


# ---- every page route, own / sibling / parent -----------------------------------------------------

def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _routes(world):
    """(URL name, kwargs at own, at sibling, at parent) — parent None when the route has no object."""
    me, far = world["me"], world["far"]
    return [
        ("legal:person_detail", {"pk": me.pk}, {"pk": far.pk}),
        ("legal:person_export", {"pk": me.pk}, {"pk": far.pk}),
        ("legal:person_edit", {"pk": me.pk}, {"pk": far.pk}),
        ("legal:village_pool", {"code": h.GACHA}, {"code": h.SIBLING_GACHA}),
        ("legal:nominate", {"code": h.GACHA}, {"code": h.SIBLING_GACHA}),
        ("legal:pair_set", {"code": h.GACHA}, {"code": h.SIBLING_GACHA}),
        ("legal:coverage_area", {"code": h.TOWNSHIP}, {"code": h.SIBLING_TOWNSHIP}),
        ("legal:pairs_area", {"code": h.TOWNSHIP}, {"code": h.SIBLING_TOWNSHIP}),
        ("legal:course_detail", {"pk": world["course"].pk}, {"pk": world["township_course"].pk}),
        ("legal:session_detail", {"pk": world["session"].pk}, None),
        ("legal:activity_detail", {"pk": world["own_act"].pk}, {"pk": world["far_act"].pk}),
    ]


def test_a_judicial_office_gets_its_own_records_and_404_beside_and_above(world):
    client = _client(h.office_user())
    for name, own, sibling in _routes(world):
        assert client.get(reverse(name, kwargs=own)).status_code == 200, name
        if sibling:
            assert client.get(reverse(name, kwargs=sibling)).status_code == 404, name
    # Above: the banner node itself is outside a township office's scope.
    assert client.get(reverse("legal:coverage_area", kwargs={"code": h.BANNER})).status_code == 404
    assert client.get(reverse("legal:pairs_area", kwargs={"code": h.BANNER})).status_code == 404


def test_the_bureau_reaches_every_township_but_not_another_banner(world):
    client = _client(h.bureau_user())
    for name, own, sibling in _routes(world):
        assert client.get(reverse(name, kwargs=own)).status_code == 200, name
        if sibling:
            assert client.get(reverse(name, kwargs=sibling)).status_code == 200, name
    assert client.get(reverse("legal:coverage_area", kwargs={"code": "150824000000"})).status_code == 404
    assert client.get(reverse("legal:village_pool", kwargs={"code": "150824100201"})).status_code == 404


def test_a_legal_literate_person_opens_their_file_and_village_activities_only(world):
    client = _client(h.legal_literate_user(world["me"]))
    assert client.get(reverse("legal:me")).url == reverse("legal:person_detail", kwargs={"pk": world["me"].pk})
    assert client.get(reverse("legal:person_detail", kwargs={"pk": world["me"].pk})).status_code == 200
    assert client.get(reverse("legal:person_detail", kwargs={"pk": world["neighbour"].pk})).status_code == 404
    assert client.get(reverse("legal:person_detail", kwargs={"pk": world["far"].pk})).status_code == 404
    assert client.get(reverse("legal:activity_detail", kwargs={"pk": world["own_act"].pk})).status_code == 200
    assert client.get(reverse("legal:activity_detail", kwargs={"pk": world["far_act"].pk})).status_code == 404
    listing = client.get(reverse("legal:activity_list")).content.decode()
    assert "本村宣传" in listing and "邻镇宣传" not in listing
    for name in ("legal:person_list", "legal:coverage", "legal:ledger", "legal:course_list"):
        assert client.get(reverse(name)).status_code == 403, name


def test_the_police_are_refused_every_legal_page(world):
    client = _client(h.police_user())
    for name, own, _ in _routes(world):
        assert client.get(reverse(name, kwargs=own)).status_code == 403, name
    for name in ("legal:person_list", "legal:coverage", "legal:pairs", "legal:activity_list", "legal:ledger",
                 "legal:quotas", "legal:hours"):
        assert client.get(reverse(name)).status_code == 403, name
