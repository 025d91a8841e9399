"""The demo gives the published 2024 figures of 乌拉特中旗, computed from individual records."""

import decimal

import pytest

from pingan.antifraud import demo
from pingan.antifraud.models import Dissuasion, FraudWarning, Outcome, RegistrationSnapshot
from pingan.areas.models import Area
from pingan.reports.registry import ReportContext, compute_all
from pingan.reports.text import report_text, values_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    demo.build()
    return ReportContext(Area.objects.get(code="150824000000"), 2024)


def test_the_demo_gives_the_articles_figures_for_2024(built):
    values = compute_all(built)
    assert values["antifraud.app_new_registrations"] == 11380
    assert values["antifraud.app_install_rate_change_pp"] == decimal.Decimal("10.15")
    assert 1450 <= values["antifraud.dissuasion_person_times"] <= 1459
    assert 1_000_000 <= values["antifraud.dissuaded_amount_yuan"] <= 1_099_999
    assert isinstance(values["antifraud.dissuaded_amount_yuan"], decimal.Decimal)
    assert values["antifraud.publicity_events"] > 100
    json = values_json(values)
    assert '"antifraud.app_install_rate_change_pp": 10.15' in json
    assert '"antifraud.app_new_registrations": 11380' in json


def test_the_figures_come_from_records_that_do_not_all_count(built):
    # figures after the year, villages starting mid-year, answered and unanswered warnings are there
    assert RegistrationSnapshot.objects.filter(on__year=2025).exists()
    first = {s.area_id: s.on for s in RegistrationSnapshot.objects.order_by("-on")}
    assert any(on.year == 2024 for on in first.values())
    assert Dissuasion.objects.exclude(outcome=Outcome.SUCCESS).exists()
    assert FraudWarning.objects.filter(dissuasions__isnull=True).count() == demo.PENDING
    assert Dissuasion.objects.filter(outcome=Outcome.SUCCESS, warning__isnull=True).count() == demo.WALK_IN_SUCCESSES


def test_the_demo_summary_reads_like_the_article(built):
    text = report_text(built, compute_all(built))
    assert "民警深入超市、街道、宾馆等人员密集场所" in text
    assert "乌拉特中旗推广“国家反诈中心”APP新增注册人员11380人，安装率较年初上升10.15个百分点，" in text
    assert "进行反诈线下预警现场劝阻群众1450余人次，预警劝阻转账资金100余万元" in text


def test_the_summary_quotes_the_recovered_losses_of_the_cases_app_when_there(built):
    from pingan.antifraud.indicators import _summary

    values = {**compute_all(built), "antifraud.recovered_yuan": decimal.Decimal("842518.00")}
    assert "，追赃挽损84.2518万元。" in _summary(built, values)[0]


def test_the_demo_is_idempotent_and_deterministic(built):
    rows = list(Dissuasion.objects.order_by("id").values_list("person_name", "id_number", "amount_kept", "on"))
    count = RegistrationSnapshot.objects.count()
    demo.build()
    assert RegistrationSnapshot.objects.count() == count
    assert list(Dissuasion.objects.order_by("id").values_list("person_name", "id_number", "amount_kept", "on")) == rows
