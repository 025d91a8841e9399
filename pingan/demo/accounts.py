"""Demo logins: one per role, each at a sensible place in the tree and tied to its agency and person.

``DEMO_LOGINS`` is the one list (README, the ``pingan demo`` table and the tests read it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import Q

from pingan.accounts.models import OTPDevice, User
from pingan.accounts.otp import otp_required, secret
from pingan.accounts.roles import Role
from pingan.accounts.services import user_create
from pingan.areas.models import Area
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction
from pingan.demo import build_grid, build_justice, build_police, build_procuratorate
from pingan.demo.base import DemoContext, DemoStep
from pingan.demo.build_areas import ALXA_RIGHT, EJIN_HORO, URAT_MIDDLE
from pingan.org.models import Agency, AssignmentRole, Staff, StaffCategory

DEMO_PASSWORD = "Pingan@2024"

_PROVINCE = "150000000000"  # 内蒙古自治区: the administrators look after all three banners
_HAILIUTU = "150824100000"  # 海流图镇
_HAILIUTU_VILLAGE = "150824100201"  # 巴仁宝勒格村 (has grids, a 驻村辅警 and a 网格员)
_BADANJILIN = "152922103000"  # 巴丹吉林镇
_HAILIUTU_STATION = f"{build_police.BUREAU_NAME}海流图派出所"
_BADANJILIN_OFFICE = f"{build_justice.BUREAU_NAME}巴丹吉林司法所"


@dataclass(frozen=True)
class DemoLogin:
    login: str
    role: str
    jurisdiction: str  # code of the unit the user's scope starts at
    agency: str | None  # agency name
    sees: str  # what the user sees, for the README and the printed table
    staff: dict = field(default_factory=dict)  # lookup of the person behind the login (first match by id)
    is_staff: bool = False  # may use the Django admin

    @property
    def role_label(self) -> str:
        return Role(self.role).label


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", Role.SYSADMIN, _PROVINCE, None,
              "账号、辖区、单位、人员等基础数据维护（个人信息脱敏），Django后台", is_staff=True),
    DemoLogin("security", Role.SECADMIN, _PROVINCE, None, "角色、账号锁定、API令牌等安全设置，Django后台",
              is_staff=True),
    DemoLogin("auditor", Role.AUDITOR, _PROVINCE, None, "审计日志查询（不能改账号、不看业务数据）"),
    DemoLogin("zhihui", Role.POLICE_LEADER, URAT_MIDDLE, build_police.BUREAU_NAME,
              "全旗公安：一村一警覆盖与缺口、进班子、警力下沉、报表",
              staff={"agency__name": f"{build_police.BUREAU_NAME}指挥中心", "note": "主任"}),
    DemoLogin("suozhang", Role.STATION_CHIEF, _HAILIUTU, _HAILIUTU_STATION,
              "海流图镇：本所民辅警、驻村警务、警务室", staff={"agency__name": _HAILIUTU_STATION, "note": "所长"}),
    DemoLogin("fujing", Role.COMMUNITY_OFFICER, _HAILIUTU_VILLAGE, _HAILIUTU_STATION,
              "巴仁宝勒格村的驻村警务（本村辅警）",
              staff={"area__code": _HAILIUTU_VILLAGE, "category": StaffCategory.AUXILIARY,
                     "assignments__role": AssignmentRole.AUXILIARY, "assignments__end__isnull": True}),
    DemoLogin("wangge", Role.GRID_WORKER, _HAILIUTU_VILLAGE, "海流图镇综治中心",
              "巴仁宝勒格村的网格与网格员",
              staff={"area__parent__code": _HAILIUTU_VILLAGE, "category": StaffCategory.GRID_WORKER}),
    DemoLogin("sifaju", Role.JUSTICE_BUREAU, ALXA_RIGHT, build_justice.BUREAU_NAME,
              "阿拉善右旗：司法所、村(居)法律顾问、人民调解员、法律明白人",
              staff={"agency__name": build_justice.BUREAU_NAME, "note": "局长"}),
    DemoLogin("sifasuo", Role.JUDICIAL_OFFICE, _BADANJILIN, _BADANJILIN_OFFICE,
              "巴丹吉林镇：本所辖区的法律顾问、调解员、法律明白人",
              staff={"agency__name": _BADANJILIN_OFFICE, "note": "所长"}),
    DemoLogin("mingbairen", Role.LEGAL_LITERATE, build_justice.LEGAL_LITERATE_GACHA, _BADANJILIN_OFFICE,
              "额肯呼都格嘎查的法律服务事项",
              staff={"area__code": build_justice.LEGAL_LITERATE_GACHA, "category": StaffCategory.LEGAL_LITERATE}),
    DemoLogin("jiancha", Role.PROSECUTOR, EJIN_HORO, f"{build_procuratorate.PROCURATORATE_NAME}控告申诉检察部",
              "伊金霍洛旗检察业务：控告申诉、检察建议",
              staff={"agency__name": f"{build_procuratorate.PROCURATORATE_NAME}控告申诉检察部", "note": "主任"}),
    DemoLogin("lianluo", Role.AGENCY_LIAISON, EJIN_HORO, "伊金霍洛旗市场监督管理局",
              "只看与本单位（市场监管局）有关的事项，如检察建议及整改",
              staff={"agency__name": "伊金霍洛旗市场监督管理局", "category": StaffCategory.ADMIN_STAFF}),
)
assert {d.role for d in DEMO_LOGINS} == set(Role.values), "every role needs a demo login"
assert build_grid.CENTRE_TOWNSHIPS[0] == _HAILIUTU


def demo_otp_key(login: str) -> str:
    """The fixed TOTP key (hex) of a demo login whose role requires a second factor: the same on
    every run, so a tester adds it to an authenticator once. Demo only — never in production."""
    return hashlib.sha1(f"pingan-demo-totp:{login}".encode()).hexdigest()


def _otp_logins(users) -> list[User]:
    return [u for u in users if otp_required(u)]


def is_present() -> bool:
    users = list(User.objects.filter(username__in=[d.login for d in DEMO_LOGINS]))
    devices = OTPDevice.objects.filter(user__in=_otp_logins(users), confirmed=True).count()
    return len(users) == len(DEMO_LOGINS) and devices == len(_otp_logins(users))


def _enrol(user: User) -> None:
    """Bind the fixed demo authenticator (audited like an enrolment)."""
    if OTPDevice.objects.filter(user=user, confirmed=True).exists():
        return
    device = OTPDevice.objects.create(user=user, name="演示验证器", key=demo_otp_key(user.username), confirmed=True)
    audit_record(None, AuditAction.CREATE, device, login="demo", object_repr=f"{user.username} 的动态口令设备",
                 after={"name": device.name, "confirmed": True}, detail="演示账号：绑定固定密钥的动态口令")


def _staff_for(demo: DemoLogin) -> Staff | None:
    if not demo.staff:
        return None
    return Staff.objects.filter(**demo.staff).filter(Q(user__isnull=True)).order_by("pk").first()


def build(ctx: DemoContext) -> dict[str, int]:
    existing = set(User.objects.filter(username__in=[d.login for d in DEMO_LOGINS]).values_list("username", flat=True))
    made = 0
    for demo in DEMO_LOGINS:
        if demo.login in existing:
            continue
        jurisdiction = Area.objects.get(code=demo.jurisdiction)
        agency = Agency.objects.get(name=demo.agency) if demo.agency else None
        staff = _staff_for(demo)
        user = user_create(actor=None, username=demo.login, password=DEMO_PASSWORD, role=demo.role,
                           full_name=staff.name if staff else demo.role_label, jurisdiction=jurisdiction,
                           agency=agency, staff=staff)
        if demo.is_staff:
            before = snapshot(user)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            audit_record(None, AuditAction.UPDATE, user, before={"is_staff": before["is_staff"]},
                         after={"is_staff": True}, login="demo", detail="演示账号：允许进入管理后台")
        made += 1
    enrolled = 0
    for user in _otp_logins(User.objects.filter(username__in=[d.login for d in DEMO_LOGINS])):
        if not OTPDevice.objects.filter(user=user, confirmed=True).exists():
            _enrol(user)
            enrolled += 1
    return {"演示账号": made, "动态口令": enrolled}


def login_rows() -> list[dict[str, str]]:
    """The demo logins as they are in the database, for the printed table."""
    users = {u.username: u for u in User.objects.filter(username__in=[d.login for d in DEMO_LOGINS])
             .select_related("jurisdiction", "agency", "staff")}
    rows = []
    for demo in DEMO_LOGINS:
        user = users.get(demo.login)
        area = user.jurisdiction if user and user.jurisdiction_id else None
        rows.append({
            "login": demo.login,
            "role": demo.role_label,
            "jurisdiction": f"{area.full_name}({area.code})" if area else demo.jurisdiction,
            "agency": (user.agency.short_name or user.agency.name) if user and user.agency_id else "",
            "name": user.full_name if user else "",
            "sees": demo.sees,
        })
        device = OTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        if device is not None:
            # The second factor, on a line of its own under the login: the key to type into an
            # authenticator (or the otpauth:// address to turn into a QR code).
            rows.append({"login": "", "role": "", "jurisdiction": "", "agency": "", "name": "",
                         "sees": f"↳ 动态口令密钥 {secret(device)}  {device.config_url}",
                         "otp_secret": secret(device), "otp_uri": device.config_url})
    return rows


STEP = DemoStep("accounts", "演示账号（每个角色一个）", is_present, build)
