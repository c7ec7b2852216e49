"""The waitlist's beat sweep: the next round of every opening whose offers lapsed (or whose
quiet hours ended), and openings for free times that suit waiting entries though no
cancellation announced them (new hours, time off removed). The offers themselves are
``clinic.services.waitlist``'s."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from clinic.models_scheduling import WaitlistEntry, WaitlistOffer, WaitlistOpening
from clinic.selectors.availability import booking_window, schedule_load
from clinic.services.waitlist import (
    entries_waiting,
    location_today,
    offerable_from,
    offers_pending,
    opening_open,
    suits_time,
)

Offer, Opening = WaitlistOffer, WaitlistOpening

# A time found free by the sweep is offered to an entry at most this often.
DISCOVERY_QUIET = datetime.timedelta(hours=24)


def waitlist_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Beat: the open openings due a round (their offers lapsed, or quiet hours ended), and
    openings for free times that suit a waiting entry (new hours, time off removed). Returns
    the ids of the openings to send a round for."""
    now = now or timezone.now()
    due = list(
        Opening.objects.filter(status=Opening.Status.OPEN)
        .exclude(Exists(offers_pending(now).filter(opening=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    return due + [pk for pk in _discover(now) if pk not in due]


def _discover(now: datetime.datetime) -> list[int]:
    """Free times that suit waiting entries without an open offer: the earliest for each
    entry, oldest entry first, never a time already offered and left unfilled."""
    earliest = offerable_from(now)
    _, last_day = booking_window(now=now)
    groups: dict[tuple, list[WaitlistEntry]] = {}
    for entry in (
        entries_waiting(now)
        .filter(latest_date__gte=now.date())
        .select_related("location", "appointment_type", "therapist")
    ):
        key = (entry.appointment_type_id, entry.location_id, entry.therapist_id)
        groups.setdefault(key, []).append(entry)
    opened: list[int] = []
    for entries in groups.values():
        first = entries[0]
        schedule = schedule_load(
            appointment_type=first.appointment_type,
            location=first.location,
            therapist=first.therapist,
            start_date=max(
                min(e.earliest_date for e in entries), location_today(first.location, now)
            ),
            end_date=min(max(e.latest_date for e in entries), last_day),
            now=now,
            enforce_window=False,
        )
        slots = [s for s in schedule.slots() if s.start >= earliest]
        if not slots:
            continue
        done = set(
            Opening.objects.filter(
                appointment_type=first.appointment_type,
                start__in=[s.start for s in slots],
                status__in=[Opening.Status.OPEN, Opening.Status.UNFILLED],
            ).values_list("therapist_id", "start")
        )
        for entry in entries:
            zone = entry.location.zone
            slot = next(
                (
                    s
                    for s in slots
                    if (s.therapist_id, s.start) not in done
                    and suits_time(entry, s.start.astimezone(zone))
                ),
                None,
            )
            if slot is None:
                continue
            done.add((slot.therapist_id, slot.start))
            opening = opening_open(
                therapist_id=slot.therapist_id,
                location=entry.location,
                appointment_type=entry.appointment_type,
                start=slot.start,
                now=now,
            )
            opened.append(opening.pk)
    return opened
