"""检护民生 routes in the permission matrix (see pingan/testing/matrix.py).

Every target is built so that the persona at "own" may see it — as its business line sees records
of this app: the procuratorate line its jurisdiction's records; an agency liaison a suggestion served
on its own agency (other records only when shared with that agency); the police, justice and grid
lines a record shared with their line. At "sibling" and "parent" the same record sits in the other
place (shared or addressed just the same), so only the jurisdiction keeps it out of sight. That a
record nobody shared stays invisible to those lines is tested in test_scope.py.
"""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from pingan.accounts.roles import Role
from pingan.core import idcard
from pingan.core.scope import Line
from pingan.testing.matrix import MARKER, Place, Route, Target, line_of
from pingan.testing.personas import agency_for

READERS = frozenset({Role.PROSECUTOR, Role.AGENCY_LIAISON, Role.POLICE_LEADER, Role.STATION_CHIEF,
                     Role.COMMUNITY_OFFICER, Role.GRID_WORKER, Role.JUSTICE_BUREAU, Role.JUDICIAL_OFFICE,
                     Role.LEGAL_LITERATE})
WRITERS = frozenset({Role.PROSECUTOR})
REPLIERS = frozenset({Role.PROSECUTOR, Role.AGENCY_LIAISON})
SHARED = (READERS - {Role.AGENCY_LIAISON}) | WRITERS
D = dt.date(2024, 3, 1)


def _procuratorate(node):
    return agency_for("procuratorate", node)


def _share(place: Place, record) -> None:
    """Open the record to the persona's line (or, for the liaison, its agency) at the record's place."""
    from pingan.procuratorate.models import Share, Suggestion

    role = place.role
    if role == Role.AGENCY_LIAISON:
        if not isinstance(record, Suggestion):
            Share.objects.create(record_type=record.record_type, record_id=record.pk, agency=place.agency(place.node))
        return
    line = line_of(role)
    if line not in (Line.PROCURATORATE, Line.ADMIN):
        Share.objects.create(record_type=record.record_type, record_id=record.pk, line=line)


def _lead(place: Place, status: str = "new"):
    from pingan.procuratorate.models import Lead

    node = place.node
    lead = Lead.objects.create(procuratorate=_procuratorate(node), area=node, number=f"矩阵线〔2024〕{Lead.objects.count() + 1}号",
                               field="food_drug", source="own", subject=MARKER + "线索", received_on=D, status=status)
    _share(place, lead)
    return lead


def _suggestion(place: Place, status: str = "awaiting"):
    from pingan.procuratorate.models import Suggestion

    node = place.node
    agency = place.agency(node) if place.role == Role.AGENCY_LIAISON else agency_for("admin_agency", node)
    served = status != "draft"
    s = Suggestion.objects.create(
        procuratorate=_procuratorate(node), area=node, addressed_agency=agency, field="food_drug",
        title=MARKER + "检察建议", matter="矩阵情形", facts="事实", legal_basis="依据", requirements="要求", status=status,
        number=f"矩阵建〔2024〕{Suggestion.objects.count() + 1}号" if served else "",
        approved_on=D if served else None, served_on=D if served else None,
        reply_deadline=dt.date(2024, 5, 1) if served else None)
    _share(place, s)
    return s


def _claim(place: Place):
    from pingan.procuratorate.models import WageClaim, WageWorker

    node = place.node
    claim = WageClaim.objects.create(procuratorate=_procuratorate(node), area=node,
                                     number=f"矩阵讨薪〔2024〕{WageClaim.objects.count() + 1}号",
                                     project=MARKER + "工程", contractor="某承包人", received_on=D)
    WageWorker.objects.create(claim=claim, name="矩阵工人", id_number=idcard.make("150824", dt.date(1980, 1, 1), 1),
                              amount_owed=decimal.Decimal("1000.00"))
    _share(place, claim)
    return claim


def _fraud(place: Place):
    from pingan.procuratorate.models import FraudIntervention

    node = place.node
    record = FraudIntervention.objects.create(procuratorate=_procuratorate(node), area=node, case_ref="矩阵刑1",
                                              case_name=MARKER + "诈骗案", police_agency="公安局", intervened_on=D)
    _share(place, record)
    return record


def _publicity(place: Place):
    from pingan.procuratorate.models import PublicityEvent

    node = place.node
    record = PublicityEvent.objects.create(procuratorate=_procuratorate(node), area=node, held_on=D,
                                           place=MARKER + "广场", forms="发放宣传资料")
    _share(place, record)
    return record


def record(make, key: str | None = "pk", **options):
    def build(place: Place) -> Target:
        obj = make(place, **options)
        return Target({key: obj.pk} if key else {}, marker=MARKER, obj=obj)

    return build


