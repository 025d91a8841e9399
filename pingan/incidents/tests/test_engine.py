"""The repeat engine without the database: normalising, places, links with reasons, decisions,
the online index, and the evaluation set."""

import datetime as dt

import pytest

from pingan.incidents.repeats import engine, evalset, normalise
from pingan.incidents.repeats.places import VILLAGE, gazetteer_from_csv

T0 = dt.datetime(2024, 3, 1, 9, 0).timestamp()


@pytest.fixture(scope="module")
def gaz():
    return gazetteer_from_csv(str(evalset.DIVISIONS), "150824")


@pytest.mark.parametrize("text", ["巴仁宝勒格村三组", "巴仁宝勒格3组", "巴仁宝勒格三社", "巴仁宝勒格第三村民小组",
                                  "海流图镇巴仁宝勒格村３社", "巴仁宝勒格村十二组"[:-3] + "三组"])
def test_it_reads_the_group_however_it_is_written(text):
    assert normalise.parse_address(text).group == 3


def test_chinese_numerals_become_digits_only_before_a_counter():
    assert normalise.numerals_to_digits("丢失羊十二只，现金两千元，一些物品") == "丢失羊12只，现金2000元，一些物品"
    assert normalise.cn_to_int("二十三") == 23 and normalise.cn_to_int("一百零五") == 105


def test_it_finds_the_people_named_in_110_text():
    assert normalise.extract_names("报警人张建国称其邻居李海军因宅基地问题与其发生纠纷") == ("张建国", "李海军")
    assert normalise.extract_names("村民巴特尔称与邻居乌云其其格因草场边界发生争吵") == ("巴特尔", "乌云其其格")
    assert normalise.extract_names("报警人邓静称包工头方秀英拖欠其工资") == ("邓静", "方秀英")


def test_phone_numbers_are_compared_as_digits():
    assert normalise.normalise_phone("+86 138-0471-1234") == normalise.normalise_phone("13804711234")


@pytest.mark.parametrize("address, code", [
    ("海流图镇巴仁宝勒格村三组", 150824100201), ("巴仁宝勒格3社", 150824100201), ("苏独仑村4组", 150824102206),
    ("呼勒斯太苏木哈拉图嘎查二组", 150824200211), ("川井哈拉图嘎查", 150824201202), ("温更镇希日朝鲁嘎查", 150824105201),
])
def test_it_resolves_the_village_with_or_without_suffixes(gaz, address, code):
    r = gaz.resolve(address)
    assert r.level == VILLAGE and r.area_id == code


def test_what_is_ambiguous_or_unknown_is_not_guessed(gaz):
    assert gaz.resolve("哈拉图嘎查").area_id is None  # two 哈拉图嘎查 in two 苏木
    assert gaz.resolve("哈拉图嘎查").candidates == (150824200211, 150824201202)
    assert gaz.resolve("呼和浩特路").area_id is None  # 呼和 is a 嘎查 stem, but not here
    r = gaz.resolve("海流图镇团结路12号")
    assert r.level == 3 and r.area_id == 150824100000  # township known, village not: a person places it


def rec(i, minutes=0, **kw):
    base = dict(id=i, number=f"N{i}", t=T0 + minutes * 60, phone=f"1380471{i:04d}", caller=f"报警人{i}",
                address="海流图镇巴仁宝勒格村三组", village=150824100201, township=150824100000, top="治安",
                sub="殴打他人", content="报警称村委会门口有5人喝酒后打架，2人受伤。")
    base.update(kw)
    return engine.Record(**base)


def test_several_callers_about_one_fight_are_one_group_with_reasons():
    records = [rec(1), rec(2, 12, address="巴仁宝勒格3社", content="群众报警村委会门口几个人喝酒后打起来了，2人受伤，请速来。"),
               rec(3, 200, address="巴仁宝勒格7组", content="报警称小卖部有人打架，3人受伤。")]
    result = engine.analyse(records)
    assert [g.members for g in result.groups] == [[1, 2]]
    group = result.groups[0]
    assert group.kind_code == "multi_caller"
    reasons = group.links[0].reasons
    assert "同一事件多人报警" in reasons
    assert any(r.startswith("同一地点，写法不同") for r in reasons)
    assert any(r.startswith("内容相似") for r in reasons) and "相隔12分钟" in reasons


