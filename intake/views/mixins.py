"""What the clinician's intake pages share: who may open them and how the intake is found.

Used by the review pages (intake/views/review.py) and the therapist's side of re-assessment
(intake/views/reassessment.py). Who may read which intake is ``clinic.access``'s to say.
"""

from django.http import Http404

from clinic import access
from intake.models import IntakeAssessment

NO_THERAPIST = "Only a therapist can sign an assessment or send a re-assessment."


class IntakeClinicianMixin(access.CareRecordMixin, access.ClinicianRequiredMixin):
    """Therapists and clinic admins; intakes are looked up through ``access.intakes_clinical``,
    so an id the clinician may not read is a 404, never another patient's intake. A therapist
    without a care relationship is offered to break the glass (``access.CareRecordMixin``);
    every read of the record is audited (``access.record_view``)."""

    def intake_missing(self) -> Http404:
        """The 404 for an intake this user may not read (the break-glass offer to a therapist)."""
        patient_id = (
            IntakeAssessment.objects.filter(pk=self.kwargs["pk"])
            .values_list("patient_id", flat=True)
            .first()
        )
        access.no_relationship_check(self.request.user, patient_id=patient_id)
        return Http404("No such intake.")

    def get_intake(self) -> IntakeAssessment:
        intake = (
            access.intakes_clinical(user=self.request.user)
            .select_related("patient", "appointment__therapist__user", "clinical_assessment")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if intake is None:
            raise self.intake_missing()
        access.record_view(self.request, patient_id=intake.patient_id, obj=intake)
        return intake

    def signing_therapist(self, intake: IntakeAssessment):
        """The treating therapist of record: the signed-in therapist; for an admin without a
        therapist record, the visit's. The signature is always the user's own (``author``)."""
        user = self.request.user
        if hasattr(user, "therapist"):
            return user.therapist
        return intake.appointment.therapist if intake.appointment_id else None
