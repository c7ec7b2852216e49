"""Writes of a patient's care team: a colleague covering for the patient until a date
(``CareTeamMember``), which is a treatment relationship (``access.patients_for_care``).

- ``care_team_add``: the patient's therapist (or a clinic admin) adds a colleague until a day
  from today to ``CARE_TEAM_MAX_DAYS`` ahead; a colleague already on the team gets the new
  date instead of a second place.
- ``care_team_remove``: takes a colleague off the team at once.

Who may call them is ``access.care_team_manager_check``; the front desk does the same in the
admin (``CareTeamInline``). Each write is audited in its own transaction, with the colleague
and the date (neither is clinical).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from clinic.models import AuditEvent, CareTeamMember, Patient, Therapist
from clinic.services.audit import audit_record

CARE_TEAM_MAX_DAYS = 365
UNTIL_PAST = "Choose today or a later day: the colleague covers until the end of that day."
UNTIL_TOO_FAR = "Choose a day within a year; add them again when it ends."
NOT_A_COLLEAGUE = "Choose an active therapist other than yourself."


class CareTeamError(Exception):
    """A care-team rule said no; ``code`` is ``until_past``, ``until_too_far`` or
    ``not_a_colleague``, and ``field`` the form field it is about."""

    def __init__(self, message: str, *, code: str, field: str):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


def _values(member: CareTeamMember) -> dict:
    return {"therapist": member.therapist_id, "until": member.until.isoformat()}


@transaction.atomic
def care_team_add(
    *,
    patient: Patient,
    therapist: Therapist,
    until: datetime.date,
    user,
    today: datetime.date | None = None,
) -> CareTeamMember:
    """Put ``therapist`` on ``patient``'s care team until ``until`` (the last day they cover),
    added by ``user``. A colleague already on the team (place not ended) gets the new date."""
    today = today or timezone.localdate()
    if not therapist.is_active or therapist.user_id == getattr(user, "pk", None):
        raise CareTeamError(NOT_A_COLLEAGUE, code="not_a_colleague", field="therapist")
    if until < today:
        raise CareTeamError(UNTIL_PAST, code="until_past", field="until")
    if until > today + datetime.timedelta(days=CARE_TEAM_MAX_DAYS):
        raise CareTeamError(UNTIL_TOO_FAR, code="until_too_far", field="until")
    member = (
        CareTeamMember.objects.select_for_update()
        .filter(patient=patient, therapist=therapist, until__gte=today)
        .order_by("-until")
        .first()
    )
    if member is None:
        member = CareTeamMember(patient=patient, therapist=therapist, until=until, added_by=user)
        member.full_clean()
        member.save()
        action, fields = AuditEvent.Action.CREATE, ["therapist", "until"]
    else:
        member.until = until
        member.save(update_fields=["until"])
        action, fields = AuditEvent.Action.CHANGE, ["until"]
    audit_record(
        action=action,
        user=user,
        patient_id=patient.pk,
        obj=member,
        changed_fields=fields,
        changed_values=_values(member),
    )
    return member


@transaction.atomic
def care_team_remove(*, member: CareTeamMember, user) -> None:
    """Take a colleague off the care team now: their access ends with this request."""
    audit_record(
        action=AuditEvent.Action.DELETE,
        user=user,
        patient_id=member.patient_id,
        obj=member,
        changed_fields=["therapist", "until"],
        changed_values=_values(member),
    )
    member.delete()
