"""The pages: registering, the steps on the dispute page, the phone visit form, hazards, exports."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from pingan.core.models import AuditAction, AuditLog
from pingan.disputes import services
from pingan.disputes.models import Dispute, DisputeStatus, Hazard, Visit
from pingan.disputes.tests import builders as b
from pingan.org.models import StaffCategory
from pingan.testing.factories import StaffFactory

pytestmark = pytest.mark.django_db
S = DisputeStatus
TODAY = timezone.localdate


def test_registering_a_dispute_with_its_parties(client_as, persona):
    client = client_as("village_officer")
    form = client.get("/disputes/new/")
    assert form.status_code == 200 and form.context["form"].initial["area"].code == b.VILLAGE
    data = {"area": b.village().pk, "title": "草场边界纠纷，对方扬言报复", "kind": "土地草场", "source": "visit",
            "description": "两户牧民因草场围栏位置争执", "p-TOTAL_FORMS": 3, "p-INITIAL_FORMS": 0,
            "p-0-name": "巴特尔", "p-0-role": "申请人", "p-0-phone": "13847100001",
            "p-1-name": "苏和", "p-1-role": "被申请人", "p-1-id_number": ""}
    response = client.post("/disputes/new/", data)
    d = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/disputes/{d.pk}/"
    assert [p.name for p in d.parties.all()] == ["巴特尔", "苏和"]
    assert d.risk == b.ORANGE and d.registered_by == persona("village_officer")


def test_a_bad_id_number_is_refused_on_the_form(client_as):
    data = {"area": b.village().pk, "title": "债务纠纷", "kind": "债务", "source": "walk_in",
            "p-TOTAL_FORMS": 1, "p-INITIAL_FORMS": 0, "p-0-name": "王建国", "p-0-role": "申请人",
            "p-0-id_number": "15082419900517001X"}
    response = client_as("village_officer").post("/disputes/new/", data)
    assert response.status_code == 200 and "身份证号码校验位错误" in response.content.decode()
    assert not Dispute.objects.exists()


def test_registering_from_an_incident_prefills_the_caller(client_as):
    inc = b.incident(phone="13847100001", name="张海军", content="邻居因院墙争执")
    form = client_as("station_chief").get(f"/disputes/new/?incident={inc.pk}")
    assert form.context["form"].initial["source"] == "incident"
    assert form.context["parties"].initial[0]["name"] == "张海军"
    assert client_as("judicial_office").get(f"/disputes/new/?incident={inc.pk}").status_code == 404


def test_the_steps_on_the_dispute_page(client_as, persona):
    d = b.dispute(actor=persona("station_chief"))
    client = client_as("station_chief")
    page = client.get(f"/disputes/{d.pk}/")
    assert set(page.context["actions"]) >= {"assess", "extend", "party"} and "assign" not in page.context["actions"]
    client.post(f"/disputes/{d.pk}/assess/", {"risk": 2, "reason": "双方情绪尚可"})
    mediator = b.mediator()
    client.post(f"/disputes/{d.pk}/assign/", {"staff": mediator.pk})
    response = client.post(f"/disputes/{d.pk}/session/", {"held_on": TODAY(), "outcome": "success",
                                                           "summary": "双方达成协议", "agreement": "各退一步"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert (d.status, d.risk, d.assigned_staff) == (S.FOLLOW_UP, b.YELLOW, mediator)
    client.post(f"/disputes/{d.pk}/follow-up/", {"on": TODAY(), "method": "电话", "stable": "1", "satisfied": "1"})
    client.post(f"/disputes/{d.pk}/close/", {"note": "已化解"})
    d.refresh_from_db()
    assert d.status == S.CLOSED


def test_an_illegal_step_on_the_page_is_refused_with_a_message(client_as, persona):
    d = b.dispute(actor=persona("station_chief"))
    response = client_as("station_chief").post(f"/disputes/{d.pk}/close/", {}, follow=True)
    assert "当前状态为“已登记”，不能办结" in response.content.decode()
    d.refresh_from_db()
    assert d.status == S.REGISTERED


def test_parties_are_masked_and_revealed_on_request_with_an_audit_row(client_as, persona):
    d = b.dispute(actor=persona("station_chief"))
    page = client_as("station_chief").get(f"/disputes/{d.pk}/").content.decode()
    assert "13847100001" not in page and "138****0001" in page
    response = client_as("station_chief").post(f"/disputes/{d.pk}/parties/reveal/")
    assert "13847100001" in response.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.VIEW_PII, object_id=str(d.pk)).count() == 1
    assert client_as("village_officer").post(f"/disputes/{d.pk}/parties/reveal/").status_code == 403


def test_notifications_are_listed_and_read_when_the_dispute_is_opened(client_as, persona):
    b.station()
    d = b.dispute(actor=persona("grid_worker"), title="扬言同归于尽")
    client = client_as("station_chief")
    items = {i.title: i for i in client.get("/").context["items"]}
    assert items["矛盾纠纷提醒(风险升级、分派、督办)"].count == 1
    assert "风险由蓝升为红" in client.get("/disputes/notifications/").content.decode()
    client.get(f"/disputes/{d.pk}/")
    items = {i.title: i for i in client.get("/").context["items"]}
    assert items["矛盾纠纷提醒(风险升级、分派、督办)"].count == 0


def test_the_dispute_export_is_the_filtered_list_without_phones_and_is_audited(client_as, persona):
    b.dispute(actor=persona("station_chief"), title="工地欠薪", kind="劳资", people_involved=8)
    b.dispute(actor=persona("station_chief"), title="院墙纠纷")
    b.dispute(at=b.SIBLING_VILLAGE, title="邻村纠纷")
    response = client_as("village_officer").get("/disputes/?export=xlsx&risk=3")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.values)
    assert rows[0][:4] == ("编号", "登记时间", "乡镇(苏木)", "村(嘎查、社区)")
    assert [r[5] for r in rows[1:]] == ["工地欠薪"]
    assert rows[1][7] == "橙" and "13847100001" not in str(rows)
    row = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert row.object_type == "disputes.Dispute" and row.after == {"rows": 1, "filters": {"risk": "3"}}


def test_the_overdue_filter_and_column(client_as, persona):
    b.dispute(actor=persona("station_chief"), title="拖了很久的纠纷", days_ago=40)
    b.dispute(actor=persona("station_chief"), title="新纠纷")
    response = client_as("station_chief").get("/disputes/?overdue=true&export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [(r[5], r[11]) for r in rows[1:]] == [("拖了很久的纠纷", "超期10天")]


# ---- 走访 and 隐患 --------------------------------------------------------------------------------

@pytest.fixture
def grid_worker_with_staff(persona):
    user = persona("grid_worker")
    staff = StaffFactory(name="网格员甲", category=StaffCategory.GRID_WORKER, agency=user.agency, area=b.village())
    user.staff = staff
    user.save()
    return user


def test_the_phone_form_defaults_to_today_the_own_village_and_oneself(client_as, grid_worker_with_staff):
    form = client_as("grid_worker").get("/disputes/visits/new/")
    initial = form.context["form"].initial
    assert initial["visited_on"] == TODAY() and initial["area"].code == b.VILLAGE
    assert initial["team"] == [grid_worker_with_staff.staff_id]
    page = form.content.decode()
    assert 'type="radio"' in page and "网格员甲" in page and "保存走访" in page


def test_a_visit_on_the_phone_logs_a_lead_and_a_hazard_in_one_go(client_as, grid_worker_with_staff):
    officer = StaffFactory(name="辅警乙", category=StaffCategory.AUXILIARY, agency=b.station(), area=b.village())
    data = {"area": b.village().pk, "visited_on": TODAY(), "place_kind": "工地", "place_name": "村东砂石料场工地",
            "team": [grid_worker_with_staff.staff_id, officer.pk], "findings": "12名工人反映工资拖欠三个月",
            "dispute_title": "砂石料场拖欠12名工人工资", "dispute_kind": "劳资",
            "hazard_description": "配电箱无防护，电线私拉乱接", "hazard_category": "生产", "hazard_severity": "较大",
            "hazard_responsible": "料场负责人"}
    response = client_as("grid_worker").post("/disputes/visits/new/", data)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/disputes/visits/{visit.pk}/"
    assert {s.name for s in visit.team.all()} == {"网格员甲", "辅警乙"}
    lead = Dispute.objects.get()
    assert (lead.source, lead.source_visit, lead.reporter) == ("visit", visit, grid_worker_with_staff.staff)
    hazard = Hazard.objects.get()
    assert hazard.visit == visit and hazard.deadline == TODAY() + dt.timedelta(days=15)


def test_a_team_member_from_another_township_is_refused(client_as, grid_worker_with_staff):
    stranger = b.mediator(b.OTHER_TOWNSHIP_VILLAGE)
    with pytest.raises(Exception, match="不在巴仁宝勒格村所在乡镇"):
        services.visit_log(actor=grid_worker_with_staff, area=b.village(), place_kind="村居", place_name="牧户",
                           team=[stranger])


def test_a_hazard_is_tracked_to_rectification(client_as, persona):
    hazard = services.hazard_report(actor=persona("village_officer"), area=b.village(), place_kind="学校",
                                    place_name="巴仁宝勒格小学", category="消防", description="灭火器过期",
                                    found_on=TODAY() - dt.timedelta(days=40))
    assert hazard.deadline == hazard.found_on + dt.timedelta(days=30) and hazard.is_overdue
    assert Hazard.objects.overdue().count() == 1
    client = client_as("village_officer")
    bad = client.post(f"/disputes/hazards/{hazard.pk}/rectify/",
                      {"rectified_on": TODAY() - dt.timedelta(days=50), "evidence": "已更换"}, follow=True)
    assert "整改完成日期不能早于发现日期" in bad.content.decode()
    client.post(f"/disputes/hazards/{hazard.pk}/rectify/", {"rectified_on": TODAY(), "evidence": "已更换全部灭火器，见照片"})
    hazard.refresh_from_db()
    assert hazard.status == "rectified" and not hazard.is_overdue
    rows = list(load_workbook(io.BytesIO(client.get("/disputes/hazards/?export=xlsx").content)).active.values)
    assert rows[1][-1] == "超期整改"


def test_list_pages_render_for_every_reader(client_as):
    b.dispute(title="渲染测试")
    for login in ("hq_officer", "grid_worker", "legal_literate", "justice_clerk"):
        client = client_as(login)
        for url in ("/disputes/", "/disputes/visits/", "/disputes/hazards/", "/disputes/notifications/",
                    "/disputes/new/", "/disputes/visits/new/", "/disputes/hazards/new/"):
            assert client.get(url).status_code == 200, (login, url)


@pytest.mark.parametrize("url, make", [
    ("/disputes/", lambda n: [b.dispute(title=f"纠纷{i}") for i in range(n)]),
    ("/disputes/visits/", lambda n: [services.visit_log(actor=None, area=b.village(), place_kind="村居",
                                                        place_name=f"牧户{i}", team=[b.mediator()]) for i in range(n)]),
])
def test_list_pages_do_not_grow_queries_with_rows(client_as, url, make):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("station_chief")
    make(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make(10)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries][-5:]


def test_a_dispute_registered_from_a_visit_keeps_the_link(client_as, grid_worker_with_staff):
    visit = services.visit_log(actor=grid_worker_with_staff, area=b.village(), place_kind="村居",
                               place_name="巴特尔家牧户", team=[grid_worker_with_staff.staff], findings="两户因草场围栏争执")
    client = client_as("grid_worker")
    form = client.get(f"/disputes/new/?visit={visit.pk}")
    assert form.context["form"].initial["source"] == "visit"
    data = {"area": b.village().pk, "title": "草场围栏纠纷", "kind": "土地草场", "source": "visit", "visit": visit.pk,
            "p-TOTAL_FORMS": 1, "p-INITIAL_FORMS": 0, "p-0-name": "巴特尔", "p-0-role": "申请人"}
    client.post(f"/disputes/new/?visit={visit.pk}", data)
    assert Dispute.objects.get().source_visit == visit
    sibling = services.visit_log(actor=None, area=b.village(b.SIBLING_VILLAGE), place_kind="村居", place_name="邻村牧户",
                                 team=[b.mediator(b.SIBLING_VILLAGE)])
    assert client.get(f"/disputes/new/?visit={sibling.pk}").status_code == 404
