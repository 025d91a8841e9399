import decimal

import pytest

from pingan.areas.models import Area
from pingan.procuratorate import demo
from pingan.procuratorate.models import Suggestion, WageWorker
from pingan.reports.registry import ReportContext, compute_all
from pingan.reports.text import report_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    demo.build()
    return ReportContext(Area.objects.get(code="150627000000"), 2024)


def test_the_demo_gives_the_articles_figures_for_2024(built):
    values = compute_all(built)
    assert values["proc.suggestions_issued"] == 4
    assert values["proc.suggestions_rectified"] == 4
    assert 60 <= values["proc.judicial_aid_workers"] <= 69
    assert values["proc.judicial_aid_workers"] == values["proc.judicial_aid_referred_workers"]
    assert values["proc.suggestions_overdue"] == 0
    assert values["proc.wage_claims_open"] == 1
    assert values["proc.fraud_cross_border"] == 1
    assert values["proc.amount_recovered_yuan"] > 0
    assert isinstance(values["proc.amount_recovered_yuan"], decimal.Decimal)
    assert values["proc.fundraising_events"] == 3


def test_the_demo_summary_reads_like_the_article(built):
    text = report_text(built, compute_all(built))
    assert "制发检察建议4件" in text
    assert "部分商店销售过期食品、村医非法售卖假药、药店无处方销售氢溴酸右美沙芬、公共场所设置自动售货机销售香烟缺乏有效的年龄核验机制" in text
    assert "现辖区内已完成全面整改" in text
    assert "现60余名农民工全部获得司法救助" in text
    assert "其中缅北涉电信诈骗案件1件" in text


def test_the_demo_is_idempotent_and_deterministic(built):
    names = list(WageWorker.objects.order_by("id").values_list("name", "id_number", "amount_owed"))
    count = Suggestion.objects.count()
    demo.build()
    assert Suggestion.objects.count() == count
    assert list(WageWorker.objects.order_by("id").values_list("name", "id_number", "amount_owed")) == names
