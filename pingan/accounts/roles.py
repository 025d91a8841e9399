"""Roles and what each may do. One table, read by the scope, the menus, the admin and the tests.

The three administrative powers are separate (三权分立): the system administrator manages
accounts and reference data, the security administrator manages roles, locks and security
settings, the audit administrator reads the audit log — none of them can do the others' job, and
none of them reads business records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from pingan.core.scope import ALL_LINES, Line


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"
    POLICE_LEADER = "police_leader", "局领导/指挥中心"
    STATION_CHIEF = "station_chief", "派出所所长"
    COMMUNITY_OFFICER = "community_officer", "社区民警/驻村辅警"
    GRID_WORKER = "grid_worker", "网格员"
    JUSTICE_BUREAU = "justice_bureau", "司法局"
    JUDICIAL_OFFICE = "judicial_office", "司法所"
    LEGAL_LITERATE = "legal_literate", "法律明白人"
    PROSECUTOR = "prosecutor", "检察官"
    AGENCY_LIAISON = "agency_liaison", "行政机关联络员"


@dataclass(frozen=True)
class RolePolicy:
    lines: frozenset[str]  # business lines whose records the role may see (within its jurisdiction)
    full_personal_data: bool = False  # may reveal full ID numbers and phones (each reveal audited)
    manage_accounts: bool = False  # create users, edit reference data (areas, agencies, staff)
    manage_security: bool = False  # roles, locks, tokens
    read_audit: bool = False
    import_data: bool = False  # 台账 import
    agency_bound: bool = False  # sees only what concerns its own agency
    admin_site: bool = False


POLICIES: dict[str, RolePolicy] = {
    Role.SYSADMIN: RolePolicy(lines=frozenset(), manage_accounts=True, admin_site=True),
    Role.SECADMIN: RolePolicy(lines=frozenset(), manage_security=True, admin_site=True),
    Role.AUDITOR: RolePolicy(lines=frozenset(), read_audit=True),
    Role.POLICE_LEADER: RolePolicy(lines=frozenset({Line.POLICE}), full_personal_data=True, import_data=True),
    Role.STATION_CHIEF: RolePolicy(lines=frozenset({Line.POLICE}), full_personal_data=True, import_data=True),
    Role.COMMUNITY_OFFICER: RolePolicy(lines=frozenset({Line.POLICE})),
    Role.GRID_WORKER: RolePolicy(lines=frozenset({Line.GRID})),
    Role.JUSTICE_BUREAU: RolePolicy(lines=frozenset({Line.JUSTICE}), full_personal_data=True, import_data=True),
    Role.JUDICIAL_OFFICE: RolePolicy(lines=frozenset({Line.JUSTICE}), full_personal_data=True, import_data=True),
    Role.LEGAL_LITERATE: RolePolicy(lines=frozenset({Line.JUSTICE})),
    Role.PROSECUTOR: RolePolicy(lines=frozenset({Line.PROCURATORATE}), full_personal_data=True),
    Role.AGENCY_LIAISON: RolePolicy(lines=frozenset({Line.ADMIN}), agency_bound=True),
}

# The system administrator maintains the organisation of every line, so for reference data
# (areas, agencies, staff) it sees all lines in its jurisdiction, with personal data masked.
REFERENCE_DATA_LINES = ALL_LINES


def policy(role: str) -> RolePolicy:
    return POLICIES[role]
