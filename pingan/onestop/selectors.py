"""Reads of 放管服一站式: every query starts from ``visible_to(user)``; a station or request outside
the user's scope answers 404."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from django.db.models import (
    Count,
    DurationField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from pingan.core.scope import get_visible_or_404
from pingan.onestop.models import Channel, OneStopStation, Outcome, ServiceKind, ServiceRequest, duration_text
from pingan.org.models import Agency, AgencyKind


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (timezone.make_aware(dt.datetime.combine(first, dt.time.min)),
            timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)))


def average_hours(requests) -> decimal.Decimal | None:
    """Mean time to completion in hours (one decimal) of the completed (办结) requests given."""
    done = requests.filter(outcome=Outcome.DONE).order_by().aggregate(
        n=Count("pk"), took=Sum(F("completed_at") - F("received_at"), output_field=DurationField()))
    if not done["n"]:
        return None
    return (decimal.Decimal(done["took"].total_seconds()) / done["n"] / 3600).quantize(decimal.Decimal("0.1"))


def default_year(user) -> int:
    """The latest year with a request the user may see (else this year): what the pages count by."""
    last = ServiceRequest.objects.visible_to(user).filter(received_at__lte=timezone.now()).aggregate(
        m=Max("received_at"))["m"]
    return timezone.localtime(last).year if last else timezone.localdate().year


def chosen_year(request) -> int:
    raw = request.GET.get("year") or ""
    if raw.isdigit() and 2000 <= int(raw) <= timezone.localdate().year:
        return int(raw)
    return default_year(request.user)


def stations(user, year: int | None = None) -> QuerySet[Agency]:
    """The police stations the user may see, with their one-stop record and the year's requests."""
    start, end = year_bounds(year or timezone.localdate().year)
    this_year = (ServiceRequest.objects.filter(station=OuterRef("pk"), received_at__gte=start, received_at__lt=end)
                 .order_by().values("station_id").annotate(n=Count("pk")).values("n")[:1])
    return (Agency.objects.visible_to(user).filter(kind=AgencyKind.POLICE_STATION)
            .select_related("area", "one_stop")
            .annotate(requests_year=Coalesce(Subquery(this_year, output_field=IntegerField()), Value(0)))
            .order_by("area__code", "name"))


def station_get(user, pk) -> Agency:
    return get_visible_or_404(Agency.objects.filter(kind=AgencyKind.POLICE_STATION).select_related("area"), user,
                              pk=pk)


def one_stop_get(station: Agency) -> OneStopStation | None:
    return OneStopStation.objects.filter(station=station).first()


def one_stop_list(user) -> QuerySet[OneStopStation]:
    return OneStopStation.objects.visible_to(user).select_related("station__area")


def request_list(user) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.visible_to(user).select_related("station__area", "handler")


def request_get(user, pk) -> ServiceRequest:
    return get_visible_or_404(ServiceRequest.objects.select_related("station__area", "handler", "registered_by"),
                              user, pk=pk)


@dataclass(frozen=True)
class KindRow:
    kind: str
    total: int
    by_channel: list[int]
    done: int
    refused: int
    transferred: int
    pending: int
    average: decimal.Decimal | None

    @property
    def average_text(self) -> str:
        return hours_text(self.average)


def hours_text(hours: decimal.Decimal | None) -> str:
    if hours is None:
        return "—"
    return duration_text(dt.timedelta(hours=float(hours)))


def window_summary(user, station: Agency, first: dt.date, last: dt.date) -> dict:
    """The window page's figures for the period: requests by kind × channel, outcomes, pending, and
    the average time to completion — all from the requests the user may see."""
    start, end = day_bounds(first, last)
    qs = request_list(user).filter(station=station, received_at__gte=start, received_at__lt=end)
    counts = {(k, c, o): n for k, c, o, n in qs.order_by().values_list("kind", "channel", "outcome")
              .annotate(n=Count("pk")).values_list("kind", "channel", "outcome", "n")}
    rows = []
    for kind in ServiceKind.values:
        mine = {key: n for key, n in counts.items() if key[0] == kind}
        total = sum(mine.values())
        if not total:
            continue
        rows.append(KindRow(
            kind=kind, total=total,
            by_channel=[sum(n for (k, c, o), n in mine.items() if c == ch) for ch in Channel.values],
            done=sum(n for (k, c, o), n in mine.items() if o == Outcome.DONE),
            refused=sum(n for (k, c, o), n in mine.items() if o == Outcome.REFUSED),
            transferred=sum(n for (k, c, o), n in mine.items() if o == Outcome.TRANSFERRED),
            pending=sum(n for (k, c, o), n in mine.items() if o == ""),
            average=average_hours(qs.filter(kind=kind))))
    total = sum(r.total for r in rows)
    by_channel = [sum(r.by_channel[i] for r in rows) for i in range(len(Channel.values))]
    average = average_hours(qs)
    return {
        "rows": rows, "total": total, "channels": Channel.values, "by_channel": by_channel,
        "done": sum(r.done for r in rows), "refused": sum(r.refused for r in rows),
        "transferred": sum(r.transferred for r in rows), "pending": sum(r.pending for r in rows),
        "average": average, "average_text": hours_text(average),
        "online_share": (decimal.Decimal(by_channel[1] * 100) / total).quantize(decimal.Decimal("0.1")) if total else None,
        "recent_pending": list(request_list(user).filter(station=station).pending().order_by("received_at")[:20]),
    }


def station_overview(user, year: int | None = None) -> dict:
    """Figures at the top of the stations page (the year's)."""
    year = year or timezone.localdate().year
    start, end = year_bounds(year)
    one_stop = one_stop_list(user)
    requests = request_list(user).filter(received_at__gte=start, received_at__lt=end)
    return {
        "year": year,
        "one_stop": one_stop.count(),
        "added": one_stop.filter(since__year=year).count(),
        "requests": requests.count(),
        "online": requests.filter(~Q(channel=Channel.WINDOW)).count(),
        "average_text": hours_text(average_hours(requests)),
    }
