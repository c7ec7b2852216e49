"""The front desk's decisions about who a patient is: merging a possible duplicate into the
record it resembles (with a ``PatientMerge`` trace), or clearing the mark.

Booking never merges (``booker.patient_match_or_create``): only a person who has checked may.
The rows that point at a patient are found through the model's reverse relations, so this
moves intake's and careplans' rows too without importing them.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.models import AuditEvent, BreakGlassAccess, Patient, PatientMerge
from clinic.services.audit import audit_record

MERGE_SAME = "A record cannot be merged into itself."
MERGE_CONFLICT = (
    "Both records have something a patient may have only one of (an active care plan, or an "
    "open pain flare-up). Close one of them first, then merge."
)


class PatientError(Exception):
    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def patient_merge_counts(*, patient: Patient) -> dict[str, int]:
    """What a merge would move from ``patient``: rows by model label (none left out)."""
    counts = {}
    for relation in Patient._meta.related_objects:
        rows = relation.related_model._base_manager.filter(**{relation.field.name: patient})
        if count := rows.count():
            counts[relation.related_model._meta.label] = count
    return counts


@transaction.atomic
def _merge(*, source: Patient, into: Patient, by, now: datetime.datetime) -> PatientMerge:
    source = Patient.objects.select_for_update().get(pk=source.pk)
    into = Patient.objects.select_for_update().get(pk=into.pk)
    moved = {}
    for relation in Patient._meta.related_objects:
        model, name = relation.related_model, relation.field.name
        rows = model._base_manager.filter(**{name: source})
        if model is Patient:  # records that resembled this one now resemble the one kept
            rows = rows.exclude(pk=into.pk)
        if relation.one_to_one and model._base_manager.filter(**{name: into}).exists():
            continue  # the kept record has its own; the merged one's goes with it
        if count := rows.update(**{name: into}):
            moved[model._meta.label] = count
    # Break-glass grants point at a patient without a reverse relation: moved by name. The
    # audit trail is not moved: its events keep the merged record's id.
    if count := BreakGlassAccess.objects.filter(patient=source).update(patient=into):
        moved[BreakGlassAccess._meta.label] = count
    if into.possible_duplicate_of_id == source.pk:
        into.possible_duplicate_of = None
        into.save(update_fields=["possible_duplicate_of", "updated_at"])
    trace = PatientMerge.objects.create(
        from_patient_id=source.pk,
        from_summary=f"{source.full_name} <{source.email}>"[:300],
        into=into,
        by=by,
        at=now,
        moved=moved,
    )
    # One event under each record's id, so the trail of either leads to the merge.
    for patient_id in (source.pk, into.pk):
        audit_record(
            action=AuditEvent.Action.MERGE,
            user=by,
            patient_id=patient_id,
            obj=trace,
            changed_fields=sorted(moved),
            changed_values={"from_patient": source.pk, "into_patient": into.pk},
            now=now,
        )
    source.delete()
    return trace


def patient_merge(
    *, source: Patient, into: Patient, by=None, now: datetime.datetime | None = None
) -> PatientMerge:
    """Move everything of ``source`` (appointments, intakes, plans, messages, links…) to
    ``into``, delete ``source`` and keep a ``PatientMerge`` trace, in one transaction.

    ``into`` keeps its own name, email, phone and consent: nothing of ``source``'s contact
    details is copied, since they were never verified.
    """
    if source.pk == into.pk:
        raise PatientError(MERGE_SAME, code="same")
    try:
        return _merge(source=source, into=into, by=by, now=now or timezone.now())
    except IntegrityError as error:
        raise PatientError(MERGE_CONFLICT, code="conflict") from error


@transaction.atomic
def patient_duplicate_clear(*, patient: Patient) -> Patient:
    """The front desk checked: a different person (a parent and child sharing an email)."""
    patient.possible_duplicate_of = None
    try:
        with transaction.atomic():
            patient.save(update_fields=["possible_duplicate_of", "updated_at"])
    except IntegrityError as error:  # the email is another record's: they share it
        raise PatientError(SHARED_EMAIL, code="shared_email") from error
    return patient


SHARED_EMAIL = (
    "This record shares its email with another patient's, so it stays marked: booking finds "
    "patients by email. Give it its own email first, or merge it."
)
