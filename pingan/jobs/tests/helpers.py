"""Builders for the jobs tests: a 110 CSV of n distinct incidents, test job kinds."""

from __future__ import annotations

import datetime as dt

HEADER = "警情编号,接警时间,报警人,报警电话,发生地址,警情类别,警情内容\n"
CATEGORIES = ("入户盗窃", "邻里纠纷", "殴打他人", "治安")
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"


def incident_csv(n: int, prefix: str = "J") -> bytes:
    start = dt.datetime(2024, 3, 1, 8, 0)
    lines = [HEADER]
    for i in range(n):
        when = start + dt.timedelta(minutes=37 * i)
        name = SURNAMES[i % len(SURNAMES)] + SURNAMES[(i * 7 + 3) % len(SURNAMES)] + "某"
        lines.append(f"{prefix}{i:06d},{when:%Y-%m-%d %H:%M},{name},138{i:08d},海流图镇巴仁宝勒格村{i % 9 + 1}组,"
                     f"{CATEGORIES[i % 4]},第{i}号测试警情，报警人{name}称有事求助。\n")
    return "".join(lines).encode("utf-8")
