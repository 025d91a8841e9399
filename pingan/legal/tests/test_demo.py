"""Item 7: the demo data of 阿拉善右旗 2024 gives the article's figures through the report registry."""

import datetime as dt

import pytest

from pingan.accounts.models import User
from pingan.accounts.roles import Role
from pingan.areas.models import Area
from pingan.legal import demo
from pingan.legal.models import Activity, LegalPerson, Pairing, SelectionCheck, Status, TrainingSession
from pingan.legal.tests import helpers as h
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory
from pingan.reports.registry import ReportContext, compute_all
from pingan.reports.text import report_text

pytestmark = pytest.mark.django_db

ARTICLE = {
    "legal.persons_total": 174,
    "legal.communities_meeting_quota": 9,
    "legal.gachas_meeting_quota": 40,
    "legal.publicity_sessions": 28,
    "legal.mediations": 82,
}


def _report():
    ctx = ReportContext(Area.objects.get(code=h.BANNER), 2024)
    values = compute_all(ctx)
    return values, report_text(ctx, values)


def test_the_demo_gives_the_articles_figures_from_individual_records_and_is_idempotent():
    demo.build()
    values, text = _report()
    assert {k: values[k] for k in ARTICLE} == ARTICLE
    assert values["legal.training_sessions"] == 8
    assert values["legal.training_attendances"] > 174 and values["legal.training_person_hours"] > 0
    assert values["legal.pairs"] == 49

    # 174 = 9 × 5 + 40 × 3 + 9: some units are above quota; and the records behind the figures vary.
    persons = LegalPerson.objects.filter(status__in=(Status.TRAINING, Status.SERVING))
    assert persons.count() == 174
    assert LegalPerson.objects.filter(status=Status.EXITED, exited_on__year=2024).count() == 2
    failed = SelectionCheck.objects.filter(criterion="political", passed=False)
    assert {c.person.status for c in failed} == {Status.NOT_SELECTED} and failed.count() == 2
    assert TrainingSession.objects.filter(representative__isnull=False).count() == 1
    assert {s.course.organiser for s in TrainingSession.objects.all()} == {"national", "league", "banner"}
    assert Activity.objects.filter(adviser__isnull=False).exists()  # 法律顾问 and 法律明白人 working together

    assert "共选树培育“法律明白人”174人，实现每个社区拥有5名、嘎查拥有3名“法律明白人”的良好局面。" in text
    assert "共开展法治宣传28场次，参与矛盾纠纷调解82场次" in text
    assert "选树1名“法律明白人”代表结合自身体会分享交流工作经验" in text
    assert "重点学习习近平法治思想、《中华人民共和国宪法》《中华人民共和国民法典》等内容" in text

    counts = (LegalPerson.objects.count(), Activity.objects.count(), Staff.objects.count())
    demo.build()
    assert (LegalPerson.objects.count(), Activity.objects.count(), Staff.objects.count()) == counts
    assert _report()[0] == values


