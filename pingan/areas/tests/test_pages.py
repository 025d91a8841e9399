"""The jurisdiction browser pages. (Who may open which page at which place: the permission matrix.)"""

import pytest
from django.urls import reverse

from pingan.areas.models import Area, AreaKind
from pingan.testing.factories import area
from pingan.testing.personas import BANNER, SIBLING_VILLAGE, TOWNSHIP, VILLAGE

pytestmark = pytest.mark.django_db



def test_the_browser_opens_at_the_root_of_the_users_jurisdiction(client_as):
    response = client_as("station_chief").get(reverse("areas:browse"))
    assert response["Location"] == reverse("areas:detail", args=[TOWNSHIP])
    response = client_as("grid_worker").get(reverse("areas:browse"))
    assert response["Location"] == reverse("areas:detail", args=[VILLAGE])


def test_a_township_page_lists_its_villages_and_a_breadcrumb_cut_by_scope(client_as):
    page = client_as("station_chief").get(reverse("areas:detail", args=[TOWNSHIP]))
    html = page.content.decode()
    assert "巴仁宝勒格村" in html and "巴彦塔拉村" in html
    assert [a.code for a in page.context["breadcrumb"]] == []  # the chief sees nothing above the township
    page = client_as("hq_officer").get(reverse("areas:detail", args=[VILLAGE]))
    assert [a.code for a in page.context["breadcrumb"]] == [BANNER, TOWNSHIP]


def test_the_page_offers_editing_only_to_tree_editors(client_as):
    assert client_as("station_chief").get(reverse("areas:detail", args=[VILLAGE])).context["can_add_grid"]
    officer = client_as("village_officer").get(reverse("areas:detail", args=[VILLAGE]))
    assert not officer.context["can_edit"] and "新增网格" not in officer.content.decode()
    township = client_as("station_chief").get(reverse("areas:detail", args=[TOWNSHIP]))
    assert township.context["can_edit"] and not township.context["can_add_grid"]


def test_a_grid_is_added_from_the_village_page(client_as):
    client = client_as("station_chief")
    response = client.post(reverse("areas:grid_create", args=[VILLAGE]), {"name": "第一网格", "population": "300"},
                           follow=True)
    assert "已新增网格“第一网格”" in response.content.decode()
    assert Area.objects.get(parent__code=VILLAGE, kind=AreaKind.GRID).population == 300


def test_a_refused_grid_shows_the_reason_and_writes_nothing(client_as):
    client = client_as("station_chief")
    response = client.post(reverse("areas:grid_create", args=[TOWNSHIP]), {"name": "第一网格"}, follow=True)
    assert "网格只能建在村、嘎查或社区之下" in response.content.decode()
    response = client.post(reverse("areas:grid_create", args=[VILLAGE]), {"name": "", "population": "-1"}, follow=True)
    assert "网格信息填写有误" in response.content.decode()
    assert not Area.objects.filter(kind=AreaKind.GRID).exists()


def test_population_is_saved_from_the_page(client_as):
    client = client_as("hq_officer")
    client.post(reverse("areas:population_update", args=[SIBLING_VILLAGE]), {"population": "800", "households": "260"})
    assert (area(SIBLING_VILLAGE).population, area(SIBLING_VILLAGE).households) == (800, 260)
    response = client.post(reverse("areas:population_update", args=[SIBLING_VILLAGE]), {"population": "-3"},
                           follow=True)
    assert "人口、户数须为不小于0的整数" in response.content.decode()
    assert area(SIBLING_VILLAGE).population == 800


def test_the_detail_page_lists_children_in_a_bounded_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as("hq_officer")
    client.get(reverse("areas:detail", args=[BANNER]))  # warm up the session and menus
    with django_assert_max_num_queries(15):
        page = client.get(reverse("areas:detail", args=[BANNER]))
    assert len(page.context["children"]) == 12