def generic(make, **options):
    """URL kwargs (record_type, pk) of the generic routes (attach, share)."""

    def build(place: Place) -> Target:
        obj = make(place, **options)
        return Target({"record_type": obj.record_type, "pk": obj.pk}, obj=obj)

    return build


def share_target(place: Place) -> Target:
    from pingan.procuratorate.models import Share

    lead = _lead(place)
    share = Share.objects.create(record_type="lead", record_id=lead.pk, line=Line.JUSTICE)
    return Target({"pk": share.pk}, obj=share)


def attachment_target(place: Place) -> Target:
    from django.conf import settings

    from pingan.procuratorate.models import Attachment

    probe = Path(settings.MEDIA_ROOT) / "procuratorate" / "matrix-probe.txt"
    if not probe.exists():
        probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"matrix")
    lead = _lead(place)
    attachment = Attachment.objects.create(record_type="lead", record_id=lead.pk, file="procuratorate/matrix-probe.txt",
                                           name="probe.txt", size=6)
    return Target({"pk": attachment.pk}, obj=attachment)


def prosecution_target(place: Place) -> Target:
    from pingan.procuratorate.models import Prosecution

    p = Prosecution.objects.create(claim=_claim(place), case_ref="矩阵诉1", defendant="某承包人", court="法院", filed_on=D)
    return Target({"pk": p.pk}, obj=p)


def suit_target(place: Place) -> Target:
    from pingan.procuratorate.models import SupportSuit

    claim = _claim(place)
    suit = SupportSuit.objects.create(claim=claim, applied_on=D)
    suit.workers.set(claim.workers.all())
    return Target({"pk": suit.pk}, obj=suit)


def referral_target(place: Place) -> Target:
    from pingan.procuratorate.models import AidReferral

    claim = _claim(place)
    dept = agency_for("procuratorate_dept", place.node)
    referral = AidReferral.objects.create(claim=claim, referred_to=dept, referred_on=D)
    referral.workers.set(claim.workers.all())
    return Target({"pk": referral.pk}, obj=referral)


def claim_with_dept(place: Place) -> Target:
    claim = _claim(place)
    dept = agency_for("procuratorate_dept", place.node)
    return Target({"pk": claim.pk}, obj={"claim": claim, "dept": dept})


def _worker_body(target):
    claim = target.obj
    return {"name": "新登记工人", "id_number": idcard.make("150824", dt.date(1985, 6, 1), claim.pk % 900 + 2),
            "amount_owed": "3200.50"}


def _decide_body(target):
    worker = target.obj.workers.first()
    return {"decided_on": dt.date(2024, 6, 1).isoformat(), f"granted_{worker.pk}": "yes", f"amount_{worker.pk}": "2000"}


