"""What the clinician's intake pages share: who may open them and how the intake is found.

Used by the review pages (intake/views/review.py) and the therapist's side of re-assessment
(intake/views/reassessment.py). Who may read which intake is ``clinic.access``'s to say.
"""

from django.shortcuts import get_object_or_404

from clinic import access
from intake.models import IntakeAssessment

NO_THERAPIST = "Only a therapist can sign an assessment or send a re-assessment."


class IntakeClinicianMixin(access.ClinicianRequiredMixin):
    """Therapists and clinic admins; intakes are looked up through ``access.intakes_clinical``,
    so an id the clinician may not read is a 404, never another patient's intake."""

    def get_intake(self) -> IntakeAssessment:
        return get_object_or_404(
            access.intakes_clinical(user=self.request.user).select_related(
                "patient", "appointment__therapist__user", "clinical_assessment"
            ),
            pk=self.kwargs["pk"],
        )

    def signing_therapist(self, intake: IntakeAssessment):
        """The signed-in therapist; an admin without a therapist record acts for the visit's."""
        user = self.request.user
        if hasattr(user, "therapist"):
            return user.therapist
        return intake.appointment.therapist if intake.appointment_id else None
