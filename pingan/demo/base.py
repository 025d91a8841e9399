"""The demo-data framework: steps, the shared context and helpers for bulk creation.

A demo *step* builds one part of the data set (the tree, the police of 乌拉特中旗, the justice
line of 阿右旗 …). Each step says how to tell that its data is already there, so ``pingan demo``
is idempotent: a second run skips every step that is present. Each step runs in one transaction
and writes one audit row per import batch. Programme apps join with a ``demo`` module of their own
(see ``pingan.demo.runner``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.core.pinyin import initials
from pingan.demo.people import PeopleFactory, Person
from pingan.org.models import Agency, Posting, Staff

SEED = 2024
# The data set describes the situation at the end of 2024 and stays valid afterwards: every
# date written by the demo is on or before this day unless it is meant to be later (2025 rows).
REPORT_YEAR = 2024
YEAR_END = dt.date(REPORT_YEAR, 12, 31)
AUDIT_LOGIN = "demo"


@dataclass(frozen=True)
class DemoStep:
    key: str
    title: str
    is_present: Callable[[], bool]
    build: Callable[[DemoContext], dict[str, int]]
    external: bool = False  # a programme's own build(), which decides itself what is already there


@dataclass
class DemoContext:
    _taken_ids: set[str] | None = None
    _taken_phones: set[str] | None = None
    notes: dict[str, list[str]] = field(default_factory=dict)  # step key → lines a programme's build printed

    @staticmethod
    def rng(key: str) -> random.Random:
        """A random generator for one step, seeded from the fixed demo seed and the step's key, so a
        step draws the same values whether or not other steps ran before it."""
        return random.Random(f"{SEED}/{key}")

    def people(self, key: str) -> PeopleFactory:
        if self._taken_ids is None:
            self._taken_ids = set(Staff.objects.values_list("id_number", flat=True))
            self._taken_phones = set(Staff.objects.exclude(phone="").values_list("phone", flat=True))
        return PeopleFactory(self.rng(f"{key}/people"), taken_ids=self._taken_ids, taken_phones=self._taken_phones)


def make_staff(person: Person, *, category: str, agency: Agency, area=None, service_start: dt.date | None = None,
               note: str = "", active: bool = True) -> Staff:
    """An unsaved Staff row for ``bulk_create`` (what ``org.services.staff_create`` would build)."""
    area = area or agency.area
    assert area.path.startswith(agency.area.path), (area, agency)
    return Staff(name=person.name, name_initials=initials(person.name), category=category, agency=agency, area=area,
                 id_number=person.id_number, phone=person.phone, gender=person.gender, ethnicity=person.ethnicity,
                 birth_date=person.birth_date, service_start=service_start, active=active, note=note)


@dataclass
class Career:
    """A person with the units they served at, in order: ``[(agency, start, note), …]``. The last
    posting is open; each earlier one ends the day before the next begins."""

    staff: Staff
    segments: Sequence[tuple[Agency, dt.date, str]]

    def postings(self) -> list[Posting]:
        rows = []
        for i, (agency, start, note) in enumerate(self.segments):
            end = self.segments[i + 1][1] - dt.timedelta(days=1) if i + 1 < len(self.segments) else None
            rows.append(Posting(staff=self.staff, agency=agency, start=start, end=end, note=note))
        return rows


def career(person: Person, *, category: str, segments: Sequence[tuple[Agency, dt.date, str]], area=None,
           note: str = "") -> Career:
    """A staff row whose current unit is the last segment's, with its service start at the first."""
    segments = sorted(segments, key=lambda s: s[1])
    agency = segments[-1][0]
    return Career(make_staff(person, category=category, agency=agency, area=area, service_start=segments[0][1],
                             note=note), segments)


def save_careers(careers: Iterable[Career]) -> tuple[list[Staff], list[Posting]]:
    careers = list(careers)
    staff = Staff.objects.bulk_create([c.staff for c in careers])
    postings = Posting.objects.bulk_create([p for c in careers for p in c.postings()])
    return staff, postings


def audit_batch(obj, detail: str, counts: dict[str, int]) -> None:
    """One audit row for a demo import batch (rows made with bulk_create are not audited singly)."""
    audit_record(None, AuditAction.IMPORT, obj, detail=f"演示数据：{detail}", after=counts, login=AUDIT_LOGIN)


def day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A random day in [first, last]."""
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def year_day(rng: random.Random, year: int, first_month: int = 1, last_month: int = 12) -> dt.date:
    return day(rng, dt.date(year, first_month, 1), dt.date(year, last_month, 28))