ROUTES = [
    # pages without an object
    Route("procuratorate:index", roles=WRITERS),
    Route("procuratorate:shared", roles=SHARED),
    Route("procuratorate:lead_create", roles=WRITERS),
    Route("procuratorate:suggestion_create", roles=WRITERS),
    Route("procuratorate:claim_create", roles=WRITERS),
    Route("procuratorate:fraud_create", roles=WRITERS),
    Route("procuratorate:publicity_create", roles=WRITERS),
    # lists
    Route("procuratorate:lead_list", roles=READERS, target=record(_lead, None), list=True),
    Route("procuratorate:suggestion_list", roles=READERS, target=record(_suggestion, None), list=True),
    Route("procuratorate:claim_list", roles=READERS, target=record(_claim, None), list=True),
    Route("procuratorate:fraud_list", roles=READERS, target=record(_fraud, None), list=True),
    Route("procuratorate:publicity_list", roles=READERS, target=record(_publicity, None), list=True),
    # details
    Route("procuratorate:lead_detail", roles=READERS, target=record(_lead)),
    Route("procuratorate:suggestion_detail", roles=READERS, target=record(_suggestion)),
    Route("procuratorate:suggestion_edit", roles=WRITERS, target=record(_suggestion, status="draft")),
    Route("procuratorate:claim_detail", roles=READERS, target=record(_claim)),
    Route("procuratorate:fraud_detail", roles=READERS, target=record(_fraud)),
    Route("procuratorate:attachment", roles=READERS, target=attachment_target),
    # actions
    Route("procuratorate:lead_assess", roles=WRITERS, method="POST", target=record(_lead), ok=302, writes=True,
          body=lambda t: {"outcome": "close", "reason": "矩阵：不予立案"}),
    Route("procuratorate:suggestion_action", roles=WRITERS, method="POST", ok=302, writes=True,
          target=record(_suggestion, status="draft"), body=lambda t: {"action": "submit"}),
    Route("procuratorate:suggestion_reply", roles=REPLIERS, method="POST", ok=302, writes=True,
          target=record(_suggestion), body=lambda t: {"reply": "已整改到位"}),
    # A file of a type that is refused: the route is checked without writing into MEDIA_ROOT (uploads
    # that succeed are tested in test_pages.py with a temporary MEDIA_ROOT).
    Route("procuratorate:attach", roles=REPLIERS, method="POST", ok=302, target=generic(_suggestion),
          body=lambda t: {"file": SimpleUploadedFile("x.exe", b"MZ"), "kind": "evidence"}),
    Route("procuratorate:share", roles=WRITERS, method="POST", ok=302, writes=True, target=generic(_lead),
          body=lambda t: {"line": Line.JUSTICE}),
    Route("procuratorate:share_revoke", roles=WRITERS, method="POST", ok=302, writes=True, target=share_target),
    Route("procuratorate:worker_add", roles=WRITERS, method="POST", ok=302, writes=True, target=record(_claim),
          body=_worker_body),
    Route("procuratorate:prosecution_add", roles=WRITERS, method="POST", ok=302, writes=True, target=record(_claim),
          body=lambda t: {"case_ref": "矩阵刑诉1号", "defendant": "某承包人", "court": "人民法院",
                          "filed_on": "2024-05-01"}),
    Route("procuratorate:prosecution_judge", roles=WRITERS, method="POST", ok=302, writes=True,
          target=prosecution_target, body=lambda t: {"judgment": "有期徒刑一年", "judged_on": "2024-09-01"}),
    Route("procuratorate:support_apply", roles=WRITERS, method="POST", ok=302, writes=True, target=record(_claim),
          body=lambda t: {"all_workers": "on", "on": "2024-04-01"}),
    Route("procuratorate:support_step", roles=WRITERS, method="POST", ok=302, writes=True, target=suit_target,
          body=lambda t: {"action": "review", "on": "2024-04-02"}),
    Route("procuratorate:referral_add", roles=WRITERS, method="POST", ok=302, writes=True, target=claim_with_dept,
          body=lambda t: {"all_workers": "on", "on": "2024-04-01", "referred_to": t.obj["dept"].pk}),
    Route("procuratorate:referral_decide", roles=WRITERS, method="POST", ok=302, writes=True, target=referral_target,
          body=_decide_body),
    Route("procuratorate:enforcement_add", roles=WRITERS, method="POST", ok=302, writes=True, target=record(_claim),
          body=lambda t: {"on": "2024-08-01", "action": "查封车辆", "amount_recovered": "500.00"}),
    Route("procuratorate:claim_close", roles=WRITERS, method="POST", ok=302, writes=True, target=record(_claim),
          body=lambda t: {"closed_on": "2024-12-01", "note": "工资已全部支付"}),
    Route("procuratorate:victim_add", roles=WRITERS, method="POST", ok=302, writes=True, target=record(_fraud),
          body=lambda t: {"name": "被害人甲", "loss": "1000.00", "recovered": "600.00", "recovered_on": "2024-06-01"}),
    Route("procuratorate:fraud_stage", roles=WRITERS, method="POST", ok=302, writes=True, target=record(_fraud),
          body=lambda t: {"stage": "review", "on": "2024-06-01"}),
    # API
    Route("GET /api/procuratorate/leads", roles=READERS, target=record(_lead, None), list=True),
    Route("GET /api/procuratorate/leads/{lead_id}", roles=READERS, target=record(_lead, "lead_id")),
    Route("GET /api/procuratorate/suggestions", roles=READERS, target=record(_suggestion, None), list=True),
    Route("GET /api/procuratorate/suggestions/{suggestion_id}", roles=READERS,
          target=record(_suggestion, "suggestion_id")),
    Route("POST /api/procuratorate/suggestions/{suggestion_id}/actions", roles=WRITERS, writes=True,
          target=record(_suggestion, "suggestion_id", status="draft"), body=lambda t: {"action": "submit"}),
    Route("POST /api/procuratorate/suggestions/{suggestion_id}/reply", roles=REPLIERS, writes=True,
          target=record(_suggestion, "suggestion_id"), body=lambda t: {"reply": "已整改到位"}),
    Route("GET /api/procuratorate/claims", roles=READERS, target=record(_claim, None), list=True),
    Route("GET /api/procuratorate/claims/{claim_id}", roles=READERS, target=record(_claim, "claim_id")),
    Route("GET /api/procuratorate/fraud", roles=READERS, target=record(_fraud, None), list=True),
    Route("GET /api/procuratorate/publicity", roles=READERS, target=record(_publicity, None), list=True),
]
