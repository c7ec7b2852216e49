"""Escalating an urgent intake that nobody acknowledges, counted in opening hours.

Beat runs ``urgent_sweep`` every minute (``intake.tasks.urgent_sweep``). An urgent intake
whose urgency no clinician has acknowledged is escalated to the clinic admins and the front
desk (intake/services/alerts.py) in two steps:

- step 1 once it has waited ``URGENT_ACK_MINUTES`` (default 30) of opening hours;
- step 2 once it has waited twice that.

Then no more: the banner and the list keep showing it. Waiting is counted in the opening
hours of the visit's location (``clinic.selectors.location_open_time``), so an intake that
becomes urgent at night starts counting when the location opens; one with no location, or at
a location with no hours at all, counts every minute. If a sweep finds both steps due (the
beat was down, say) it sends step 2 alone.

Exactly once: each step is an ``UrgentAlert`` row, unique per (intake, urgent_since, step),
made with ``get_or_create`` under that constraint; of two sweeps racing, one inserts and the
other finds the row, and only the sweep that made a row queues its email. The sweep also
queues again any alert still unsent whose task was lost (a worker or the broker restarted):
sending is safe to run twice.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from clinic.selectors import location_keeps_hours, location_open_time
from intake.models import IntakeAssessment, UrgentAlert
from intake.services.alerts import CLAIM_STALE

logger = logging.getLogger(__name__)

ESCALATION_STEPS = 2
# An alert still unclaimed this long after it was made lost its task; it is queued again.
REDISPATCH_AFTER = datetime.timedelta(minutes=2)


def escalation_after(step: int) -> datetime.timedelta:
    """How long of opening hours an unacknowledged urgent intake waits before ``step``."""
    return datetime.timedelta(minutes=step * settings.URGENT_ACK_MINUTES)


def urgent_waited(*, intake: IntakeAssessment, now: datetime.datetime) -> datetime.timedelta:
    """How long ``intake`` has waited since it became urgent, in its location's opening hours
    (every minute when it has no location, or the location keeps no hours)."""
    location = intake.appointment.location if intake.appointment_id else None
    if location is None or not location_keeps_hours(location=location):
        return max(now - intake.urgent_since, datetime.timedelta())
    return location_open_time(location=location, start=intake.urgent_since, end=now)


def urgent_sweep(*, now=None) -> list[int]:
    """Escalate every urgent intake whose next step is due, once; queue lost alerts again.

    Returns the ids of the escalation alerts this sweep made (and queued).
    """
    now = now or timezone.now()
    made = [alert_id for intake in _waiting() if (alert_id := _escalate(intake, now))]
    _redispatch(now)
    return made


def _waiting():
    """Urgent, unacknowledged intakes not yet at the last step. One query."""
    last_step = UrgentAlert.objects.filter(
        intake=OuterRef("pk"), urgent_since=OuterRef("urgent_since"), step=ESCALATION_STEPS
    )
    return (
        IntakeAssessment.objects.filter(
            is_urgent=True, urgent_acknowledged_at__isnull=True, urgent_since__isnull=False
        )
        .exclude(Exists(last_step))
        .select_related("appointment__location")
        .order_by("urgent_since", "pk")
    )


def _escalate(intake: IntakeAssessment, now: datetime.datetime) -> int | None:
    waited = urgent_waited(intake=intake, now=now)
    due = [step for step in range(1, ESCALATION_STEPS + 1) if waited >= escalation_after(step)]
    if not due:
        return None
    with transaction.atomic():
        alert, made = UrgentAlert.objects.get_or_create(
            intake=intake,
            urgent_since=intake.urgent_since,
            step=due[-1],
            defaults={"created_at": now},
        )
        if not made:
            return None
        logger.info("intake %s: escalation step %s queued", intake.pk, alert.step)
        _queue(alert.pk)
    return alert.pk


def _redispatch(now: datetime.datetime) -> None:
    lost = UrgentAlert.objects.filter(sent_at__isnull=True).filter(
        Q(claimed_at__isnull=True, created_at__lt=now - REDISPATCH_AFTER)
        | Q(claimed_at__lt=now - CLAIM_STALE)
    )
    for alert_id in lost.values_list("pk", flat=True):
        logger.warning("urgent alert %s was not sent; queued again", alert_id)
        _queue(alert_id)


def _queue(alert_id: int) -> None:
    from intake import tasks

    transaction.on_commit(lambda: tasks.urgent_alert.delay(alert_id))
