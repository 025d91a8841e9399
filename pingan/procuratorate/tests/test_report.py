"""The indicators and the Chinese summary (worded as the article)."""

import datetime as dt
import decimal

import pytest

from pingan.procuratorate import services
from pingan.procuratorate.indicators import _summary, approx, wan
from pingan.procuratorate.models import Field, Verification
from pingan.procuratorate.tests.helpers import admin_agency, served
from pingan.reports.registry import ReportContext, compute_all, indicator
from pingan.testing.factories import area
from pingan.testing.personas import BANNER

pytestmark = pytest.mark.django_db


def _ctx(actor=None, year=2024):
    return ReportContext(area(BANNER), year, actor)


def _rectify(s, on=dt.date(2024, 6, 1)):
    services.suggestion_reply(actor=None, suggestion=s, reply="已整改", replied_on=on - dt.timedelta(days=10))
    services.suggestion_start_verification(actor=None, suggestion=s, on=on)
    return services.suggestion_verify(actor=None, suggestion=s, result=Verification.DONE, on=on)


def test_head_counts_are_written_as_the_article_does():
    assert [approx(n) for n in (8, 60, 63, 69, 70, 124)] == ["8", "60", "60余", "60余", "70", "120余"]


def test_money_in_running_text_is_in_wan_yuan_above_ten_thousand():
    assert wan(decimal.Decimal("842518.00")) == "84.2518万元"
    assert wan(decimal.Decimal("186000.00")) == "18.6万元"
    assert wan(decimal.Decimal("3500.5")) == "3500.50元"


def test_the_programme_has_the_codes_the_issue_names():
    for code in ("proc.suggestions_issued", "proc.suggestions_rectified", "proc.judicial_aid_workers",
                 "proc.suggestions_overdue", "proc.wage_claims_open", "proc.amount_recovered_yuan"):
        assert indicator(code).programme == "proc"
    assert indicator("proc.amount_recovered_yuan").decimals == 2


def test_suggestions_count_by_the_day_they_were_served():
    served(served_on=dt.date(2023, 12, 20), title="去年的")
    s = served(served_on=dt.date(2024, 1, 20))
    values = compute_all(_ctx())
    assert (values["proc.suggestions_issued"], values["proc.suggestions_rectified"]) == (1, 0)
    assert values["proc.suggestions_overdue"] == 1  # due 2024-03-20, never answered
    _rectify(s)
    values = compute_all(_ctx())
    assert (values["proc.suggestions_rectified"], values["proc.suggestions_overdue"]) == (1, 0)


def test_the_summary_says_all_rectified_only_when_all_are():
    first = served(served_on=dt.date(2024, 3, 1), matter="部分商店销售过期食品")
    served(served_on=dt.date(2024, 4, 1), matter="村医非法售卖假药", title="第二份")
    _rectify(first)
    text = "".join(_summary(_ctx(), compute_all(_ctx())))
    assert "围绕辖区部分商店销售过期食品、村医非法售卖假药等违法情形，制发检察建议2件" in text
    assert "目前已整改完毕1件，1件逾期未回复" in text
    assert "全面整改" not in text


def test_the_summary_is_empty_without_figures_and_cut_to_the_readers_scope(persona):
    assert _summary(_ctx(), compute_all(_ctx())) == []
    liaison = persona("liaison")
    served(admin_agency("卫生健康委员会"), served_on=dt.date(2024, 3, 1), field=Field.FOOD_DRUG)
    served(liaison.agency, served_on=dt.date(2024, 3, 5), matter="药店无处方销售氢溴酸右美沙芬", title="第二份")
    values = compute_all(_ctx(liaison))
    assert values["proc.suggestions_issued"] == 1
    text = "".join(_summary(_ctx(liaison), values))
    assert "围绕辖区药店无处方销售氢溴酸右美沙芬等违法情形，制发检察建议1件" in text
