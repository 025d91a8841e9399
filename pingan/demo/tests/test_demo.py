"""The demo data set: built once for this module (in a transaction rolled back at the end), then
checked against the acceptance figures of the issue and the rules of the data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from pingan.accounts.models import User
from pingan.accounts.roles import Role
from pingan.areas.models import ADMIN_VILLAGE_KINDS, Area, Level
from pingan.core import idcard
from pingan.core.dictionaries import ETHNICITIES
from pingan.core.models import AuditAction, AuditLog
from pingan.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD
from pingan.demo.runner import run_demo
from pingan.org import selectors
from pingan.org.models import (
    Agency,
    AgencyKind,
    AssignmentRole,
    PoliceRoom,
    Posting,
    Staff,
    StaffCategory,
    TeamSeat,
    VillageAssignment,
)
from pingan.reports.registry import ReportContext, all_indicators, compute_all

URAT_MIDDLE, ALXA_RIGHT, EJIN_HORO = "150824000000", "152922000000", "150627000000"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the demo's 12 logins, hashed quickly

ACCEPTANCE_2024 = {
    "org.admin_villages": 87,
    "org.villages_with_officer": 87,
    "org.auxiliary_officers_assigned": 87,
    "org.part_time_assistants": 22,
    "org.police_rooms_high_standard": 2,
    "org.team_seat_officers": 45,
    "org.team_seat_townships": 7,
    "org.team_seat_villages": 45,
    "org.staff_moved_to_stations": 20,
}
MODELS = (Area, Agency, Staff, Posting, VillageAssignment, PoliceRoom, TeamSeat, User)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Run ``pingan demo``'s builder once for the module, inside a transaction rolled back afterwards
    so the rest of the suite sees the test database as it was."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            results = run_demo(programmes=False)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield results
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def banner(demo, db):
    return Area.objects.get(code=URAT_MIDDLE)


def org_figures(banner: Area, year: int) -> dict:
    """The organisation's indicators only, so a broken indicator of another programme cannot hide
    what these tests are about (the acceptance test itself reads the whole report)."""
    ctx = ReportContext(banner, year)
    return {ind.code: ind.compute(ctx) for ind in all_indicators() if ind.programme == "org"}


def test_the_first_run_builds_every_step(demo):
    assert [r.step.key for r in demo if r.skipped] == []
    assert [r.step.key for r in demo] == ["areas", "police", "grid", "justice", "procuratorate", "accounts"]


def test_the_2024_report_prints_the_acceptance_figures(banner):
    report = compute_all(ReportContext(banner, 2024))
    assert {code: report[code] for code in ACCEPTANCE_2024} == ACCEPTANCE_2024
    assert report["org.new_recruits"] == report["org.new_recruits_to_stations"]


def test_every_2024_recruit_went_first_to_a_station(banner):
    figures = org_figures(banner, 2024)
    assert {code: figures[code] for code in ACCEPTANCE_2024} == ACCEPTANCE_2024
    assert figures["org.new_recruits"] == figures["org.new_recruits_to_stations"] == 14


def test_the_year_matters(banner):
    figures = org_figures(banner, 2023)
    assert figures["org.staff_moved_to_stations"] == 4
    assert figures["org.new_recruits"] == figures["org.new_recruits_to_stations"] == 4
    assert figures["org.team_seat_officers"] != ACCEPTANCE_2024["org.team_seat_officers"]


def test_the_19_communities_and_farm_units_are_gaps(banner):
    for day in (dt.date(2024, 12, 31), dt.date.today()):
        cov = selectors.coverage(None, banner, day)
        assert len(cov.rows) == 106
        assert cov.admin_villages == cov.admin_villages_covered == 87
        gaps = cov.gaps
        assert len(gaps) == 19
        assert all(r.village.kind not in ADMIN_VILLAGE_KINDS for r in gaps)
        counts = selectors.coverage_counts(None, banner, day)  # the home page's figures, without the people
        assert (counts.units, counts.admin_villages, counts.admin_villages_covered, counts.units - counts.covered) \
            == (len(cov.rows), cov.admin_villages, cov.admin_villages_covered, len(gaps))


def test_each_village_has_exactly_one_active_auxiliary(banner):
    active = selectors.active_on(VillageAssignment.objects.filter(role=AssignmentRole.AUXILIARY,
                                                                  village__path__startswith=banner.path),
                                 dt.date.today())
    villages = list(active.values_list("village_id", flat=True))
    assert len(villages) == len(set(villages)) == 87
    assert not active.exclude(staff__category=StaffCategory.AUXILIARY).exists()
    part_time = VillageAssignment.objects.filter(role=AssignmentRole.PART_TIME, end__isnull=True)
    assert not part_time.exclude(staff__category=StaffCategory.PART_TIME_ASSISTANT).exists()


def test_every_township_has_its_police_station(banner):
    townships = Area.objects.filter(parent=banner, level=Level.TOWNSHIP)
    assert townships.count() == 12
    for t in townships:
        assert Agency.objects.filter(kind=AgencyKind.POLICE_STATION, area=t).count() == 1, t
    bureau = Agency.objects.get(kind=AgencyKind.POLICE_BUREAU, area=banner)
    assert Agency.objects.filter(kind=AgencyKind.POLICE_HQ, parent=bureau).count() >= 5


def test_some_hq_staff_are_short_of_grassroots_experience(demo, db):
    leader = User.objects.get(username="zhihui")
    short = selectors.hq_staff_short_of_grassroots(leader, dt.date.today())
    at_hq = selectors.active_on(Posting.objects.filter(agency__kind__in=(AgencyKind.POLICE_HQ,
                                                                         AgencyKind.POLICE_BUREAU)), dt.date.today())
    assert 0 < len(short) < at_hq.count()


def test_postings_are_a_clean_history(demo, db):
    """One open posting per person with postings, at the unit the person is recorded at; no overlaps."""
    by_staff: dict[int, list[Posting]] = {}
    for p in Posting.objects.select_related("staff").order_by("staff_id", "start"):
        by_staff.setdefault(p.staff_id, []).append(p)
    for postings in by_staff.values():
        assert [p.end for p in postings].count(None) == 1
        assert postings[-1].end is None and postings[-1].agency_id == postings[-1].staff.agency_id
        for before, after in zip(postings, postings[1:], strict=False):
            assert before.end == after.start - dt.timedelta(days=1)


def test_people_have_valid_ids_phones_and_ethnicity(demo, db):
    staff = list(Staff.objects.select_related("agency__area", "area"))
    assert len(staff) > 400
    for s in staff:
        assert idcard.validate(s.id_number) == s.id_number
        assert idcard.gender(s.id_number) == s.gender and idcard.birth_date(s.id_number) == s.birth_date
        assert len(s.phone) == 11 and s.phone.isdigit() and s.phone.startswith("1")
        assert s.ethnicity in ETHNICITIES
        assert s.area.path.startswith(s.agency.area.path)
    ethnicities = {s.ethnicity for s in staff}
    assert {"汉族", "蒙古族"} <= ethnicities


def test_justice_and_procuratorate_lines(demo, db):
    alxa = Area.objects.get(code=ALXA_RIGHT)
    assert Agency.objects.filter(kind=AgencyKind.JUDICIAL_OFFICE, area__parent=alxa).count() == 7
    advisers = Staff.objects.filter(category=StaffCategory.LEGAL_ADVISER, area__path__startswith=alxa.path)
    units = Area.objects.filter(path__startswith=alxa.path, level=Level.VILLAGE)
    assert advisers.count() == units.count() == 49
    assert set(advisers.values_list("area_id", flat=True)) == set(units.values_list("pk", flat=True))
    assert Staff.objects.filter(category=StaffCategory.MEDIATOR).count() > 0
    ejin = Area.objects.get(code=EJIN_HORO)
    assert Agency.objects.filter(kind=AgencyKind.PROCURATORATE, area=ejin).count() == 1
    assert Staff.objects.filter(category=StaffCategory.PROSECUTOR, area=ejin).count() >= 3
    admin = Agency.objects.filter(kind=AgencyKind.ADMIN_AGENCY, area=ejin)
    assert admin.count() == 7 and all(a.staff.exists() for a in admin)


def test_grids_have_grid_workers(demo, db):
    grids = Area.objects.filter(level=Level.GRID, path__startswith=Area.objects.get(code=URAT_MIDDLE).path)
    assert grids.count() >= 10
    assert set(Staff.objects.filter(category=StaffCategory.GRID_WORKER).values_list("area_id", flat=True)) == set(
        grids.values_list("pk", flat=True))


def test_population_is_plausible(demo, db):
    banner = Area.objects.get(code=URAT_MIDDLE)
    villages = Area.objects.filter(path__startswith=banner.path, level=Level.VILLAGE)
    assert 135_000 <= banner.population <= 145_000
    assert banner.population == sum(villages.values_list("population", flat=True))
    assert not villages.filter(households__isnull=True).exists()


def test_every_role_has_a_demo_login(demo, db):
    assert {d.role for d in DEMO_LOGINS} == set(Role.values)
    users = {u.username: u for u in User.objects.select_related("jurisdiction", "agency", "staff")}
    for d in DEMO_LOGINS:
        user = users[d.login]
        assert user.role == d.role and user.is_active
        with override_settings(PASSWORD_HASHERS=FAST_HASHER):  # as the fixture hashed them
            assert user.check_password(DEMO_PASSWORD)
        validate_password(DEMO_PASSWORD, user)
        assert user.jurisdiction.code == d.jurisdiction
        assert user.is_staff == (d.role in (Role.SYSADMIN, Role.SECADMIN))
        if d.agency:
            assert user.agency.name == d.agency
        if d.staff:
            assert user.staff is not None and user.staff.area.path.startswith(user.jurisdiction.path)
    fujing = users["fujing"].staff
    assert VillageAssignment.objects.filter(staff=fujing, village=users["fujing"].jurisdiction,
                                            role=AssignmentRole.AUXILIARY, end__isnull=True).exists()
    assert users["lianluo"].agency.short_name == "市场监管局"


def test_imports_are_audited(demo, db):
    rows = AuditLog.objects.filter(action=AuditAction.IMPORT, detail__startswith="演示数据")
    assert rows.count() >= 5


def test_a_second_run_changes_nothing(demo, db):
    before = {m.__name__: m.objects.count() for m in MODELS}
    results = run_demo(programmes=False)
    assert all(r.skipped for r in results)
    assert {m.__name__: m.objects.count() for m in MODELS} == before


def test_the_command_says_the_data_is_there_and_prints_logins(demo, db):
    out = io.StringIO()
    call_command("demo", "--foundation-only", "--banner", "150824", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "基础演示数据已存在" in text
    assert DEMO_PASSWORD in text
    assert all(d.login in text for d in DEMO_LOGINS)
    assert "org.team_seat_officers" in text


def test_personal_data_is_encrypted_at_rest(demo, db):
    """Every ID number and phone the demo writes is a Fernet token in the raw column (read past the ORM),
    its keyed hash matches, and no plaintext number appears in any encrypted column."""
    from django.db import connection

    from pingan.core import crypto

    qn = connection.ops.quote_name
    checked = set()
    for model in crypto.encrypted_models():
        fields = crypto.encrypted_fields(model)
        columns = ", ".join(qn(f.column) for f in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {qn(model._meta.pk.column)}, {columns} FROM {qn(model._meta.db_table)}")
            rows = cursor.fetchall()
        if not rows:
            continue  # this module builds the base data only (programmes=False): staff, not incidents
        checked.add(model._meta.label)
        plain = {obj.pk: obj for obj in model._base_manager.filter(pk__in=[r[0] for r in rows[:50]])}
        for pk, *values in rows:
            for field, value in zip(fields, values, strict=True):
                assert not value or crypto.is_token(value), f"{model._meta.label}.{field.name} #{pk} in the clear"
            if pk in plain:
                obj = plain[pk]
                for field, value in zip(fields, values, strict=True):
                    text = getattr(obj, field.attname)
                    if text:
                        assert text not in value and crypto.decrypt(value) == text
                        digest = [c for c in field.companions(model) if isinstance(c, crypto.LookupHashField)]
                        if not digest:
                            continue  # no hash column (a TOTP key is never looked up)
                        stored = model._base_manager.filter(pk=pk).values_list(*[c.attname for c in digest]).get()
                        assert all(h == crypto.lookup_hash(text, field.kind) for h in stored)
    assert {"org.Staff", "accounts.OTPDevice"} <= checked
