"""The 110 category dictionary (警情类别): top level → subcategories, with the other ways the 110
system writes them. Seeded by migration 0003; ``resolve`` maps what a file says to a category."""

from __future__ import annotations

# (top level, [(subcategory, aliases)])
CATEGORIES: list[tuple[str, list[tuple[str, str]]]] = [
    ("刑事", [("入户盗窃", "入室盗窃、盗窃(入户)"), ("盗窃牲畜", "盗窃牛羊、盗窃家畜、偷盗牲畜、盗窃家禽"),
              ("盗窃农作物", "偷盗农作物、盗割"), ("盗窃车辆", "盗窃机动车、盗窃电动车、盗窃摩托车"),
              ("其他盗窃", "盗窃"), ("电信网络诈骗", "电信诈骗、网络诈骗、电诈"), ("其他诈骗", "诈骗"),
              ("抢劫抢夺", "抢劫、抢夺"), ("故意伤害", "伤害"), ("涉黄刑事", "组织卖淫、容留卖淫"),
              ("其他刑事", "")]),
    ("治安", [("殴打他人", "打架斗殴、斗殴、打架"), ("涉黄", "卖淫嫖娼"), ("涉赌", "赌博、聚众赌博"),
              ("寻衅滋事", ""), ("扰乱秩序", "扰乱公共秩序、噪音扰民"), ("损毁财物", "故意损毁财物"),
              ("其他治安", "")]),
    ("纠纷", [("婚姻家庭纠纷", "家庭纠纷、家暴、家庭暴力"), ("邻里纠纷", "邻里矛盾"),
              ("土地草场纠纷", "土地纠纷、草场纠纷、草牧场纠纷"), ("劳资纠纷", "欠薪、拖欠工资、讨薪"),
              ("经济纠纷", "债务纠纷、合同纠纷"), ("其他纠纷", "")]),
    ("求助", [("走失求助", "人员走失、寻人"), ("救助求助", "救助、被困"), ("其他求助", "")]),
    ("交通", [("交通事故", "交通事故(伤人)、交通事故(财损)"), ("交通堵塞", ""), ("其他交通", "")]),
    ("火灾", [("房屋火灾", ""), ("草原火灾", "草场火灾、荒火"), ("其他火灾", "")]),
    ("举报", [("涉黄举报", ""), ("涉赌举报", ""), ("涉毒举报", ""), ("其他举报", "")]),
    ("其他", [("其他警情", "")]),
]

# Subcategories the report indicators group together.
THEFT = ("入户盗窃", "盗窃牲畜", "盗窃农作物", "盗窃车辆", "其他盗窃")
FRAUD = ("电信网络诈骗", "其他诈骗")
DISPUTES_TOP = "纠纷"


def seed(IncidentCategory) -> None:  # noqa: N803 (the historical model class)
    for order, (top, subs) in enumerate(CATEGORIES, start=1):
        parent, _ = IncidentCategory.objects.update_or_create(name=top, defaults={"order": order * 100, "parent": None})
        for k, (name, aliases) in enumerate(subs, start=1):
            IncidentCategory.objects.update_or_create(
                name=name, defaults={"parent": parent, "order": order * 100 + k, "aliases": aliases})


def _fold(text: str) -> str:
    return (text or "").replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "").strip()


class CategoryResolver:
    """Name → category, by name or alias, top level or subcategory ("盗窃" alone → 其他盗窃)."""

    def __init__(self, categories):
        self.by_name = {}
        for c in categories:
            self.by_name.setdefault(_fold(c.name), c)
        for c in categories:
            for alias in (c.aliases or "").split("、"):
                if alias:
                    self.by_name.setdefault(_fold(alias), c)
        self.other = self.by_name.get("其他警情") or self.by_name.get("其他")

    def resolve(self, text: str):
        key = _fold(text)
        if not key:
            return None
        hit = self.by_name.get(key)
        if hit is None and key.endswith("类"):
            hit = self.by_name.get(key[:-1])
        return hit