def test_the_demo_reuses_the_foundations_agencies_advisers_mediators_and_login():
    banner = Area.objects.get(code=h.BANNER)
    bureau = Agency.objects.create(name="阿拉善右旗司法局", kind=AgencyKind.JUSTICE_BUREAU, area=banner)
    office = Agency.objects.create(name="阿拉善右旗司法局巴丹吉林司法所", kind=AgencyKind.JUDICIAL_OFFICE,
                                   area=h.area(h.TOWNSHIP), parent=bureau)
    lawyer = h.adviser(h.GACHA, name="驼铃律师")
    mediator = Staff.objects.create(name="调解员", name_initials="tjy", category=StaffCategory.MEDIATOR, agency=office,
                                    area=h.area(h.GACHA_2), id_number=h.identity()["id_number"], gender="M",
                                    ethnicity="蒙古族", birth_date=dt.date(1980, 5, 1))
    literate = Staff.objects.create(name="明白人", name_initials="mbr", category=StaffCategory.LEGAL_LITERATE,
                                    agency=office, area=h.area(h.GACHA), id_number=h.identity()["id_number"],
                                    gender="F", ethnicity="蒙古族", birth_date=dt.date(1985, 5, 1))
    mingbairen = h.user("mingbairen", Role.LEGAL_LITERATE, h.GACHA, staff=literate)
    unlinked = h.user("mingbairen2", Role.LEGAL_LITERATE, h.GACHA_2)

    demo.build()

    assert Agency.objects.filter(kind=AgencyKind.JUSTICE_BUREAU, area=banner).count() == 1
    assert Agency.objects.filter(kind=AgencyKind.JUDICIAL_OFFICE, area=h.area(h.TOWNSHIP)).get() == office
    assert Pairing.objects.get(village__code=h.GACHA).adviser == lawyer
    assert LegalPerson.objects.get(staff=mediator).source_category == "人民调解员"
    assert LegalPerson.objects.get(staff=literate).status == Status.SERVING
    assert LegalPerson.objects.get(staff=literate).activities.exists()  # the demo login has work to show
    mingbairen.refresh_from_db()
    unlinked.refresh_from_db()
    assert mingbairen.staff == literate
    assert unlinked.staff is not None and unlinked.staff.legal_files.get().village.code == h.GACHA_2
    values, _ = _report()
    assert {k: values[k] for k in ARTICLE} == ARTICLE
    # The legal-literate login sees their own file only.
    assert list(LegalPerson.objects.visible_to(User.objects.get(pk=mingbairen.pk))) == [literate.legal_files.get()]


def test_every_page_renders_on_the_demo_data(django_assert_max_num_queries):
    from django.test import Client
    from django.urls import reverse

    demo.build()
    bureau = h.bureau_user()
    client = Client()
    client.force_login(bureau)
    person = LegalPerson.objects.filter(status=Status.SERVING).order_by("pk").first()
    session = TrainingSession.objects.filter(representative__isnull=False).get()
    activity = Activity.objects.filter(kind="mediation").first()
    office = Agency.objects.filter(kind=AgencyKind.JUDICIAL_OFFICE).order_by("area__code").first()
    pages = [
        (reverse("legal:person_list"), "法律明白人及候选人"),
        (reverse("legal:person_list") + "?status=未入选", "未入选"),
        (reverse("legal:person_detail", kwargs={"pk": person.pk}), person.staff.name),
        (reverse("legal:village_pool", kwargs={"code": person.village.code}), person.staff.name),
        (reverse("legal:coverage") + "?date=2024-12-31", "达到定额的嘎查(社区)"),
        (reverse("legal:coverage_area", kwargs={"code": h.TOWNSHIP}) + "?date=2024-12-31", "嘎查(社区)明细"),
        (reverse("legal:pairs") + "?year=2024&date=2024-12-31", "共同开展"),
        (reverse("legal:quotas"), "定额"),
        (reverse("legal:course_list"), "全国“法律明白人”示范培训班（线上）"),
        (reverse("legal:course_detail", kwargs={"pk": session.course_id}), session.title),
        (reverse("legal:session_detail", kwargs={"pk": session.pk}), session.representative.staff.name),
        (reverse("legal:hours") + "?year=2024", "学时"),
        (reverse("legal:activity_list") + "?year=2024&kind=publicity", "共 28 项"),
        (reverse("legal:activity_detail", kwargs={"pk": activity.pk}), activity.title),
        (reverse("legal:activity_create"), "登记法治活动"),
        (reverse("legal:ledger") + f"?office={office.pk}&month=2024-05", "合计"),
        (reverse("legal:nominate", kwargs={"code": h.GACHA}), "推荐"),
        (reverse("legal:pair_set", kwargs={"code": h.GACHA}), "结对法律顾问"),
        (reverse("accounts:home"), "法律明白人(在册)"),
    ]
    for url, text in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), (url, text)
    with django_assert_max_num_queries(25):
        client.get(reverse("legal:coverage") + "?date=2024-12-31")
    with django_assert_max_num_queries(25):
        client.get(reverse("legal:person_detail", kwargs={"pk": person.pk}))
