"""Reads of 检护民生, always from ``.visible_to(user)``: a record outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from pingan.core.scope import Line, get_visible_or_404, scope_of
from pingan.org.models import Agency, AgencyKind
from pingan.procuratorate.models import (
    AidGrant,
    AidReferral,
    Attachment,
    Enforcement,
    Event,
    FraudIntervention,
    FraudVictim,
    Lead,
    Prosecution,
    PublicityEvent,
    Share,
    Suggestion,
    SuggestionReply,
    SuggestionStatus,
    SupportSuit,
    WageClaim,
    WageWorker,
)

ZERO = decimal.Decimal("0.00")


def is_procuratorate(user) -> bool:
    scope = scope_of(user)
    return scope.unrestricted or Line.PROCURATORATE in scope.lines


# ---------------------------------------------------------------------------------------- generic rows

def trail(user, record) -> list[Event]:
    """The record's whole trail, oldest first. Outside the procuratorate, its internal steps (drafting,
    approval, sharing) are left out."""
    events = Event.objects.visible_to(user).filter(record_type=record.record_type, record_id=record.pk)
    if not is_procuratorate(user):
        events = events.filter(internal=False)
    return list(events.select_related("actor").order_by("on", "at", "id"))


def attachments(user, record) -> list[Attachment]:
    return list(Attachment.objects.visible_to(user).filter(record_type=record.record_type, record_id=record.pk))


def attachment_get(user, pk) -> Attachment:
    return get_visible_or_404(Attachment, user, pk=pk)


def shares(user, record) -> list[Share]:
    """Who a record is shared with (the procuratorate manages shares; others see none of this)."""
    if not is_procuratorate(user):
        return []
    return list(Share.objects.visible_to(user).filter(record_type=record.record_type, record_id=record.pk)
                .select_related("agency", "shared_by").order_by("-shared_at"))


def share_get(user, pk) -> Share:
    return get_visible_or_404(Share.objects.select_related("agency"), user, pk=pk)


def shared_with_me(user) -> list[tuple[Share, object]]:
    """Active shares aimed at the user's line or agency, with the records they open."""
    scope = scope_of(user)
    target = Q(line__in=sorted(scope.lines - {Line.PROCURATORATE, Line.ADMIN}))
    if scope.agency_id is not None:
        target |= Q(agency_id=scope.agency_id)
    rows = []
    for share in Share.objects.visible_to(user).filter(target, revoked_at__isnull=True).order_by("-shared_at"):
        record = share.record
        if record is not None:
            rows.append((share, record))
    return rows


# ---------------------------------------------------------------------------------------- leads

def lead_list(user) -> QuerySet[Lead]:
    return Lead.objects.visible_to(user).select_related("area", "procuratorate")


def lead_get(user, pk) -> Lead:
    return get_visible_or_404(Lead.objects.select_related("area", "procuratorate"), user, pk=pk)


def lead_outcomes(user, lead: Lead) -> dict:
    return {"suggestions": list(Suggestion.objects.visible_to(user).filter(lead=lead)),
            "claims": list(WageClaim.objects.visible_to(user).filter(lead=lead))}


# ---------------------------------------------------------------------------------------- suggestions

def suggestion_list(user) -> QuerySet[Suggestion]:
    return Suggestion.objects.visible_to(user).select_related("addressed_agency", "area", "procuratorate")


def suggestion_get(user, pk) -> Suggestion:
    return get_visible_or_404(Suggestion.objects.select_related("addressed_agency", "area", "procuratorate", "lead",
                                                                "previous", "wage_claim"), user, pk=pk)


def suggestion_replies(user, suggestion: Suggestion) -> list[tuple[SuggestionReply, list[Attachment]]]:
    replies = list(SuggestionReply.objects.visible_to(user).filter(suggestion=suggestion))
    files = Attachment.objects.visible_to(user).filter(record_type=SuggestionReply.record_type,
                                                       record_id__in=[r.pk for r in replies])
    by_reply: dict[int, list[Attachment]] = {}
    for f in files:
        by_reply.setdefault(f.record_id, []).append(f)
    return [(r, by_reply.get(r.pk, [])) for r in replies]


def suggestion_related(user, suggestion: Suggestion) -> dict:
    visible = Suggestion.objects.visible_to(user)
    return {
        "previous": visible.filter(pk=suggestion.previous_id).first() if suggestion.previous_id else None,
        "reissues": list(visible.filter(previous=suggestion)),
        "lead": Lead.objects.visible_to(user).filter(pk=suggestion.lead_id).first() if suggestion.lead_id else None,
        "claim": (WageClaim.objects.visible_to(user).filter(pk=suggestion.wage_claim_id).first()
                  if suggestion.wage_claim_id else None),
    }


def admin_agencies(user) -> QuerySet[Agency]:
    """Administrative agencies a suggestion can be addressed to: those of the user's jurisdiction."""
    qs = Agency.objects.filter(kind=AgencyKind.ADMIN_AGENCY).select_related("area")
    scope = scope_of(user)
    if not scope.unrestricted:
        if scope.path is None:
            return qs.none()
        # An agency above the user's post (the banner's 市场监管局 for a township prosecutor) counts too.
        qs = qs.filter(Q(area__path__startswith=scope.path) | Q(area__code__in=_ancestor_codes(scope.path)))
    return qs.order_by("area__code", "name")


def _ancestor_codes(path: str) -> list[str]:
    return [c for c in path.split("/") if c]


def aid_departments(user) -> QuerySet[Agency]:
    """控申 (the procuratorate's departments) the user's procuratorate can refer judicial aid to."""
    scope = scope_of(user)
    qs = Agency.objects.filter(kind=AgencyKind.PROCURATORATE_DEPT).select_related("area")
    if not scope.unrestricted:
        qs = qs.filter(Q(area__path__startswith=scope.path or "\0") | Q(area__code__in=_ancestor_codes(scope.path or "")))
    return qs.order_by("name")