def test_the_same_caller_again_about_the_same_matter():
    records = [rec(1, top="刑事", sub="入户盗窃", content="报警人称家中被盗，丢失电视机，价值约3000元。"),
               rec(2, 60 * 24 * 3, phone="13804710001", caller="报警人1", top="刑事", sub="入户盗窃",
                   content="报警人再次来电称家中电视机被盗一事至今没有结果，损失3000元。")]
    result = engine.analyse(records)
    assert len(result.groups) == 1 and result.groups[0].kind_code == "same_caller"
    assert "报警电话相同" in result.groups[0].links[0].reasons and "相隔3天" in result.groups[0].links[0].reasons


def test_a_dispute_between_the_same_people_over_weeks():
    records = [rec(1, top="纠纷", sub="邻里纠纷", caller="王建国", content="报警人王建国称与邻居李秀英因宅基地界线问题发生纠纷。"),
               rec(2, 60 * 24 * 30, top="纠纷", sub="邻里纠纷", caller="李秀英", address="巴仁宝勒格三社",
                   content="李秀英报警称邻居王建国又因院墙问题与其吵闹。")]
    result = engine.analyse(records)
    assert len(result.groups) == 1 and result.groups[0].kind_code == "recurring_dispute"
    assert "涉及相同人员：王建国、李秀英" in result.groups[0].links[0].reasons


def test_a_like_case_next_door_the_same_day_is_not_a_repeat():
    records = [rec(1, top="刑事", sub="入户盗窃", address="巴仁宝勒格3组12号", content="报警人称家中被盗，丢失现金2000元。"),
               rec(2, 90, top="刑事", sub="入户盗窃", address="巴仁宝勒格5组40号", content="报警人称家中被盗，丢失手机，价值约3000元。")]
    assert engine.analyse(records).groups == []


def test_decisions_stick_a_split_pair_never_rejoins_a_confirmed_pair_stays():
    records = [rec(1), rec(2, 10), rec(3, 20)]
    assert [g.members for g in engine.analyse(records).groups] == [[1, 2, 3]]
    split = engine.Decisions(apart={(1, 3), (2, 3)})
    assert [g.members for g in engine.analyse(records, decisions=split).groups] == [[1, 2]]
    other = [rec(1), rec(2, 10, address="巴仁宝勒格8组", content="报警称小卖部着火了。", sub="火灾")]
    assert engine.analyse(other).groups == []
    joined = engine.Decisions(together={(1, 2)})
    assert [g.members for g in engine.analyse(other, decisions=joined).groups] == [[1, 2]]


def test_the_online_check_finds_what_the_batch_finds():
    data = evalset.generate(5, singles=300, multi=12, caller=12, disputes=10, negatives=40)
    batch = engine.analyse(data.records)
    batch_pairs = {(link.earlier, link.later) for link in batch.links}
    index = engine.OnlineIndex(data.records[:-60])
    online = set()
    for r in data.records[-60:]:
        online |= {(link.earlier, link.later) for link in index.query(r)}
    expected = {p for p in batch_pairs if p[1] in {r.id for r in data.records[-60:]}
                and p[0] in {r.id for r in data.records[:-60]}}
    assert expected <= online


def test_the_evaluation_set_scores_at_least_095_f1():
    data = evalset.generate(2024, singles=600, multi=25, caller=25, disputes=20, negatives=100)
    score = evalset.evaluate(data, engine.analyse(data.records).groups)
    assert score.true_pairs > 100
    assert score.precision >= 0.97 and score.f1 >= 0.95, score.line()
