"""pingan incidents repeats --format json."""

import json

import pytest
from django.core.management import call_command

from pingan.incidents.tests.helpers import at, register

pytestmark = pytest.mark.django_db


def test_repeats_prints_every_group_with_numbers_and_reasons(capsys):
    fight = "报警称村委会门口有5人喝酒后打架，2人受伤。"
    register(number="A1", content=fight, phone="13900000001", caller="甲")
    register(number="A2", content="群众报警村委会门口几个人喝酒后打起来了，2人受伤。", address="巴仁宝勒格3社",
             when=at(minute=20), phone="13900000002", caller="乙")
    register(number="A3", content="报警称家中着火。", category="房屋火灾", address="苏独仑村4组", when=at(day=2))
    call_command("incidents", "repeats", "--banner", "150824", "--from", "2024-03-01", "--to", "2024-03-31",
                 "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert len(data["clusters"]) == 1
    cluster = data["clusters"][0]
    assert set(cluster) >= {"id", "kind", "incidents", "reasons"}
    assert cluster["kind"] == "multi_caller" and cluster["incidents"] == ["A1", "A2"]
    assert isinstance(cluster["id"], int) and cluster["reasons"][0].startswith("A2重复A1：同一事件多人报警")
    assert "相隔20分钟" in cluster["reasons"][0]
    call_command("incidents", "repeats", "--banner", "150824", "--from", "2024-04-01", "--to", "2024-04-30")
    assert json.loads(capsys.readouterr().out)["clusters"] == []
