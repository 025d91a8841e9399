"""The menu: grouped entries under their heading as a drop-down, in order, one bar at 1280 px."""

import re

import pytest

from pingan.core.navigation import grouped


def test_grouped_entries_gather_under_their_heading_in_the_order_of_the_first():
    items = [{"label": "工作台", "url": "/", "active": False, "group": ""},
             {"label": "警情", "url": "/incidents/", "active": False, "group": "警情案件"},
             {"label": "矛盾纠纷", "url": "/disputes/", "active": True, "group": "基层治理"},
             {"label": "案件", "url": "/cases/", "active": False, "group": "警情案件"},
             {"label": "走访", "url": "/disputes/visits/", "active": False, "group": "基层治理"},
             {"label": "反诈", "url": "/antifraud/", "active": False, "group": "专项工作"}]
    menu = grouped(items)
    assert [m["label"] for m in menu] == ["工作台", "警情案件", "基层治理", "反诈"]  # a group of one is its entry
    assert [c["label"] for c in menu[1]["children"]] == ["警情", "案件"] and not menu[1]["active"]
    assert menu[2]["active"] and "children" not in menu[3]


@pytest.mark.django_db
def test_the_bureau_leader_gets_a_short_bar_with_every_page_still_linked(client_as):
    html = client_as("hq_officer").get("/incidents/").content.decode()
    nav = html[html.index("<nav"):html.index("</nav>")]
    top = re.findall(r'<li class="nav-item[^"]*">\s*<a class="nav-link[^"]*"[^>]*>([^<]+)</a>', nav)
    assert len(top) <= 9, top
    assert "警情案件" in top and "警情" not in top
    for url in ("/incidents/", "/cases/", "/disputes/", "/antifraud/", "/reports/"):
        assert f'href="{url}' in nav, url
    assert re.search(r'class="nav-link dropdown-toggle active"[^>]*>警情案件<', nav)  # where the reader is
