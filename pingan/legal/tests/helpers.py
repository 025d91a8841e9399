"""Users and records of 阿拉善右旗 for the legal tests (the personas live in 乌拉特中旗).

    banner     阿拉善右旗 152922000000                  bureau user
    township   巴丹吉林镇 152922103000 ("own")          judicial office user, police station chief
               雅布赖镇   152922104000 ("sibling")      sibling judicial office user
    village    额肯呼都格嘎查 152922103200 ("own")      legal-literate user
               巴音博日格嘎查 152922103202 (same township) · 阳光社区 152922103001 (community)
               巴丹吉林嘎查 152922104200 (sibling township)
"""

from __future__ import annotations

import datetime as dt
import itertools

from pingan.accounts.models import User
from pingan.accounts.roles import Role
from pingan.areas.models import Area
from pingan.core import idcard
from pingan.legal import services
from pingan.legal.models import Criterion, LegalPerson, Status
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory

BANNER = "152922000000"
TOWNSHIP = "152922103000"
SIBLING_TOWNSHIP = "152922104000"
GACHA = "152922103200"
GACHA_2 = "152922103202"
COMMUNITY = "152922103001"
SIBLING_GACHA = "152922104200"
DAY = dt.date(2024, 3, 1)

_seq = itertools.count(1)


def area(code: str) -> Area:
    return Area.objects.get(code=code)


def agency(kind: str, code: str) -> Agency:
    place = area(code)
    found = Agency.objects.filter(kind=kind, area=place).first()
    if found:
        return found
    bureau = agency(AgencyKind.JUSTICE_BUREAU, BANNER) if kind == AgencyKind.JUDICIAL_OFFICE else None
    return Agency.objects.create(name=f"{place.short_name}{AgencyKind(kind).label}", kind=kind, area=place,
                                 parent=bureau)


def user(login: str, role: str, code: str, kind: str | None = None, staff: Staff | None = None) -> User:
    u = User(username=login, role=role, full_name=login, jurisdiction=area(code),
             agency=agency(kind, code) if kind else None, staff=staff)
    u.set_unusable_password()
    u.save()
    return u


def bureau_user() -> User:
    return user("sifaju", Role.JUSTICE_BUREAU, BANNER, AgencyKind.JUSTICE_BUREAU)


def office_user() -> User:
    return user("sifasuo", Role.JUDICIAL_OFFICE, TOWNSHIP, AgencyKind.JUDICIAL_OFFICE)


def sibling_office_user() -> User:
    return user("yabulai", Role.JUDICIAL_OFFICE, SIBLING_TOWNSHIP, AgencyKind.JUDICIAL_OFFICE)


def police_user() -> User:
    return user("suozhang152922", Role.STATION_CHIEF, TOWNSHIP, AgencyKind.POLICE_STATION)


def identity(name: str = "巴特尔", born: dt.date = dt.date(1980, 5, 1)) -> dict:
    return {"name": name, "id_number": idcard.make("152922", born, next(_seq)), "phone": f"1390483{next(_seq):04d}",
            "ethnicity": "蒙古族"}


def nominate(actor=None, code: str = GACHA, name: str = "巴特尔", **kw) -> LegalPerson:
    agency(AgencyKind.JUDICIAL_OFFICE, area(code).parent.code)
    values = {"source_category": "两委成员", "channel": "两委推荐", "nominated_on": DAY} | kw
    if "staff" not in values and "identity" not in values:
        values["identity"] = identity(name)
    return services.person_nominate(actor=actor, village=area(code), **values)


def select(person: LegalPerson, actor=None, *, serve: bool = True) -> LegalPerson:
    """Through the whole selection: every check, 考察, 合格, 入选 (and 上岗)."""
    for criterion in Criterion.values:
        services.check_record(actor=actor, person=person, criterion=criterion, passed=True,
                              checked_on=DAY + dt.timedelta(days=1))
    person = services.person_transition(actor=actor, person=person, to_status=Status.ASSESSING,
                                        on=DAY + dt.timedelta(days=2))
    person = services.assessment_record(actor=actor, person=person, passed=True, opinion="合格",
                                        assessed_on=DAY + dt.timedelta(days=10))
    person = services.person_decide(actor=actor, person=person, selected=True, decided_on=DAY + dt.timedelta(days=12))
    if serve:
        person = services.person_transition(actor=actor, person=person, to_status=Status.SERVING,
                                            on=DAY + dt.timedelta(days=30))
    return person


def legal_person(code: str = GACHA, name: str = "巴特尔", actor=None, serve: bool = True) -> LegalPerson:
    return select(nominate(actor, code, name), actor, serve=serve)


def adviser(code: str = GACHA, name: str = "王律师") -> Staff:
    from pingan.org.services import staff_create

    office = agency(AgencyKind.JUDICIAL_OFFICE, area(code).parent.code)
    return staff_create(actor=None, name=name, category=StaffCategory.LEGAL_ADVISER, agency=office, area=area(code),
                        id_number=identity()["id_number"], ethnicity="汉族", note="律师")


def legal_literate_user(person: LegalPerson, login: str = "mingbairen") -> User:
    return user(login, Role.LEGAL_LITERATE, person.village.code, staff=person.staff)