@dataclass(frozen=True)
class SuggestionCounts:
    review: int
    to_serve: int
    awaiting: int
    overdue: int
    replied: int
    follow_up: int


def suggestion_counts(user, today: dt.date | None = None) -> SuggestionCounts:
    today = today or timezone.localdate()
    qs = Suggestion.objects.visible_to(user)
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    return SuggestionCounts(
        review=by_status.get(SuggestionStatus.REVIEW, 0), to_serve=by_status.get(SuggestionStatus.TO_SERVE, 0),
        awaiting=qs.awaiting_reply().count(), overdue=qs.overdue(today).count(),
        replied=by_status.get(SuggestionStatus.REPLIED, 0), follow_up=by_status.get(SuggestionStatus.FOLLOW_UP, 0))


# ---------------------------------------------------------------------------------------- wage claims

def claim_list(user) -> QuerySet[WageClaim]:
    return (WageClaim.objects.visible_to(user).select_related("area", "procuratorate")
            .annotate(worker_count=Count("workers", distinct=True)))


def claim_get(user, pk) -> WageClaim:
    return get_visible_or_404(WageClaim.objects.select_related("area", "procuratorate", "lead"), user, pk=pk)


@dataclass
class WorkerRow:
    worker: WageWorker
    aid_amount: decimal.Decimal
    aided: bool
    referred: bool
    in_suit: bool


def claim_detail(user, claim: WageClaim) -> dict:
    workers = list(WageWorker.objects.visible_to(user).filter(claim=claim).order_by("id"))
    grants = AidGrant.objects.visible_to(user).filter(referral__claim=claim)
    aid = {row["worker_id"]: row["total"] for row in grants.filter(granted=True).values("worker_id")
           .annotate(total=Sum("amount")).order_by()}
    referred = set(AidReferral.workers.through.objects.filter(aidreferral__claim=claim)
                   .values_list("wageworker_id", flat=True))
    suing = set(SupportSuit.workers.through.objects.filter(supportsuit__claim=claim)
                .values_list("wageworker_id", flat=True))
    enforcements = list(Enforcement.objects.visible_to(user).filter(claim=claim))
    rows = [WorkerRow(w, aid.get(w.pk, ZERO), w.pk in aid, w.pk in referred, w.pk in suing) for w in workers]
    referrals = list(AidReferral.objects.visible_to(user).filter(claim=claim).select_related("referred_to")
                     .prefetch_related("workers", Prefetch("grants", queryset=AidGrant.objects.select_related("worker")))
                     .annotate(n_workers=Count("workers", distinct=True)))
    for referral in referrals:
        decided = {g.worker_id for g in referral.grants.all()}
        referral.pending_workers = [w for w in referral.workers.all() if w.pk not in decided]
    return {
        "workers": rows,
        "owed_total": sum((w.amount_owed for w in workers), ZERO),
        "aid_total": sum(aid.values(), ZERO),
        "aided_count": len(aid),
        "prosecutions": list(Prosecution.objects.visible_to(user).filter(claim=claim)),
        "suits": list(SupportSuit.objects.visible_to(user).filter(claim=claim)
                      .annotate(n_workers=Count("workers", distinct=True))),
        "referrals": referrals,
        "enforcements": enforcements,
        "recovered_total": sum((e.amount_recovered for e in enforcements), ZERO),
        "suggestions": list(Suggestion.objects.visible_to(user).filter(wage_claim=claim)),
    }


def support_suit_get(user, pk) -> SupportSuit:
    return get_visible_or_404(SupportSuit.objects.select_related("claim"), user, pk=pk)


def referral_get(user, pk) -> AidReferral:
    return get_visible_or_404(AidReferral.objects.select_related("claim", "referred_to"), user, pk=pk)


def prosecution_get(user, pk) -> Prosecution:
    return get_visible_or_404(Prosecution.objects.select_related("claim"), user, pk=pk)


def worker_list(user, claim: WageClaim) -> QuerySet[WageWorker]:
    return WageWorker.objects.visible_to(user).filter(claim=claim).order_by("id")


# ---------------------------------------------------------------------------------------- fraud, fundraising

def fraud_list(user) -> QuerySet[FraudIntervention]:
    return (FraudIntervention.objects.visible_to(user).select_related("area", "procuratorate")
            .annotate(victim_count=Count("victims", distinct=True), recovered_total=Sum("victims__recovered")))


def fraud_get(user, pk) -> FraudIntervention:
    return get_visible_or_404(FraudIntervention.objects.select_related("area", "procuratorate"), user, pk=pk)


def fraud_victims(user, record: FraudIntervention) -> list[FraudVictim]:
    return list(FraudVictim.objects.visible_to(user).filter(intervention=record))


def publicity_list(user) -> QuerySet[PublicityEvent]:
    return PublicityEvent.objects.visible_to(user).select_related("area", "procuratorate")


def publicity_get(user, pk) -> PublicityEvent:
    return get_visible_or_404(PublicityEvent.objects.select_related("area", "procuratorate"), user, pk=pk)


def overview(user) -> dict:
    """The counts on the app's index page, within the user's scope."""
    return {
        "leads_new": Lead.objects.visible_to(user).filter(status="new").count(),
        "suggestions": suggestion_counts(user),
        "claims_open": WageClaim.objects.visible_to(user).filter(status="open").count(),
        "referrals_pending": AidReferral.objects.visible_to(user).filter(decided_on__isnull=True).count(),
        "fraud": FraudIntervention.objects.visible_to(user).count(),
        "publicity": PublicityEvent.objects.visible_to(user).count(),
    }
