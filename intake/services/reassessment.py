"""Re-assessment: the therapist asks for a short questionnaire, the patient answers it once
through a signed link, and the answers become an outcome measure.

Called by the re-assessment pages (intake/views/reassessment.py): the therapist's request
and the patient's link. Scores come from intake.scoring. Nothing clinical is logged or
emailed: log lines name ids only, and the email carries the link alone.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinic import guardians, links
from clinic.models import AuditEvent, Patient, Therapist
from clinic.services.audit import audit_record
from intake import schema, scoring, selectors
from intake.instruments import ODI_STATEMENTS
from intake.models import OutcomeMeasure, ReassessmentRequest
from intake.services import errors
from intake.services.errors import IntakeError

logger = logging.getLogger(__name__)


REASSESSMENT_ALREADY_SENT = (
    "You have already sent these answers, thank you. They can't be changed online; "
    "here is how your scores have changed."
)
REASSESSMENT_RATINGS = "Rate each of your activities from 0 to 10."
REASSESSMENT_ODI_SECTIONS = "The Oswestry questionnaire has ten sections."
REASSESSMENT_EMAIL_SUBJECT = "A few questions from your physical therapist"


def reassessment_token(reassessment: ReassessmentRequest) -> str:
    return links.reassessment_token(reassessment)


def reassessment_url(reassessment: ReassessmentRequest) -> str:
    """The absolute, signed link the patient opens (expires like the other patient links)."""
    return links.absolute(reverse("intake:reassess", args=[reassessment_token(reassessment)]))


@transaction.atomic
def reassessment_request_create(*, patient: Patient, therapist: Therapist) -> ReassessmentRequest:
    """Ask ``patient`` for a short re-assessment (ODI, pain now, PSFS) through a signed link.

    The email carries the link and nothing clinical; it is sent once the request is committed.
    """
    reassessment = ReassessmentRequest.objects.create(patient=patient, requested_by=therapist)
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=therapist.user,
        patient_id=patient.pk,
        obj=reassessment,
        changed_fields=["requested_by"],
        changed_values={"requested_by": therapist.pk},
    )
    url = reassessment_url(reassessment)
    message = (
        f"Hello {patient.first_name},\n\n"
        f"{therapist.name} would like to know how you are getting on. Please answer a few "
        f"short questions (about 3 minutes):\n{url}\n\n"
        f"{settings.CLINIC_NAME}\n"
    )
    transaction.on_commit(
        lambda: send_mail(
            subject=REASSESSMENT_EMAIL_SUBJECT,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[guardians.contact_for(patient).email],  # a guardian's, for a child
        )
    )
    logger.info("reassessment %s requested for patient %s", reassessment.pk, patient.pk)
    return reassessment


@transaction.atomic
def reassessment_submit(
    *,
    reassessment: ReassessmentRequest,
    odi_answers: list[int | None],
    nprs_now: int,
    psfs_ratings: list[int],
    now: datetime.datetime | None = None,
) -> OutcomeMeasure:
    """Record the patient's answers as an OutcomeMeasure(source=reassessment); once only.

    Scores come from intake.scoring: ODI (Fairbank & Pynsent 2000), NPRS now, and the PSFS
    mean over the *same* activities the patient named at intake (Stratford et al. 1995), one
    rating per activity in the same order. A second submission raises IntakeError with code
    ``errors.ALREADY_ANSWERED``; answers that don't fit, ``errors.INVALID_ANSWERS``.
    """
    now = now or timezone.now()
    reassessment = ReassessmentRequest.objects.select_for_update().get(pk=reassessment.pk)
    if reassessment.completed_id is not None:
        raise IntakeError(errors.ALREADY_ANSWERED, REASSESSMENT_ALREADY_SENT)
    if len(odi_answers) != len(ODI_STATEMENTS):
        raise IntakeError(errors.INVALID_ANSWERS, REASSESSMENT_ODI_SECTIONS)
    activities = selectors.reassessment_activities(reassessment=reassessment)
    if len(psfs_ratings) != len(activities) or any(
        not isinstance(r, int) or not 0 <= r <= 10 for r in psfs_ratings
    ):
        raise IntakeError(errors.INVALID_ANSWERS, REASSESSMENT_RATINGS)
    odi = scoring.oswestry(odi_answers)
    scoring.nprs_band(nprs_now)  # validates 0–10
    psfs = scoring.psfs(psfs_ratings) if psfs_ratings else None
    measure = OutcomeMeasure(
        patient_id=reassessment.patient_id,
        source=OutcomeMeasure.Source.REASSESSMENT,
        measured_at=now,
        odi_percent=odi.percent,
        nprs=nprs_now,
        psfs_mean=psfs.mean if psfs else None,
        answers=schema.reassessment_answers(
            odi_answers=odi_answers,
            nprs_now=nprs_now,
            rated=[
                schema.goal_of(goal["activity"], rating)
                for goal, rating in zip(activities, psfs_ratings, strict=True)
            ],
        ),
    )
    measure.full_clean()
    measure.save()
    reassessment.completed = measure
    reassessment.save(update_fields=["completed"])
    audit_record(
        action=AuditEvent.Action.CREATE,
        patient_id=reassessment.patient_id,
        obj=measure,
        changed_fields=["odi_percent", "nprs", "psfs_mean", "answers"],  # names only
        now=now,
    )
    logger.info("reassessment %s answered (measure %s)", reassessment.pk, measure.pk)
    return measure
