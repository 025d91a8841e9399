"""The demo: the bureau's 2024 figures from individual records; idempotent."""

import decimal

import pytest

from pingan.areas.models import Area
from pingan.cases import demo
from pingan.cases.models import Campaign, Case, Operation
from pingan.reports.registry import ReportContext, compute_all
from pingan.reports.text import report_text, values_json

pytestmark = pytest.mark.django_db

FIGURES = {
    "cases.porn.criminal": 1, "cases.porn.administrative": 3, "cases.porn.persons_dealt": 5,
    "cases.gambling.administrative": 13, "cases.gambling.person_times_dealt": 53,
    "antifraud.recovered_yuan": decimal.Decimal("842518.00"), "theft.cases_solved": 29, "theft.suspects_caught": 21,
}


@pytest.fixture
def built():
    demo.build()
    return ReportContext(Area.objects.get(code="150824000000"), 2024)


def test_the_demo_gives_the_bureaus_figures_for_2024(built):
    values = compute_all(built)
    assert {code: values[code] for code in FIGURES} == FIGURES
    assert '"antifraud.recovered_yuan": 842518.00' in values_json(values)
    # The background is there and differs: persons vs person-times, 2023 rows, unsolved cases.
    assert values["cases.porn.person_times_dealt"] == 7
    assert values["cases.gambling.persons_dealt"] == 48
    assert values["theft.accepted"] > values["theft.cases_solved"] - 1
    assert values["campaigns.count"] == 2 and values["operations.count"] == 1
    assert compute_all(ReportContext(built.banner, 2023))["cases.porn.administrative"] == 1
    # The summary reads as the bureau writes it.
    text = report_text(built, values)
    assert "2024年办理涉黄刑事案件1起，涉黄行政案件3起，打击处理违法人员5人；办理涉赌行政案件13起，打击处理53人次" in text
    assert "破获盗窃案件29起，抓获犯罪嫌疑人21人" in text
    assert "“大清查大整治大收缴”“夏季行动”等专项行动" in text
    # The synthetic operation spans two stations.
    op = Operation.objects.get()
    stations = set(Case.objects.filter(operation=op).values_list("station__area__code", flat=True))
    assert stations == {"150824100000", "150824101000"}


def test_the_demo_is_idempotent(built):
    counts = (Case.objects.count(), Campaign.objects.count())
    demo.build()
    assert (Case.objects.count(), Campaign.objects.count()) == counts
