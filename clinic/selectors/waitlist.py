"""Reads of the waitlist for the desk: the report of what offers did (``waitlist_report``)."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from clinic.models_scheduling import WaitlistEntry, WaitlistOffer, WaitlistOpening


@dataclass(frozen=True)
class WaitlistReport:
    days: int
    waiting: int
    times_offered: int
    offers_sent: int
    offers_accepted: int
    times_filled: int
    times_gone: int
    times_unfilled: int
    median_minutes_to_fill: float | None

    @property
    def fill_rate(self) -> int | None:
        closed = self.times_filled + self.times_gone + self.times_unfilled
        return round(100 * self.times_filled / closed) if closed else None


def waitlist_report(*, days: int = 30, now: datetime.datetime | None = None) -> WaitlistReport:
    """Over the last ``days``: offers sent, times filled and how long filling took (from the
    time coming free to the booking), in four queries."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    openings = WaitlistOpening.objects.filter(created_at__gte=since)
    by_status = dict(
        openings.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    offers = WaitlistOffer.objects.filter(sent_at__gte=since)
    offer_counts = dict(
        offers.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    fill_times = [
        (closed - created).total_seconds() / 60
        for created, closed in openings.filter(
            status=WaitlistOpening.Status.FILLED, closed_at__isnull=False
        ).values_list("created_at", "closed_at")
    ]
    return WaitlistReport(
        days=days,
        waiting=WaitlistEntry.objects.filter(
            status=WaitlistEntry.Status.WAITING, latest_date__gte=now.date()
        ).count(),
        times_offered=sum(by_status.values()),
        offers_sent=sum(offer_counts.values()),
        offers_accepted=offer_counts.get(WaitlistOffer.Status.ACCEPTED, 0),
        times_filled=by_status.get(WaitlistOpening.Status.FILLED, 0),
        times_gone=by_status.get(WaitlistOpening.Status.GONE, 0),
        times_unfilled=by_status.get(WaitlistOpening.Status.UNFILLED, 0),
        median_minutes_to_fill=round(statistics.median(fill_times), 1) if fill_times else None,
    )
