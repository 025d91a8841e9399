import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pingan.core.models import AuditAction, AuditLog
from pingan.disputes.models import Dispute
from pingan.disputes.tests import builders as dispute_builders
from pingan.legal import selectors, services
from pingan.legal.exports import LEDGER_HEADERS
from pingan.legal.tests import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def may_2024():
    me, other = h.legal_person(h.GACHA, name="巴特尔"), h.legal_person(h.COMMUNITY, name="=HYPERLINK(1)")
    far = h.legal_person(h.SIBLING_GACHA, name="邻镇")
    adviser = h.adviser()

    def act(kind, day, village, people, **kw):
        return services.activity_record(actor=None, kind=kind, date=dt.date(2024, 5, day), village=h.area(village),
                                        participants=people, **kw)

    act("publicity", 3, h.GACHA, [me], title="民法典宣传月进嘎查", place="党群服务中心", audience="牧民", audience_count=60,
        adviser=adviser, materials="发放宣传手册200份")
    act("mediation", 9, h.COMMUNITY, [other], title="邻里纠纷", parties="张三、李四", outcome="调解成功", audience_count=2)
    grassland = dispute_builders.dispute(at=h.GACHA, title="草场边界纠纷")
    act("mediation", 20, h.GACHA, [me, other], title="草场边界纠纷", parties="王五、赵六", outcome="调解成功",
        dispute_ref=grassland.number)
    act("visit", 28, h.GACHA, [me], title="走村串户", summary="走访牧户12户", audience_count=12)
    act("publicity", 30, h.SIBLING_GACHA, [far], title="邻镇的宣传", place="广场", audience="居民", audience_count=99)
    services.activity_record(actor=None, kind="consultation", date=dt.date(2024, 6, 1), village=h.area(h.GACHA),
                             participants=[me], title="六月咨询", summary="婚姻继承")
    return h.agency("judicial_office", h.TOWNSHIP)


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def test_the_ledger_holds_the_offices_activities_of_the_month_only(may_2024):
    ledger = selectors.ledger(None, may_2024, 2024, 5)
    assert [a.title for a in ledger.activities] == ["民法典宣传月进嘎查", "邻里纠纷", "草场边界纠纷", "走村串户"]
    assert ledger.totals() == {"publicity": 1, "mediation": 2, "consultation": 0, "visit": 1}
    assert ledger.audience_total == 60 + 2 + 0 + 12


def test_the_ledger_exports_in_the_usual_form_with_a_total_row(may_2024):
    office_user = h.office_user()
    client = Client()
    client.force_login(office_user)
    ws = _sheet(client.get(reverse("legal:ledger"), {"month": "2024-05", "export": "xlsx"}))
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "“法律明白人”工作月度台账（2024年5月）"
    assert rows[1][0] == f"填报单位：{may_2024.name}" and rows[1][7] == "填报月份：2024年5月"
    assert tuple(rows[2]) == LEDGER_HEADERS
    body = rows[3:7]
    assert [r[0] for r in body] == [1, 2, 3, 4]
    assert body[0][1] == dt.datetime(2024, 5, 3) and body[0][3] == "法治宣传" and body[0][9] == "王律师"
    # The office is entitled to full personal data: parties in full; the dispute it is linked to.
    linked = Dispute.objects.get(title="草场边界纠纷")
    assert body[2][6] == "王五、赵六" and body[2][11] == f"关联纠纷{linked.number}"
    assert body[2][8] == "'=HYPERLINK(1)、巴特尔"  # formula-like text is neutralised
    total = rows[7]
    assert total[0] == "合计" and total[1] == "4项" and total[3] == "宣传1、调解2、咨询0、走访1" and total[7] == 74
    assert rows[9][0].startswith("填报人：sifasuo")
    audit = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert audit.actor_login == "sifasuo" and audit.after == {"rows": 4, "month": "2024-05"}


def test_the_bureau_picks_any_office_of_the_banner_and_another_office_is_404_to_an_office(may_2024):
    sibling = h.agency("judicial_office", h.SIBLING_TOWNSHIP)
    bureau = Client()
    bureau.force_login(h.bureau_user())
    ws = _sheet(bureau.get(reverse("legal:ledger"), {"office": sibling.pk, "month": "2024-05", "export": "xlsx"}))
    assert ws["A5"].value == "合计" and ws["E4"].value == "邻镇的宣传"
    office = Client()
    office.force_login(h.office_user())
    assert office.get(reverse("legal:ledger"), {"office": sibling.pk, "month": "2024-05"}).status_code == 404
    page = office.get(reverse("legal:ledger"), {"month": "2024-05"}).content.decode()
    assert "草场边界纠纷" in page and "邻镇的宣传" not in page and "合计" in page
