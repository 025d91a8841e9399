"""Wage claims: workers, support suits, judicial aid — and that no worker is counted twice."""

import datetime as dt
import decimal

import pytest
from django.core.exceptions import ValidationError

from pingan.core import idcard
from pingan.org.models import Agency, AgencyKind
from pingan.procuratorate import services
from pingan.procuratorate.models import AidGrant, SupportStatus
from pingan.procuratorate.tests.helpers import procuratorate
from pingan.reports.registry import ReportContext, indicator
from pingan.testing.factories import area
from pingan.testing.personas import BANNER, TOWNSHIP

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def claim():
    return services.wage_claim_register(actor=None, procuratorate=procuratorate(), area=area(TOWNSHIP),
                                        project="海流图镇安置小区工程", contractor="郝某军", received_on=D(2024, 3, 1))


@pytest.fixture
def kongshen():
    return Agency.objects.create(name="控告申诉检察部", kind=AgencyKind.PROCURATORATE_DEPT, area=area(BANNER),
                                 parent=procuratorate())


def _workers(claim, n):
    return [services.wage_worker_add(actor=None, claim=claim, name=f"工人{i}", amount_owed=decimal.Decimal("4500.00"),
                                     id_number=idcard.make("150824", D(1980, 1, 1), 10 + i)) for i in range(n)]


def _aid_workers(year=2024):
    ctx = ReportContext(area(BANNER), year)
    return indicator("proc.judicial_aid_workers").compute(ctx)


def test_a_worker_needs_a_valid_id_number_and_a_decimal_amount(claim):
    with pytest.raises(ValidationError, match="校验位错误"):
        services.wage_worker_add(actor=None, claim=claim, name="王强", id_number="150824198001010011",
                                 amount_owed="100")
    with pytest.raises(ValidationError, match="不能用浮点数"):
        services.wage_worker_add(actor=None, claim=claim, name="王强", amount_owed=100.1,
                                 id_number=idcard.make("150824", D(1980, 1, 1), 3))
    with pytest.raises(ValidationError, match="最多两位小数"):
        services.wage_worker_add(actor=None, claim=claim, name="王强", amount_owed="100.123",
                                 id_number=idcard.make("150824", D(1980, 1, 1), 3))
    worker = services.wage_worker_add(actor=None, claim=claim, name="王强", amount_owed="1,200.5",
                                      id_number=idcard.make("150824", D(1980, 1, 1), 3).lower())
    assert worker.amount_owed == decimal.Decimal("1200.50")
    with pytest.raises(ValidationError, match="已在本案中登记"):
        services.wage_worker_add(actor=None, claim=claim, name="王强", amount_owed="1",
                                 id_number=worker.id_number)


def test_the_audit_row_of_a_worker_masks_the_id_number(claim):
    from pingan.core.models import AuditLog

    worker = _workers(claim, 1)[0]
    row = AuditLog.objects.filter(object_type="procuratorate.WageWorker").get()
    assert row.after["id_number"] == worker.id_masked != worker.id_number


def test_judicial_aid_counts_each_worker_once_across_referrals(claim, kongshen):
    a, b, c = _workers(claim, 3)
    first = services.aid_refer(actor=None, claim=claim, workers=[a, b], referred_to=kongshen, referred_on=D(2024, 6, 3))
    second = services.aid_refer(actor=None, claim=claim, workers=[b, c], referred_to=kongshen, referred_on=D(2024, 6, 20))
    services.aid_decide(actor=None, referral=first, decided_on=D(2024, 7, 1),
                        decisions=[(a, True, "3000", ""), (b, True, "3000", "")])
    with pytest.raises(ValidationError, match="已在本案中获得司法救助，不能重复救助"):
        services.aid_decide(actor=None, referral=second, decided_on=D(2024, 7, 10), decisions=[(b, True, "2000", "")])
    services.aid_decide(actor=None, referral=second, decided_on=D(2024, 7, 10),
                        decisions=[(b, False, 0, "已获救助"), (c, True, "2500.00", "")])
    assert _aid_workers() == 3
    # Even rows written around the service (an import, a correction) do not count a worker twice.
    AidGrant.objects.filter(referral=second, worker=b).update(granted=True, amount=decimal.Decimal("100.00"))
    assert _aid_workers() == 3
    ctx = ReportContext(area(BANNER), 2024)
    assert indicator("proc.judicial_aid_referred_workers").compute(ctx) == 3
    assert indicator("proc.judicial_aid_amount_yuan").compute(ctx) == decimal.Decimal("8600.00")


def test_aid_is_decided_only_for_referred_workers_with_an_amount_or_a_reason(claim, kongshen):
    a, b = _workers(claim, 2)
    referral = services.aid_refer(actor=None, claim=claim, workers=[a], referred_to=kongshen, referred_on=D(2024, 6, 3))
    with pytest.raises(ValidationError, match="不在本次移送名单中"):
        services.aid_decide(actor=None, referral=referral, decided_on=D(2024, 7, 1), decisions=[(b, True, "1", "")])
    with pytest.raises(ValidationError, match="须填写救助金额"):
        services.aid_decide(actor=None, referral=referral, decided_on=D(2024, 7, 1), decisions=[(a, True, "0", "")])
    with pytest.raises(ValidationError, match="须写明理由"):
        services.aid_decide(actor=None, referral=referral, decided_on=D(2024, 7, 1), decisions=[(a, False, 0, "")])
    with pytest.raises(ValidationError, match="控告申诉检察部门"):
        services.aid_refer(actor=None, claim=claim, workers=[a], referred_to=procuratorate(), referred_on=D(2024, 6, 3))


def test_a_support_suit_moves_through_its_steps_only_in_order(claim):
    workers = _workers(claim, 2)
    suit = services.support_suit_apply(actor=None, claim=claim, workers=workers, applied_on=D(2024, 4, 1))
    with pytest.raises(ValidationError, match="当前状态为“申请”，不能制发支持起诉书"):
        services.support_suit_advance(actor=None, suit=suit, action="issue", on=D(2024, 4, 2))
    services.support_suit_advance(actor=None, suit=suit, action="review", on=D(2024, 4, 2))
    suit = services.support_suit_advance(actor=None, suit=suit, action="issue", on=D(2024, 4, 9))
    assert suit.document_ref == "乌检民支诉〔2024〕1号"
    services.support_suit_advance(actor=None, suit=suit, action="court", on=D(2024, 4, 20), court="乌拉特中旗人民法院")
    suit = services.support_suit_advance(actor=None, suit=suit, action="decide", on=D(2024, 7, 1), outcome="调解结案",
                                         amount_awarded="9000.00")
    assert (suit.status, suit.amount_awarded) == (SupportStatus.DECIDED, decimal.Decimal("9000.00"))


def test_a_closed_claim_takes_no_more_actions_and_stops_counting_as_open(claim):
    ctx = ReportContext(area(BANNER), 2024)
    assert indicator("proc.wage_claims_open").compute(ctx) == 1
    services.wage_claim_close(actor=None, claim=claim, closed_on=D(2024, 12, 1), note="工资全部兑付")
    assert indicator("proc.wage_claims_open").compute(ctx) == 0
    with pytest.raises(ValidationError, match="已办结"):
        services.enforcement_record(actor=None, claim=claim, on=D(2024, 12, 2), action="x")


def test_a_claim_closed_after_the_year_still_counts_as_open_in_that_years_report(claim):
    services.wage_claim_close(actor=None, claim=claim, closed_on=D(2025, 1, 10))
    assert indicator("proc.wage_claims_open").compute(ReportContext(area(BANNER), 2024)) == 1
