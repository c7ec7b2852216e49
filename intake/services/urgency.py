"""An intake becoming urgent: the moment a saved answer holds a red flag, not on submission.

Called by the questionnaire's services (intake/services/questionnaire.py) inside the
transaction that saves a step, a draft (the autosave, Back) or the whole intake, with the
intake's row locked. Which answers are red flags is intake.scoring's (``red_flags_found``);
this module adds them to the intake's ``red_flags`` and, when the intake *becomes* urgent,
records when and queues the alert to staff.

Exactly once: the intake becomes urgent through a conditional UPDATE that only an intake not
urgent yet (or acknowledged since) matches, so of any number of saves carrying the same "yes"
only the first changes the row and queues the alert; the alert itself is a row unique per
(intake, urgent_since, step) (``UrgentAlert``). A flag found again, or on submission, changes
nothing; a flag not found before, after a clinician acknowledged the others, makes the intake
urgent again and alerts again. The patient never has to send the intake for the clinic to hear
of it.

Nothing clinical is logged: log lines name ids only.
"""

import datetime
import logging
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Q

from intake import schema, scoring, selectors
from intake.models import IntakeAssessment, RedFlagAnswer, UrgentAlert

logger = logging.getLogger(__name__)

# The steps whose answers can hold a red flag: the questions themselves, and the pain step's
# onset date (the computed age-at-onset flag, with the patient's date of birth).
FEEDS_RED_FLAGS = (schema.PAIN, schema.RED_FLAGS)
URGENT_FIELDS = (
    "red_flags",
    "is_urgent",
    "urgent_since",
    "urgent_acknowledged_at",
    "urgent_acknowledged_by",
)


def _in_order(codes: Iterable[str]) -> list[str]:
    """Codes in the order the questions are asked, the computed flag next, any other last."""
    order = {flag.code: n for n, flag in enumerate(scoring.RED_FLAGS)}
    order[scoring.AGE_ONSET] = len(order)
    return sorted(set(codes), key=lambda code: (order.get(code, len(order) + 1), code))


def red_flags_check(
    *, intake: IntakeAssessment, typed: Mapping[str, bool] | None, now: datetime.datetime
) -> bool:
    """Find the red flags in what was just saved and mark the intake urgent if there are any.

    ``typed`` is what the red-flag step holds as just saved (``{code: yes}``, only the
    questions answered so far, valid or not), or None when another step was saved; then the
    stored red-flag answers are read. Each answer in ``typed`` that differs from the last one
    recorded is added to the history (``RedFlagAnswer``). The age-at-onset flag is computed
    from the pain step's onset date. Returns whether the intake became urgent now.

    A "yes" changed to "no" takes nothing away: the flag stays among the intake's red flags
    and the intake stays urgent until a clinician acknowledges it.
    """
    if typed is not None:
        _answers_record(intake=intake, typed=typed, now=now)
    hits = selectors.red_flags_in(intake=intake, typed=typed)
    return intake_urgent_mark(intake=intake, codes=[hit.code for hit in hits], now=now)


def _answers_record(
    *, intake: IntakeAssessment, typed: Mapping[str, bool], now: datetime.datetime
) -> None:
    last = dict(intake.red_flag_answers.order_by("pk").values_list("code", "answer"))
    RedFlagAnswer.objects.bulk_create(
        RedFlagAnswer(intake=intake, code=code, answer=answer, answered_at=now)
        for code, answer in typed.items()
        if last.get(code) != answer
    )


def intake_urgent_mark(
    *, intake: IntakeAssessment, codes: Iterable[str], now: datetime.datetime
) -> bool:
    """Add ``codes`` to the intake's red flags; if that makes it urgent, record when and queue
    the alert, once. Returns whether the intake became urgent now.

    Runs in the caller's transaction; ``intake`` is refreshed with what was written.
    """
    new = [code for code in codes if code not in intake.red_flags]
    if not new:
        return False
    rows = IntakeAssessment.objects.filter(pk=intake.pk)
    rows.update(red_flags=_in_order([*intake.red_flags, *new]), is_urgent=True)
    # Urgent now: for the first time, or again after an acknowledgement (a new flag).
    became = rows.filter(
        Q(urgent_since__isnull=True) | Q(urgent_acknowledged_at__isnull=False)
    ).update(urgent_since=now, urgent_acknowledged_at=None, urgent_acknowledged_by=None)
    intake.refresh_from_db(fields=URGENT_FIELDS)
    if became:
        _alert_queue(intake=intake)
    return bool(became)


def _alert_queue(*, intake: IntakeAssessment) -> None:
    from intake import tasks

    alert, _ = UrgentAlert.objects.get_or_create(
        intake=intake,
        urgent_since=intake.urgent_since,
        step=UrgentAlert.ALERT,
        defaults={"created_at": intake.urgent_since},
    )
    logger.info("intake %s became urgent; alert %s queued", intake.pk, alert.pk)
    transaction.on_commit(lambda: tasks.urgent_alert.delay(alert.pk))
