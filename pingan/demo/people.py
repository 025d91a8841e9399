"""Fictitious people for the demo: Chinese and Mongolian names, valid ID numbers, phones.

Everything is drawn from a seeded ``random.Random`` so the same run gives the same people. ID
numbers are built with ``pingan.core.idcard.make`` from a region code of the banner (or a
neighbouring one), a birth date and a sequence whose parity matches the person's gender, so
``idcard.gender`` and ``idcard.birth_date`` agree with the record.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from pingan.core import idcard
from pingan.core.dictionaries import ETHNICITIES

HAN_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶闫"
    "余潘杜戴夏钟汪田任姜范方石姚谭邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹常武乔贺龚郭霍樊"
)
# The most common surnames come up more often, as they do in life.
_SURNAME_WEIGHTS = [6 if i < 10 else 3 if i < 30 else 1 for i in range(len(HAN_SURNAMES))]
HAN_GIVEN_MALE = "建国军伟强磊勇杰涛明超斌鹏辉刚峰飞宇浩波东亮平志海龙华文俊晓云德瑞凯鑫振宏永春成立新旭锋晨"
HAN_GIVEN_FEMALE = "丽娜敏静燕芳霞玲婷雪慧红艳秀琳颖萍洁欣悦佳倩璐月梅兰凤琴莉雅晶蕾薇嘉宁丹楠玉"

MONGOL_MALE = (
    "巴特尔", "额尔敦", "那日苏", "朝鲁", "宝音", "苏和", "布和", "孟和", "达来", "满都拉", "吉日嘎拉",
    "额尔德尼", "阿拉坦仓", "毕力格", "巴图", "特木尔", "敖其尔", "乌力吉", "哈斯巴根", "图门", "呼和",
    "格日勒图", "阿木古楞", "宝力道", "那顺", "巴雅尔", "胡日查", "达瓦", "额日和木", "通拉嘎", "巴音", "朝格图",
    "德力格尔", "查干", "扎那", "包力高", "额尔登", "青格勒", "斯日古楞", "宝音德力格尔",
)
MONGOL_FEMALE = (
    "乌云其其格", "斯琴高娃", "苏日娜", "图雅", "萨仁", "其木格", "敖登", "乌日娜", "高娃", "娜仁", "托娅",
    "塔娜", "阿拉腾花", "萨仁高娃", "乌兰", "琪琪格", "诺敏", "阿荣", "格日乐", "其其格", "金花", "萨日朗",
    "斯琴", "乌仁图雅", "额尔德木图雅", "娜日苏", "明珠", "呼和其其格",
)
# Many Mongolian families write a Chinese family name in front (包、白、宝、韩…); most do not.
MONGOL_PREFIXES = "包白宝韩鲍敖那吴"

# Region codes (first 6 digits of an ID number): the banner itself and its neighbours.
NEARBY_REGIONS = {
    "150824": ("150802", "150821", "150822", "150823", "150825", "150826"),
    "152922": ("152921", "152923", "150825"),
    "150627": ("150602", "150621", "150622", "150625", "150626"),
}
PHONE_PREFIXES = ("130", "131", "132", "135", "136", "138", "139", "147", "150", "151", "152", "155", "156",
                  "157", "158", "159", "177", "182", "183", "185", "187", "188", "189", "195", "199")

# Ethnicity of people with a Chinese (Han-style) name: mostly 汉族, but many Mongols, Manchus and
# Hui in western Inner Mongolia write Chinese names too.
_HAN_NAME_ETHNICITIES = (("汉族", 80), ("蒙古族", 12), ("回族", 4), ("满族", 4))
_MONGOL_NAME_ETHNICITIES = (("蒙古族", 96), ("达斡尔族", 2), ("鄂温克族", 2))
assert all(e in ETHNICITIES for e, _ in _HAN_NAME_ETHNICITIES + _MONGOL_NAME_ETHNICITIES)


@dataclass(frozen=True)
class Person:
    name: str
    gender: str  # "M" / "F", as the ID number says
    ethnicity: str
    id_number: str
    birth_date: dt.date
    phone: str


class PeopleFactory:
    """Draws people from ``rng``; ``taken_ids``/``taken_phones`` are shared so no two collide."""

    def __init__(self, rng: random.Random, *, taken_ids: set[str], taken_phones: set[str]):
        self.rng = rng
        self.taken_ids = taken_ids
        self.taken_phones = taken_phones

    def name(self, gender: str, mongol: bool) -> str:
        rng = self.rng
        if mongol:
            given = rng.choice(MONGOL_MALE if gender == "M" else MONGOL_FEMALE)
            return (rng.choice(MONGOL_PREFIXES) + given) if rng.random() < 0.2 else given
        surname = rng.choices(HAN_SURNAMES, weights=_SURNAME_WEIGHTS)[0]
        pool = HAN_GIVEN_MALE if gender == "M" else HAN_GIVEN_FEMALE
        given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
        return surname + given

    def id_number(self, region: str, born: dt.date, gender: str) -> str:
        for _ in range(2000):
            seq = self.rng.randrange(1, 500) * 2 + (1 if gender == "M" else 0)  # odd 17th digit = male
            number = idcard.make(region, born, seq % 1000)
            if number not in self.taken_ids:
                self.taken_ids.add(number)
                return number
        raise RuntimeError(f"no free ID number for {region} {born}")  # pragma: no cover

    def phone(self) -> str:
        while True:
            number = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.taken_phones:
                self.taken_phones.add(number)
                return number

    def person(self, *, banner6: str, born_from: int, born_to: int, mongol_share: float = 0.35,
               male_share: float = 0.75, local_share: float = 0.8) -> Person:
        rng = self.rng
        gender = "M" if rng.random() < male_share else "F"
        mongol = rng.random() < mongol_share
        name = self.name(gender, mongol)
        table = _MONGOL_NAME_ETHNICITIES if mongol else _HAN_NAME_ETHNICITIES
        ethnicity = rng.choices([e for e, _ in table], weights=[w for _, w in table])[0]
        born = dt.date(rng.randint(born_from, born_to), 1, 1) + dt.timedelta(days=rng.randrange(365))
        region = banner6 if rng.random() < local_share else rng.choice(NEARBY_REGIONS.get(banner6, (banner6,)))
        number = self.id_number(region, born, gender)
        assert idcard.gender(number) == gender and idcard.birth_date(number) == born
        return Person(name=name, gender=gender, ethnicity=ethnicity, id_number=number, birth_date=born,
                      phone=self.phone())
