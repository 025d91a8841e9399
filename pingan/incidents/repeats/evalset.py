"""A labelled evaluation set for the repeat analysis, and pair precision / recall / F1.

``generate`` writes 110 records the way callers and operators write them — one place spelt many
ways (海流图镇巴仁宝勒格村三组 / 巴仁宝勒格3社 / 巴仁宝勒格第三村民小组), numerals in Chinese or
Arabic, paraphrased content — with planted repeats of the three kinds and *hard negatives*: records
of the same village, the same category and the same day that are a different matter (another
household, other people, other goods), and callers who call again about something else.

Every record carries its true group (``truth``: records of one matter share a label; a singleton
has its own). The score is over pairs: a predicted pair is right when both records carry the same
label. ``generate`` is deterministic for a seed and needs no database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pingan.incidents.repeats.engine import Group, Record
from pingan.incidents.repeats.places import VILLAGE, Gazetteer, Place, gazetteer_from_csv

DIVISIONS = Path(__file__).resolve().parents[2] / "areas" / "fixtures" / "divisions-150000-2023.csv"
BANNER = "150824"
CN = "零一二三四五六七八九十"

HAN_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
HAN_GIVEN = ("建国", "建军", "海军", "志刚", "秀英", "桂兰", "玉兰", "淑珍", "丽娟", "晓东", "海燕", "春梅", "红梅", "国庆",
             "永强", "文华", "金龙", "宝山", "凤英", "翠花", "俊峰", "立新", "德胜", "振华", "雪梅", "利平", "福贵", "长青",
             "明", "伟", "芳", "娜", "敏", "静", "磊", "军", "洋", "勇", "艳", "杰", "涛", "强", "斌", "霞", "平", "刚")
GIVEN_CHARS = "建国军志刚秀英桂兰玉淑珍丽娟晓东海燕春梅红庆永强文华金龙宝山凤翠俊峰立新德胜振雪利平福贵长青明伟芳娜敏静磊洋勇艳杰涛斌霞鹏飞宇浩然子轩思雨欣怡佳琪嘉欢瑞丰荣盛旺喜顺成"
MONGOLIAN = ("巴特尔", "巴图", "乌云其其格", "额尔敦", "孟和", "苏和", "阿拉坦仓", "那仁", "朝鲁", "达来", "宝音", "格日勒",
             "敖特根", "图雅", "萨仁", "斯琴", "哈斯", "白音", "布和", "吉日嘎拉", "满都拉", "娜仁花", "特木尔", "毕力格",
             "恩和", "赛罕", "其木格", "青格勒", "额尔德尼", "巴雅尔")
ITEMS = ("现金", "手机", "金项链", "电动车", "摩托车", "羊绒", "电脑", "电视机", "发电机", "太阳能板", "电缆", "柴油")
CROPS = ("向日葵", "玉米", "葵花", "小麦", "苜蓿")
LIVESTOCK = (("只", "羊"), ("头", "牛"), ("匹", "马"), ("峰", "骆驼"))
LANDMARKS = ("小卖部", "村委会", "卫生室", "加油站", "学校", "养殖场", "粮站", "牧点", "打谷场", "水井", "砖厂", "饭店")
ROADS = ("S212省道", "G242国道", "海甘公路", "德巴公路", "乌加河至海流图公路")
VEHICLES = ("小轿车", "货车", "三轮车", "农用车", "面包车", "摩托车", "越野车", "拉煤车")
FRAUD_ROLES = ("公安局民警", "快递客服", "银行工作人员", "电商客服", "贷款平台客服", "网络游戏买家", "领导")
DISPUTE_REASONS = {
    "邻里纠纷": ("宅基地界线", "排水沟", "院墙", "停车", "树木遮挡", "牲畜进院", "堆放柴草", "噪音"),
    "土地草场纠纷": ("草场边界", "围栏位置", "耕地承包", "水源使用", "放牧越界", "地界石"),
    "婚姻家庭纠纷": ("酒后吵闹", "离婚财产", "赡养老人", "子女抚养", "彩礼", "家务琐事"),
    "劳资纠纷": ("拖欠工资", "工程款", "务工报酬", "装卸费"),
}


@dataclass
class Labelled:
    records: list[Record]
    truth: dict[int, int]  # record id → matter label
    kinds: dict[int, str]  # matter label → planted kind ("" for singletons and negatives)


def _cn(n: int) -> str:
    if n <= 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n - 10] if n > 10 else "")
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


class _World:
    def __init__(self, rng: random.Random, gazetteer: Gazetteer):
        self.rng = rng
        self.g = gazetteer
        self.villages = [p for p in gazetteer.places.values() if p.level == VILLAGE
                         and not p.short_name.startswith("第")]
        self.phones: set[str] = set()
        self.used_names: set[str] = set()

    def person(self) -> str:
        rng = self.rng
        for _ in range(50):
            if rng.random() < 0.3:
                name = rng.choice(MONGOLIAN) + (rng.choice(("", "", "图", "夫")) if rng.random() < 0.3 else "")
            elif rng.random() < 0.5:
                name = rng.choice(HAN_SURNAMES) + rng.choice(HAN_GIVEN)
            else:  # two given-name characters: the name space of a real banner
                name = rng.choice(HAN_SURNAMES) + rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS)
            if name not in self.used_names or rng.random() < 0.05:  # a few namesakes on purpose
                self.used_names.add(name)
                return name
        return name

    def phone(self) -> str:
        while True:
            p = self.rng.choice(("13", "15", "18", "17", "13", "15")) + "".join(
                self.rng.choice("0123456789") for _ in range(9))
            if p not in self.phones:
                self.phones.add(p)
                return p

    def place(self, village: Place | None = None) -> dict:
        village = village or self.rng.choice(self.villages)
        township = self.g.places[village.parent_id]
        return {"village": village, "township": township, "group": self.rng.randint(1, 9),
                "house": self.rng.randint(1, 60) if self.rng.random() < 0.35 else None,
                "landmark": self.rng.choice(LANDMARKS) if self.rng.random() < 0.3 else None}

    def address(self, p: dict, style: int | None = None) -> str:
        """One place, written one of many ways."""
        rng = self.rng
        v, t, group = p["village"], p["township"], p["group"]
        vs = v.short_name
        stem = vs
        for suffix in ("嘎查", "村", "社区"):
            if vs.endswith(suffix) and len(vs) - len(suffix) >= 2:
                stem = vs[: -len(suffix)]
        tstem = t.short_name
        for suffix in ("镇", "苏木"):
            if tstem.endswith(suffix):
                tstem = tstem[: -len(suffix)]
        g = rng.choice((f"{group}组", f"{_cn(group)}组", f"{group}社", f"{_cn(group)}社", f"第{_cn(group)}村民小组"))
        style = rng.randrange(7) if style is None else style
        base = [f"{t.short_name}{vs}{g}", f"{vs}{g}", f"{stem}{g}", f"乌拉特中旗{t.short_name}{vs}{g}",
                f"{tstem}{vs}{g}", f"{t.short_name}{stem}{g}", f"{vs}{g}"][style]
        if p["house"] is not None and rng.random() < 0.8:
            base += f"{p['house']}号"
        if p["landmark"] and rng.random() < 0.7:
            base += f"{p['landmark']}附近"
        return base


def _amount(rng: random.Random) -> int:
    return rng.choice((300, 500, 800, 1200, 1500, 2000, 2600, 3000, 4500, 5000, 8000, 12000, 20000, 35000))


# Each event kind: how its details are drawn and several ways a caller tells it.
def _theft_home(w: _World) -> dict:
    return {"top": "刑事", "sub": "入户盗窃", "item": w.rng.choice(ITEMS), "amount": _amount(w.rng),
            "when": w.rng.choice(("昨夜", "今天凌晨", "外出期间", "夜里", "上午外出回来"))}


def _tell_theft_home(w: _World, d: dict, again: bool) -> str:
    t = w.rng.choice((
        "报警人称{when}家中被盗，丢失{item}，价值约{amount}元，请求出警。",
        "报警称其家门锁被撬，{item}被盗，损失约{amount}元。",
        "来电称{when}发现家里进了小偷，{item}不见了，大约{amount}元。",
        "报警人称其家中{item}被盗，价值{amount}元左右，门窗有撬动痕迹。",
    ))
    text = t.format(**d)
    if again:
        text = w.rng.choice(("报警人再次来电称此前", "报警人又来电称", "报警人称前几天报警的")) + \
            f"家中{d['item']}被盗一事至今没有结果，损失{d['amount']}元，请求尽快处理。"
    return text


def _theft_livestock(w: _World) -> dict:
    unit, animal = w.rng.choice(LIVESTOCK)
    return {"top": "刑事", "sub": "盗窃牲畜", "n": w.rng.randint(2, 30), "unit": unit, "animal": animal,
            "where": w.rng.choice(("草场", "羊圈", "牛圈", "放牧点", "棚圈"))}


def _tell_theft_livestock(w: _World, d: dict, again: bool) -> str:
    t = w.rng.choice((
        "报警人称其{where}内{n}{unit}{animal}被盗，请求出警。",
        "报警称家里{where}的{animal}少了{n}{unit}，怀疑被人偷走。",
        "牧民报警称其放养的{n}{unit}{animal}丢失，现场有车辆痕迹，疑似被盗。",
    ))
    text = t.format(**d)
    if again:
        text = f"报警人再次来电称{d['where']}{d['n']}{d['unit']}{d['animal']}被盗一事，又发现有可疑车辆，请求民警调查。"
    return text


def _theft_crops(w: _World) -> dict:
    return {"top": "刑事", "sub": "盗窃农作物", "crop": w.rng.choice(CROPS), "mu": w.rng.randint(1, 12)}


def _tell_theft_crops(w: _World, d: dict, again: bool) -> str:
    t = w.rng.choice((
        "报警人称其地里的{crop}被人偷割约{mu}亩。",
        "报警称自家种植的{crop}被盗，约{mu}亩，请求处理。",
        "来电称其承包地{mu}亩{crop}夜间被人割走。",
    ))
    return t.format(**d) if not again else f"报警人又来电称其{d['mu']}亩{d['crop']}被盗一事，昨夜又被割走一部分。"


def _fraud(w: _World) -> dict:
    return {"top": "刑事", "sub": "电信网络诈骗", "role": w.rng.choice(FRAUD_ROLES), "amount": _amount(w.rng),
            "app": w.rng.choice(("微信", "支付宝", "银行卡", "QQ"))}


def _tell_fraud(w: _World, d: dict, again: bool) -> str:
    t = w.rng.choice((
        "报警人称接到自称{role}的电话，按对方要求通过{app}转账{amount}元后发现被骗。",
        "报警称被冒充{role}的人骗了{amount}元，是用{app}转的账。",
        "来电称其被人以{role}名义诈骗，已通过{app}转出{amount}元。",
    ))
    text = t.format(**d)
    if again:
        text = f"报警人再次来电询问被冒充{d['role']}诈骗{d['amount']}元一案的进展，称对方又打来电话。"
    return text


def _fight(w: _World) -> dict:
    return {"top": "治安", "sub": "殴打他人", "n": w.rng.randint(2, 6), "hurt": w.rng.randint(0, 3),
            "where": w.rng.choice(LANDMARKS), "cause": w.rng.choice(("喝酒后", "因琐事", "因买卖牲畜", "打牌时"))}


def _tell_fight(w: _World, d: dict, again: bool) -> str:
    t = w.rng.choice((
        "报警称{where}有{n}人{cause}打架，{hurt}人受伤。",
        "群众报警{where}门口几个人{cause}打起来了，有人受伤，请速来。",
        "报警人称在{where}看到{n}名男子{cause}发生斗殴，现场有人流血。",
        "来电称{where}有人打架，约{n}人，{cause}动手的。",
    ))
    return t.format(**d)


def _fire(w: _World) -> dict:
    return {"top": "火灾", "sub": "火灾", "thing": w.rng.choice(("草垛", "房屋", "棚圈", "柴草", "仓库", "荒草", "车辆")),
            "size": w.rng.choice(("火势较大", "冒浓烟", "火势不大", "已蔓延"))}


def _tell_fire(w: _World, d: dict, again: bool) -> str:
    t = w.rng.choice((
        "报警称一处{thing}着火，{size}，请求救援。",
        "来电称看到{thing}起火了，{size}。",
        "群众报警{thing}失火，{size}，需要消防。",
        "报警人称附近{thing}着火，现场{size}。",
    ))
    return t.format(**d)


def _traffic(w: _World) -> dict:
    a, b = w.rng.sample(VEHICLES, 2)
    return {"top": "交通", "sub": "交通事故", "road": w.rng.choice(ROADS), "km": w.rng.randint(3, 180), "a": a, "b": b,
            "hurt": w.rng.choice(("有人受伤", "无人受伤", "一人被困", "两人受伤"))}


def _tell_traffic(w: _World, d: dict, again: bool) -> str:
    t = w.rng.choice((
        "报警称{road}{km}公里处一辆{a}与一辆{b}相撞，{hurt}。",
        "来电称在{road}{km}公里附近{a}和{b}发生事故，{hurt}，请速来。",
        "群众报警{road}上{a}撞了{b}，大约{km}公里处，{hurt}。",
    ))
    return t.format(**d)


def _help(w: _World) -> dict:
    return {"top": "求助", "sub": "求助", "who": w.rng.choice(("老人", "孩子", "父亲", "母亲", "儿子")),
            "age": w.rng.randint(6, 86), "what": w.rng.choice(("走失", "车辆陷入沙地", "迷路", "被困"))}


def _tell_help(w: _World, d: dict, again: bool) -> str:
    if d["what"] == "走失":
        text = w.rng.choice(("报警人称其{who}{age}岁走失，至今未归，请求帮助寻找。", "来电称家里{age}岁的{who}不见了，请求帮忙找。"))
    else:
        text = w.rng.choice(("报警人称其{who}{what}，请求救助。", "来电称{who}{what}，需要民警帮助。"))
    text = text.format(**d)
    return text if not again else f"报警人再次来电称其{d['age']}岁{d['who']}仍未找到，请求继续帮助。"


def _gamble(w: _World) -> dict:
    return {"top": "举报", "sub": "涉赌", "n": w.rng.randint(4, 15), "where": w.rng.choice(LANDMARKS)}


def _tell_gamble(w: _World, d: dict, again: bool) -> str:
    t = w.rng.choice(("举报{where}内有{n}人聚众赌博。", "群众举报{where}有人打麻将赌钱，约{n}人。", "举报称{where}后屋有人赌博。"))
    return t.format(**d)


EVENT_KINDS = {
    "theft_home": (_theft_home, _tell_theft_home, 14),
    "theft_livestock": (_theft_livestock, _tell_theft_livestock, 6),
    "theft_crops": (_theft_crops, _tell_theft_crops, 3),
    "fraud": (_fraud, _tell_fraud, 8),
    "fight": (_fight, _tell_fight, 12),
    "fire": (_fire, _tell_fire, 4),
    "traffic": (_traffic, _tell_traffic, 12),
    "help": (_help, _tell_help, 14),
    "gamble": (_gamble, _tell_gamble, 3),
}
MULTI_KINDS = ("fight", "fire", "traffic", "gamble", "theft_livestock")
CALLER_KINDS = ("theft_home", "theft_livestock", "theft_crops", "fraud", "help")


def _dispute(w: _World, sub: str | None = None) -> dict:
    sub = sub or w.rng.choice(list(DISPUTE_REASONS))
    return {"top": "纠纷", "sub": sub, "reason": w.rng.choice(DISPUTE_REASONS[sub]), "a": w.person(), "b": w.person(),
            "amount": _amount(w.rng)}


def _tell_dispute(w: _World, d: dict, caller_is_a: bool, episode: int) -> str:
    me, other = (d["a"], d["b"]) if caller_is_a else (d["b"], d["a"])
    sub = d["sub"]
    if sub == "婚姻家庭纠纷":
        rel = w.rng.choice(("丈夫", "妻子", "前夫", "儿子", "儿媳"))
        t = w.rng.choice((
            "报警人{me}称其{rel}{other}因{reason}与其发生争吵并摔砸物品。",
            "{me}报警称与{rel}{other}因{reason}发生矛盾，对方动手推搡。",
            "报警人{me}称{rel}{other}又因{reason}和她吵闹，请求民警调解。",
        ))
        return t.format(me=me, other=other, rel=rel, reason=d["reason"])
    if sub == "劳资纠纷":
        t = w.rng.choice((
            "报警人{me}称包工头{other}拖欠其工资{amount}元至今未付。",
            "{me}报警称{other}欠其务工报酬{amount}元，多次讨要未果。",
            "报警人{me}称老板{other}拒不支付工钱{amount}元，请求处理。",
        ))
        return t.format(me=me, other=other, amount=d["amount"])
    t = w.rng.choice((
        "报警人{me}称与邻居{other}因{reason}问题发生纠纷，双方争吵。",
        "{me}报警称同村{other}因{reason}与其发生矛盾，对方堵门谩骂。",
        "报警人{me}称{other}因{reason}问题又与其吵闹，请求民警调解。",
        "村民{me}报警称与{other}因{reason}发生争执，对方拆毁其围栏。",
    ))
    text = t.format(me=me, other=other, reason=d["reason"])
    if episode > 0 and w.rng.random() < 0.5:
        text = text.rstrip("。") + "，此前已报警" + w.rng.choice(("一次", "两次", "多次")) + "。"
    return text


def _record(rid: int, when: dt.datetime, caller: str, phone: str, address: str, d: dict, content: str,
            g: Gazetteer) -> Record:
    r = g.resolve(address)
    village = r.area_id if r.level == VILLAGE else None
    township = g.township_of(r.area_id) if r.area_id else None
    return Record(id=rid, number=f"E{rid:07d}", t=when.timestamp(), phone=phone, caller=caller, address=address,
                  village=village, township=township, top=d["top"], sub=d["sub"], content=content,
                  place_names=r.names, candidates=r.candidates)


def generate(seed: int = 7, *, singles: int = 1500, multi: int = 60, caller: int = 60, disputes: int = 50,
             negatives: int = 250, days: int = 90, gazetteer: Gazetteer | None = None,
             start: dt.date = dt.date(2024, 3, 1)) -> Labelled:
    """Singletons, planted groups of each kind, and hard negatives, over ``days`` days."""
    rng = random.Random(seed)
    g = gazetteer or gazetteer_from_csv(str(DIVISIONS), BANNER)
    w = _World(rng, g)
    start = dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    records: list[Record] = []
    truth: dict[int, int] = {}
    kinds: dict[int, str] = {}
    ids = itertools.count(1)
    labels = itertools.count(1)
    kinds_weighted = [k for k, (_, _, wgt) in EVENT_KINDS.items() for _ in range(wgt)]

    def moment(day: int | None = None) -> dt.datetime:
        day = rng.randrange(days) if day is None else day
        return start + dt.timedelta(days=day, seconds=rng.randrange(6 * 3600, 23 * 3600))

    def add(label: int, when, caller_name, phone, address, d, content):
        rid = next(ids)
        records.append(_record(rid, when, caller_name, phone, address, d, content, g))
        truth[rid] = label

    def single(kind: str | None = None, place: dict | None = None, when=None, label=None, d=None) -> dict:
        kind = kind or rng.choice(kinds_weighted)
        make, tell, _ = EVENT_KINDS[kind]
        d = d or make(w)
        place = place or w.place()
        add(label or next(labels), when or moment(), w.person(), w.phone(), w.address(place), d, tell(w, d, False))
        return {"kind": kind, "d": d, "place": place}

    for _ in range(singles):
        single()
    # a few ordinary disputes that happen once
    for _ in range(singles // 10):
        d = _dispute(w)
        add(next(labels), moment(), d["a"], w.phone(), w.address(w.place()), d, _tell_dispute(w, d, True, 0))

    # 同一事件多人报警: 2–4 callers within minutes, place written differently, told differently
    for _ in range(multi):
        label = next(labels)
        kinds[label] = "multi_caller"
        kind = rng.choice(MULTI_KINDS)
        make, tell, _ = EVENT_KINDS[kind]
        d, place, when = make(w), w.place(), moment()
        for c in range(rng.choice((2, 2, 3, 3, 4))):
            at = when + dt.timedelta(minutes=0 if c == 0 else rng.randint(2, 75))
            add(label, at, w.person(), w.phone(), w.address(place), d, tell(w, d, False))
        # hard negative: same village, same kind, same day, another matter (other 组, other details)
        if rng.random() < 0.7:
            other = dict(place, group=(place["group"] % 9) + 1, landmark=rng.choice(LANDMARKS))
            single(kind, other, when + dt.timedelta(hours=rng.uniform(-8, 8)))

    # 同一报警人重复报警: the same number again within days about the same matter
    for _ in range(caller):
        label = next(labels)
        kinds[label] = "same_caller"
        kind = rng.choice(CALLER_KINDS)
        make, tell, _ = EVENT_KINDS[kind]
        d, place, when = make(w), w.place(), moment()
        name, phone = w.person(), w.phone()
        at = when
        for c in range(rng.choice((2, 2, 3))):
            add(label, at, name, phone, w.address(place), d, tell(w, d, c > 0 and rng.random() < 0.6))
            at += dt.timedelta(days=rng.uniform(0.3, 12))
        # hard negatives: the same caller about something else; a neighbour's like case the same day
        if rng.random() < 0.5:
            k2 = rng.choice([k for k in EVENT_KINDS if k != kind])
            m2, t2, _ = EVENT_KINDS[k2]
            d2 = m2(w)
            add(next(labels), when + dt.timedelta(days=rng.uniform(1, 20)), name, phone, w.address(w.place()), d2,
                t2(w, d2, False))
        if rng.random() < 0.6:
            other = dict(place, group=rng.randint(1, 9), house=rng.randint(61, 99))
            single(kind, other, when + dt.timedelta(hours=rng.uniform(-6, 6)))

    # 同一当事人/户反复纠纷: the same two people over weeks, either of them calling
    for _ in range(disputes):
        label = next(labels)
        kinds[label] = "recurring_dispute"
        d = _dispute(w)
        place = w.place()
        place["house"] = place["house"] or rng.randint(1, 60)
        phones = {d["a"]: w.phone(), d["b"]: w.phone()}
        at = moment(rng.randrange(max(1, days - 40)))
        for episode in range(rng.choice((2, 2, 3, 4))):
            a_calls = rng.random() < 0.65
            who = d["a"] if a_calls else d["b"]
            add(label, at, who, phones[who], w.address(place), d, _tell_dispute(w, d, a_calls, episode))
            at += dt.timedelta(days=rng.uniform(3, 35))
        # hard negative: another dispute of the same type in the same village, same day, other people
        if rng.random() < 0.7:
            d2 = _dispute(w, d["sub"])
            d2["reason"] = d["reason"]
            other = dict(place, group=rng.randint(1, 9), house=rng.randint(61, 99))
            add(next(labels), at - dt.timedelta(hours=rng.uniform(1, 10)), d2["a"], w.phone(), w.address(other), d2,
                _tell_dispute(w, d2, True, 0))

    # more hard negatives: same village, same category, same day, different matter
    for _ in range(negatives):
        base = rng.choice(records)
        kind = rng.choice(kinds_weighted)
        village = g.places.get(base.village) if base.village else None
        when = dt.datetime.fromtimestamp(base.t, start.tzinfo) + dt.timedelta(hours=rng.uniform(-10, 10))
        single(kind, w.place(village), when)
    records.sort(key=lambda r: (r.t, r.id))
    return Labelled(records, truth, kinds)


def pairs_of(groups: list[list[int]]) -> set[tuple[int, int]]:
    out = set()
    for members in groups:
        for a, b in itertools.combinations(sorted(members), 2):
            out.add((a, b))
    return out


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    def line(self) -> str:
        return (f"P={self.precision:.4f} R={self.recall:.4f} F1={self.f1:.4f} "
                f"(true pairs {self.true_pairs}, predicted {self.predicted_pairs}, correct {self.correct_pairs})")


def evaluate(labelled: Labelled, groups: list[Group]) -> Score:
    by_label: dict[int, list[int]] = defaultdict(list)
    for rid, label in labelled.truth.items():
        by_label[label].append(rid)
    truth = pairs_of([m for m in by_label.values() if len(m) > 1])
    predicted = pairs_of([g.members for g in groups])
    correct = len(truth & predicted)
    p = correct / len(predicted) if predicted else 1.0
    r = correct / len(truth) if truth else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(p, r, f1, len(truth), len(predicted), correct)
