"""Who a booking is for: the booker's details as every caller checks them (date of birth, phone,
a dependent's details), and the record a booking is filed under, matched or made without ever
changing a stored record (``patient_match_or_create``) or, for someone the booker cares for,
under the booker's record (``dependent_match_or_create``). ``clinic.services.booking`` calls
``patient_for_booking`` once a time is found free; the forms, the API and the desk check fields
with the same functions.
"""

import datetime
import logging
from dataclasses import asdict, dataclass, replace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber, to_python

from clinic.models import Patient, email_normalized
from clinic.services.booking import BookingError

logger = logging.getLogger(__name__)

DATE_OF_BIRTH_NOT_PAST = "The date of birth must be in the past."
DATE_OF_BIRTH_TOO_EARLY = "Please check the year of the date of birth."
PHONE_INVALID = (
    "Enter a valid phone number, such as (612) 555-0123, or one that starts with + and its "
    "country code."
)
DEPENDENT_NAME_MISSING = "Please give the first and last name of the person you care for."
DEPENDENT_BIRTH_DATE_MISSING = "Please give the date of birth of the person you care for."

OLDEST_PATIENT_DAYS = 365 * 120  # a date of birth further back is a mistyped year


def date_of_birth_check(
    value: datetime.date | None, *, today: datetime.date | None = None
) -> datetime.date | None:
    """A date of birth, when given, is before today and less than 120 years back."""
    if value is None:
        return None
    today = today or timezone.localdate()
    if value >= today:
        raise BookingError(DATE_OF_BIRTH_NOT_PAST, code="date_of_birth")
    if value < today - datetime.timedelta(days=OLDEST_PATIENT_DAYS):
        raise BookingError(DATE_OF_BIRTH_TOO_EARLY, code="date_of_birth")
    return value


def phone_clean(value: str | PhoneNumber | None) -> str:
    """A patient's phone as it is stored: E.164, or "" when none is given.

    Numbers in the default region (US) may leave out +1; anything that is not a valid number
    is refused.
    """
    if value in (None, ""):
        return ""
    number = to_python(value, region=settings.PHONENUMBER_DEFAULT_REGION)
    if not number.is_valid():
        raise BookingError(PHONE_INVALID, code="phone")
    return number.as_e164


@dataclass(frozen=True)
class DependentDetails:
    """Someone a booker cares for (a child, or an adult): the appointment is theirs, while the
    booker's email and phone get its links and texts (``clinic.guardians``)."""

    first_name: str
    last_name: str
    date_of_birth: datetime.date | None


@dataclass(frozen=True)
class PatientDetails:
    """Who is booking, as a form gave it; matched or created once their time is found free.
    With ``dependent``, the booker books for someone they care for."""

    first_name: str
    last_name: str
    email: str
    phone: str = ""
    date_of_birth: datetime.date | None = None
    sms_consent: bool = False
    dependent: DependentDetails | None = None


def dependent_details_check(details: DependentDetails) -> DependentDetails:
    """A dependent has a first and last name and a date of birth (it tells a child from an
    adult in someone's care, and tells two children of one family apart)."""
    if not details.first_name.strip() or not details.last_name.strip():
        raise BookingError(DEPENDENT_NAME_MISSING, code="dependent_name")
    if details.date_of_birth is None:
        raise BookingError(DEPENDENT_BIRTH_DATE_MISSING, code="date_of_birth")
    date_of_birth_check(details.date_of_birth)
    return details


def patient_details_check(details: PatientDetails) -> PatientDetails:
    """The rules for who is booking, the same for every caller; the details as stored."""
    date_of_birth_check(details.date_of_birth)
    if details.dependent is not None:
        dependent_details_check(details.dependent)
    return replace(details, phone=phone_clean(details.phone))


def _same_person_by_phone(
    candidates: list[Patient],
    *,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
) -> Patient | None:
    """Of the patients with the phone (by pk), the one who looks like the same person: same
    first name, and the same last name (ignoring case) or the same date of birth."""
    first, last = first_name.strip().casefold(), last_name.strip().casefold()
    for candidate in candidates:
        if candidate.first_name.strip().casefold() != first:
            continue
        if candidate.last_name.strip().casefold() == last or (
            date_of_birth is not None and candidate.date_of_birth == date_of_birth
        ):
            return candidate
    return None


