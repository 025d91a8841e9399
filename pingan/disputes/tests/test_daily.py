"""The disputes' section of the daily review (每日警情梳理, in the incidents app)."""

import datetime as dt

import pytest
from django.utils import timezone

from pingan.disputes.daily import raised_disputes_section
from pingan.disputes.tests import builders as b

pytestmark = pytest.mark.django_db


def test_the_section_lists_the_raises_of_the_day_with_their_reason_in_scope(persona):
    b.dispute(title="扬言喝农药的纠纷")
    b.dispute(at=b.OTHER_TOWNSHIP_VILLAGE, title="外镇扬言报复的纠纷")
    b.dispute(title="平稳的纠纷")
    today = timezone.localdate()
    section = raised_disputes_section(persona("station_chief"), today)
    assert [row[3] for row in section.rows] == ["扬言喝农药的纠纷"]
    assert section.rows[0][4] == "蓝→红" and "“喝农药”" in section.rows[0][6]
    assert raised_disputes_section(persona("station_chief"), today - dt.timedelta(days=1)).rows == []
    assert len(raised_disputes_section(persona("hq_officer"), today).rows) == 2
    assert raised_disputes_section(persona("hq_officer"), today, b.SIBLING_TOWNSHIP).rows[0][3] == "外镇扬言报复的纠纷"


def test_the_daily_review_page_shows_the_section(client_as):
    daily = pytest.importorskip("pingan.incidents.daily")
    assert raised_disputes_section in daily._sections
    b.dispute(title="扬言同归于尽的纠纷")
    page = client_as("station_chief").get(f"/incidents/daily/?date={timezone.localdate().isoformat()}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "风险升级的矛盾纠纷" in html and "扬言同归于尽的纠纷" in html
