"""The red-flag alert: the email that tells the clinic at once that an intake is urgent.

Queued by ``intake.services.questionnaire.intake_submit`` when the patient sends an intake
with a red flag, and sent by the Celery task ``intake.tasks.intake_red_flag_alert``. Which
groups of red flag were found is ``intake.scoring``'s to say; this module only words them
for staff. The email carries no answers, only links to the pages each recipient may open.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from clinic import links
from clinic.formatting import local_datetime
from intake import scoring
from intake.models import IntakeAssessment

logger = logging.getLogger(__name__)

RED_FLAG_GROUP_TEXT = {
    scoring.CAUDA_EQUINA: "possible cauda equina syndrome (patient told to go to an emergency "
    "department today)",
    scoring.SERIOUS: "possible serious cause (patient told the clinic will call before the visit)",
}


def intake_red_flag_alert_send(*, intake_id: int) -> int:
    """Email the appointment's therapist and the front desk that an intake is urgent.

    The email names the kind of red flag and links to the page each may open (the clinical
    review for the therapist, the intake list for the desk); it carries no answers. Returns
    the number of recipients.
    """
    intake = IntakeAssessment.objects.select_related(
        "patient", "appointment__therapist__user", "appointment__location"
    ).get(pk=intake_id)
    User = get_user_model()
    desk = set(
        User.objects.filter(role=User.Role.FRONT_DESK, is_active=True).values_list(
            "email", flat=True
        )
    )
    therapist = {intake.appointment.therapist.user.email} if intake.appointment_id else set()
    groups = scoring.red_flag_groups(scoring.red_flag_hits(intake.red_flags))
    kinds = "; ".join(RED_FLAG_GROUP_TEXT[group] for group in groups)
    when = ""
    if intake.appointment_id:
        appointment = intake.appointment
        start = local_datetime(appointment.start, appointment.location.zone, with_zone=True)
        when = f" before their visit on {start}"
    subject = f"URGENT intake: red flag for {intake.patient.full_name}"
    said = f"{intake.patient.full_name} reported a red flag on their intake{when}: {kinds}."
    # The therapist opens the clinical review; the front desk, who may not see answers,
    # opens the list of intakes to call the patient.
    for recipients, page in [
        (therapist, reverse("intake:review", args=[intake.pk])),
        (desk - therapist, reverse("intake:list")),
    ]:
        if recipients:
            send_mail(
                subject=subject,
                message=f"{said}\n\nPlease contact the patient today:\n{links.absolute(page)}\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=sorted(recipients),
            )
    recipients = therapist | desk
    logger.info("intake %s: red-flag alert sent to %d staff", intake_id, len(recipients))
    return len(recipients)
