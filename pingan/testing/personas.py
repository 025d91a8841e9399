"""Named personas for permission tests: one per role, at a known place in the tree.

Tree used (乌拉特中旗 150824, loaded once per test session):
  banner    乌拉特中旗 150824000000                (parent of everything below)
  township  海流图镇   150824100000 ("own")   · 乌加河镇 150824101000 ("sibling")
  village   巴仁宝勒格村 150824100201 ("own")   · 巴彦塔拉村 150824100202 ("sibling", same township)
A second banner, 阿拉善右旗 152922, is the "other banner".
"""

from __future__ import annotations

from dataclasses import dataclass

from pingan.accounts.models import User
from pingan.accounts.roles import Role
from pingan.areas.models import Area
from pingan.org.models import Agency, AgencyKind

BANNER = "150824000000"
TOWNSHIP = "150824100000"
SIBLING_TOWNSHIP = "150824101000"
VILLAGE = "150824100201"
SIBLING_VILLAGE = "150824100202"
OTHER_BANNER = "152922000000"

PASSWORD = "Pingan-test-2024!"


@dataclass(frozen=True)
class Persona:
    login: str
    role: str
    jurisdiction: str | None
    agency_kind: str | None
    description: str


PERSONAS: dict[str, Persona] = {p.login: p for p in [
    Persona("sysadmin", Role.SYSADMIN, BANNER, None, "系统管理员"),
    Persona("secadmin", Role.SECADMIN, BANNER, None, "安全管理员"),
    Persona("auditor", Role.AUDITOR, BANNER, None, "审计管理员"),
    Persona("hq_officer", Role.POLICE_LEADER, BANNER, AgencyKind.POLICE_BUREAU, "旗公安局指挥中心民警"),
    Persona("station_chief", Role.STATION_CHIEF, TOWNSHIP, AgencyKind.POLICE_STATION, "海流图派出所所长"),
    Persona("village_officer", Role.COMMUNITY_OFFICER, VILLAGE, AgencyKind.POLICE_STATION, "巴仁宝勒格村驻村辅警"),
    Persona("grid_worker", Role.GRID_WORKER, VILLAGE, AgencyKind.TOWNSHIP_GOV, "巴仁宝勒格村网格员"),
    Persona("justice_clerk", Role.JUSTICE_BUREAU, BANNER, AgencyKind.JUSTICE_BUREAU, "司法局工作人员"),
    Persona("judicial_office", Role.JUDICIAL_OFFICE, TOWNSHIP, AgencyKind.JUDICIAL_OFFICE, "海流图司法所"),
    Persona("legal_literate", Role.LEGAL_LITERATE, VILLAGE, AgencyKind.VILLAGE_COMMITTEE, "法律明白人"),
    Persona("prosecutor", Role.PROSECUTOR, BANNER, AgencyKind.PROCURATORATE, "检察官"),
    Persona("liaison", Role.AGENCY_LIAISON, BANNER, AgencyKind.ADMIN_AGENCY, "市场监管局联络员"),
]}


def agency_for(kind: str, area: Area) -> Agency:
    agency, _ = Agency.objects.get_or_create(name=f"{area.short_name}{AgencyKind(kind).label}",
                                             area=area, defaults={"kind": kind})
    return agency


def make_persona(login: str) -> User:
    p = PERSONAS[login]
    jurisdiction = Area.objects.get(code=p.jurisdiction) if p.jurisdiction else None
    agency = agency_for(p.agency_kind, jurisdiction) if p.agency_kind else None
    user = User(username=p.login, role=p.role, full_name=p.description, jurisdiction=jurisdiction, agency=agency,
                is_staff=p.role in (Role.SYSADMIN, Role.SECADMIN))
    user.set_password(PASSWORD)
    user.save()
    return user


def second_factor(user):
    """The user's confirmed TOTP device (made once); codes: ``pingan.accounts.otp.code_at(device)``."""
    from pingan.accounts.models import OTPDevice

    device = OTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or OTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)


def signed_in_session(user) -> dict:
    """What a finished sign-in leaves in a session besides the user: its times and, for a role that
    requires a second factor, the device that verified it — so permission tests measure permissions.
    (That unverified sessions of those roles get nowhere is tested in pingan/accounts/tests.)"""
    from pingan.accounts import otp, sessions

    data: dict = {}
    sessions.start(data)
    data[otp.OTP_KEY] = False
    if otp.otp_required(user):
        key, value = otp.session_device_id(second_factor(user))
        data[key] = value
        data[otp.OTP_KEY] = True
    return data


def verify_second_factor(client, user) -> None:
    """Mark a test client's signed-in session as past the second factor (roles that require it)."""
    from pingan.accounts import otp

    if otp.otp_required(user):
        session = client.session
        key, value = otp.session_device_id(second_factor(user))
        session[key] = value
        session[otp.OTP_KEY] = True
        session.save()
