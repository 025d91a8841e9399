"""乡村警务 indicators computed from the records, within the reader's scope."""

import pytest

from pingan.areas.models import Area
from pingan.incidents.tests.helpers import BANNER, at, register
from pingan.reports.registry import ReportContext, indicator, programmes

pytestmark = pytest.mark.django_db

FIGHT = "报警称村委会门口有5人喝酒后打架，2人受伤。"


def test_incidents_by_category_and_the_repeat_share(persona):
    register(content=FIGHT, category="殴打他人", phone="13900000001", caller="甲")
    register(content=FIGHT, category="殴打他人", when=at(minute=10), phone="13900000002", caller="乙")
    register(content="报警人称接到自称公安局民警的电话，转账5000元后发现被骗。", category="电信网络诈骗", when=at(day=9))
    register(content="报警人称家中被盗。", category="入户盗窃", address="乌加河镇双荣村2组", when=at(day=10))
    ctx = ReportContext(Area.objects.get(code=BANNER), 2024)
    values = {code: indicator(code).compute(ctx) for code in (
        "incidents.total", "incidents.theft", "incidents.fraud", "incidents.disputes", "incidents.repeat_clusters",
        "incidents.repeat_share_pct")}
    assert values == {"incidents.total": 4, "incidents.theft": 1, "incidents.fraud": 1, "incidents.disputes": 0,
                      "incidents.repeat_clusters": 1, "incidents.repeat_share_pct": 50}
    chief = ReportContext(Area.objects.get(code=BANNER), 2024, actor=persona("station_chief"))
    assert indicator("incidents.total").compute(chief) == 3  # 双荣村 is in the sibling township
    summary = next(p for p in programmes() if p.code == "policing").summary(ctx, values)
    assert "共接报警情4起" in summary[0] and "重复警情1组" in summary[0]
