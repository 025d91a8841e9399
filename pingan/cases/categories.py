"""The case category dictionary (案件类别): top level → kinds. Seeded by migration 0002; the codes are
what the report indicators and other apps (生态环境 for the ecological police) refer to."""

from __future__ import annotations

# (code, name, [(code, name)])
CATEGORIES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("porn", "涉黄", []),
    ("gambling", "涉赌", []),
    ("drugs", "涉毒", []),
    ("theft", "盗窃", [("theft_burglary", "入户盗窃"), ("theft_livestock", "盗窃牲畜家禽"),
                       ("theft_crops", "盗窃农作物"), ("theft_other", "其他盗窃")]),
    ("fraud", "诈骗", [("fraud_telecom", "电信网络诈骗"), ("fraud_other", "其他诈骗")]),
    ("wages", "拒不支付劳动报酬", []),
    ("ecology", "生态环境", [("eco_grassland", "非法开垦占用草原"), ("eco_forest", "盗伐滥伐林木"),
                             ("eco_wildlife", "非法猎捕野生动物"), ("eco_mining", "非法采矿采砂"),
                             ("eco_other", "其他破坏生态环境")]),
    ("assault", "殴打他人、故意伤害", []),
    ("disorder", "寻衅滋事、扰乱秩序", []),
    ("damage", "故意损毁财物", []),
    ("robbery", "抢劫抢夺", []),
    ("traffic", "危险驾驶、交通肇事", []),
    ("weapons", "涉枪涉爆、管制刀具", []),
    ("other", "其他", []),
]

PORN, GAMBLING, DRUGS, THEFT, FRAUD, WAGES, ECOLOGY = "porn", "gambling", "drugs", "theft", "fraud", "wages", "ecology"


def seed(CaseCategory) -> None:  # noqa: N803 (the historical model class)
    for order, (code, name, kinds) in enumerate(CATEGORIES, start=1):
        parent, _ = CaseCategory.objects.update_or_create(code=code, defaults={"name": name, "order": order * 100,
                                                                               "parent": None})
        for k, (sub, sub_name) in enumerate(kinds, start=1):
            CaseCategory.objects.update_or_create(code=sub, defaults={"name": sub_name, "parent": parent,
                                                                      "order": order * 100 + k})


def group_q(code: str, field: str = "category"):
    """Cases (or rows with ``field`` leading to a category) of a top-level category and its kinds."""
    from django.db.models import Q

    return Q(**{f"{field}__code": code}) | Q(**{f"{field}__parent__code": code})
