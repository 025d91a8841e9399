"""Unit kinds and short names from the official codes and names."""

import pytest

from pingan.areas.models import AreaKind, Level
from pingan.areas.naming import kind_of, short_name_of


@pytest.mark.parametrize("code, name, level, kind", [
    ("150000000000", "内蒙古自治区", Level.PROVINCE, AreaKind.PROVINCE),
    ("150800000000", "巴彦淖尔市", Level.LEAGUE, AreaKind.LEAGUE),
    ("150824000000", "乌拉特中旗", Level.BANNER, AreaKind.BANNER),
    ("150824100000", "海流图镇", Level.TOWNSHIP, AreaKind.TOWN),
    ("150824200000", "呼勒斯太苏木", Level.TOWNSHIP, AreaKind.SUMU),
    ("150121200000", "某某乡", Level.TOWNSHIP, AreaKind.TOWNSHIP),
    ("150102001000", "某某街道", Level.TOWNSHIP, AreaKind.STREET),
    ("150824400000", "巴彦淖尔市牧洋海牧场有限公司", Level.TOWNSHIP, AreaKind.OTHER),
    ("150824100001", "乌兰大街社区居委会", Level.VILLAGE, AreaKind.COMMUNITY),
    ("150824100201", "巴仁宝勒格村村民委员会", Level.VILLAGE, AreaKind.VILLAGE),
    ("150824200201", "苏独仑嘎查委员会", Level.VILLAGE, AreaKind.GACHA),
    ("150824400500", "一分场村委会", Level.VILLAGE, AreaKind.OTHER),
])
def test_the_kind_comes_from_the_code_and_the_name(code, name, level, kind):
    assert kind_of(code, name, level) == kind


@pytest.mark.parametrize("name, kind, parent, short", [
    ("巴仁宝勒格村村民委员会", AreaKind.VILLAGE, "海流图镇", "巴仁宝勒格村"),
    ("苏独仑嘎查委员会", AreaKind.GACHA, "", "苏独仑嘎查"),
    ("巴音哈拉嘎查村", AreaKind.GACHA, "", "巴音哈拉嘎查"),
    ("乌兰大街社区居委会", AreaKind.COMMUNITY, "", "乌兰大街社区"),
    ("花园东路社区居民委员会", AreaKind.COMMUNITY, "", "花园东路社区"),
    ("第一居民委员会", AreaKind.COMMUNITY, "", "第一居委会"),
    ("内蒙古自治区鄂尔多斯市伊金霍洛旗阿勒腾席热镇西苑社区居民委员会", AreaKind.COMMUNITY, "阿勒腾席热镇", "西苑社区"),
    ("新街村委会", AreaKind.VILLAGE, "", "新街村"),
    ("一分场村委会", AreaKind.OTHER, "", "一分场"),
    ("海流图镇", AreaKind.TOWN, "乌拉特中旗", "海流图镇"),
])
def test_short_names_drop_the_committee_suffix_and_the_chain(name, kind, parent, short):
    assert short_name_of(name, kind, parent) == short
