"""Guardians and dependents: who acts for a patient, and whose email and phone get their mail.

A dependent (a child, or an adult someone cares for) has a record of their own: their name,
date of birth, intake and plans. ``Patient.guardian`` names the record of the parent or carer
who booked them; a dependent has no email of their own. While the guardian acts for them
(``guardian_acts``), the guardian's email and phone get the dependent's links and texts
(``contact_for``), the guardian's "My care" lists the dependent's visits, intakes and plans
(``clinic.access.patients_for_user``), and the intake is worded about the dependent (``voice``).
Mail about a dependent is worded for the guardian who reads it (``addressing``): "Hi Robin,
Sam's appointment is booked", never a greeting of Sam.

A dependent booked as a child (younger than ``DEPENDENT_ADULT_AGE`` when their record was
made) is a patient in their own right from that birthday: the guardian no longer acts for
them, and the front desk gives them their own email. One booked at or past that age (an adult
someone cares for) keeps their carer until the front desk clears ``guardian``.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from clinic.models import Patient

SELF, CHILD, CARED_FOR = "self", "child", "cared_for"  # who the intake is about (``voice``)


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Whole years from ``date_of_birth`` to ``day`` (a 29 February birthday counts on 1 March)."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def is_minor(date_of_birth: datetime.date | None, *, today: datetime.date | None = None) -> bool:
    """Younger than ``DEPENDENT_ADULT_AGE``; someone whose birth date is unknown is not."""
    if date_of_birth is None:
        return False
    return age_on(date_of_birth, today or timezone.localdate()) < settings.DEPENDENT_ADULT_AGE


def _booked_as_child(patient: Patient) -> bool:
    made = timezone.localdate(patient.created_at) if patient.created_at else None
    return is_minor(patient.date_of_birth, today=made)


def guardian_acts(patient: Patient, *, today: datetime.date | None = None) -> bool:
    """Whether the patient's guardian acts for them now: always for an adult in their care,
    and for a child until they reach ``DEPENDENT_ADULT_AGE``."""
    if patient.guardian_id is None:
        return False
    return not _booked_as_child(patient) or is_minor(patient.date_of_birth, today=today)


def contact_for(patient: Patient) -> Patient:
    """The record whose email, phone and text consent the patient's mail uses: their guardian's
    while one acts for them, else their own."""
    return patient.guardian if guardian_acts(patient) else patient


def appointment_email(appointment) -> str:
    """Where a visit's emails go: the address typed when it was booked online, else the
    patient's (their guardian's, for a dependent)."""
    return appointment.booked_email or contact_for(appointment.patient).email


def dependents_of(guardian: Patient | None) -> list[Patient]:
    """The dependents ``guardian`` acts for now, by first name."""
    if guardian is None:
        return []
    dependents = guardian.dependents.order_by("first_name", "pk")
    return [d for d in dependents if guardian_acts(d)]


def voice(patient: Patient) -> str:
    """Who the patient's forms are about, for the one who answers them: ``SELF``; ``CHILD`` when
    a guardian answers for a child; ``CARED_FOR`` when a carer answers for an adult."""
    if not guardian_acts(patient):
        return SELF
    return CHILD if _booked_as_child(patient) else CARED_FOR


@dataclass(frozen=True)
class Addressing:
    """How an email or text about a patient speaks to its reader: ``greeting`` is the reader's
    first name; ``whose`` is "your" or, for a dependent, "Sam's"; ``who_is`` is "you're" or
    "Sam is". Capitalized forms start a sentence."""

    greeting: str
    whose: str
    who_is: str
    for_dependent: bool

    @property
    def Whose(self) -> str:  # a capitalized word, as templates read it
        return self.whose[:1].upper() + self.whose[1:]


def addressing(patient: Patient, *, typed_first_name: str = "") -> Addressing:
    """The words for mail about ``patient``, read by ``contact_for(patient)``. ``typed_first_name``
    is what the booker typed about themselves (a booking made online); without it the reader's
    record is used (the front desk's bookings, a therapist's request). Only a first name is
    printed: the dependent's, which their record was matched on, and the reader's."""
    reader = contact_for(patient)
    greeting = typed_first_name.strip() or reader.first_name
    if reader.pk == patient.pk:
        return Addressing(greeting=greeting, whose="your", who_is="you're", for_dependent=False)
    name = patient.first_name.strip()
    return Addressing(greeting=greeting, whose=f"{name}'s", who_is=f"{name} is", for_dependent=True)


def appointment_addressing(appointment) -> Addressing:
    """``addressing`` for a visit: greeting the first name typed when it was booked online."""
    typed = appointment.booked_first_name if appointment.booked_email else ""
    return addressing(appointment.patient, typed_first_name=typed)