def patient_match_or_create(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    date_of_birth: datetime.date | None = None,
    sms_consent: bool = False,
) -> Patient:
    """The record a booking is filed under. A booking proves nothing about who is booking, so
    a match never changes a record (not its phone, consent or date of birth) and never sends
    its mail elsewhere:

    - the same email and first name is the same patient: their record, unchanged (the mail
      goes to that address, which is what was typed);
    - the same email under another first name (a parent booking for a child with their own
      address) is someone else: a new record sharing the email, marked a possible duplicate;
    - the same phone and name with another email is a new record with the email typed, marked
      a possible duplicate of the one it resembles: its mail goes to the address typed, never
      to the stored one's;
    - anyone else gets a new record.

    The front desk merges possible duplicates, or clears the mark (``patient_merge``). Pages,
    emails and texts about a booking show what was typed (``Appointment.booked_*``), never the
    record's details. Their sign-in account is made when they first ask for a sign-in link
    (``login_link_send``).
    """
    email = email_normalized(email)
    first, last = first_name.strip(), last_name.strip()
    patients = Patient.objects.alias(email_lower=Lower("email")).order_by("pk")
    by_email = Q(email_lower=email, possible_duplicate_of__isnull=True)
    primary = patients.filter(by_email)
    # One read for both rules: the email's record and those with the phone.
    found = list(patients.filter(by_email | Q(phone=phone)) if phone else primary[:1])
    resembles = next(
        (p for p in found if p.possible_duplicate_of_id is None and p.email.lower() == email),
        None,
    )
    if resembles is not None:
        if resembles.first_name.strip().casefold() == first.casefold():
            return resembles
    elif phone:
        resembles = _same_person_by_phone(
            [p for p in found if p.phone == phone],
            first_name=first,
            last_name=last,
            date_of_birth=date_of_birth,
        )
        if resembles is not None and email_normalized(resembles.email) == email:
            return resembles  # made by a double submit since the read above: the same email
    patient = Patient(
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        date_of_birth=date_of_birth,
        possible_duplicate_of=resembles,
    )
    if sms_consent:
        patient.sms_consent, patient.sms_consent_at = True, timezone.now()
    # The database decides uniqueness, below; the fields were checked by the caller's form.
    patient.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # a double submit: the first request made them already
            patient.save()
    except IntegrityError:
        return primary.get()
    if resembles is not None:
        logger.info("booking: patient %s may be patient %s", patient.pk, resembles.pk)
    return patient


def dependent_match_or_create(*, guardian: Patient, details: DependentDetails) -> Patient:
    """The record of someone ``guardian`` books for: among the guardian's dependents, the one
    with the same first name (ignoring case) and date of birth, unchanged; else a new record of
    their own, with no email (the guardian's is used) and the guardian named. Two children of
    one family are two records, each with their own intake, whatever email was typed."""
    # The guardian's row lock makes a double submit find the dependent the first one made.
    Patient.objects.select_for_update().filter(pk=guardian.pk).values_list("pk", flat=True).get()
    first = details.first_name.strip()
    for dependent in guardian.dependents.filter(date_of_birth=details.date_of_birth):
        if dependent.first_name.strip().casefold() == first.casefold():
            return dependent
    dependent = Patient(
        first_name=first,
        last_name=details.last_name.strip(),
        email="",
        date_of_birth=details.date_of_birth,
        guardian=guardian,
    )
    dependent.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    dependent.save()
    logger.info("booking: patient %s is a dependent of patient %s", dependent.pk, guardian.pk)
    return dependent


def patient_for_booking(details: PatientDetails) -> Patient:
    """The record a booking is filed under: the booker's own (``patient_match_or_create``), or,
    booking for someone they care for, that person's, under the booker's record."""
    booker = {k: v for k, v in asdict(details).items() if k != "dependent"}
    guardian = patient_match_or_create(**booker)
    if details.dependent is None:
        return guardian
    return dependent_match_or_create(guardian=guardian, details=details.dependent)
