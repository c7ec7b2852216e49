"""Shapes of the public booking API: what comes in (validated here) and what goes out.

Input serializers only check the request's form: ids that exist, dates that parse, a start
with its UTC offset. Whether a time may be booked is decided by ``clinic.services``; these
serializers never repeat that rule. Where a field has a booking rule of its own (a patient's
date of birth and phone, a therapist's location) they call the service's function for it.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinic import links
from clinic.models import Appointment, AppointmentType, Location, Therapist
from clinic.selectors import (
    Slot,
    appointment_type_queryset_active,
    location_queryset_active,
    therapist_list_active,
)
from clinic.services.booker import (
    DependentDetails,
    date_of_birth_check,
    dependent_details_check,
    phone_clean,
)
from clinic.services.booking import NOT_BOOKABLE_ONLINE, BookingError, therapist_location_check

UNKNOWN_ID = "There is no {noun} with id {pk_value}."
NOT_AN_ID = "Give the {noun}'s id as a whole number."
END_BEFORE_START = "The end date must be on or after the start date."
RANGE_TOO_LONG = "Ask for at most {days} days at a time."
DATE_OUT_OF_RANGE = "Choose a date between {first} and {last}."
START_NAIVE = (
    "Give the start with its UTC offset, as availability shows it "
    "(for example 2026-12-01T09:00:00-06:00)."
)

# Bigger ids cannot be in the table and overflow SQLite's integer, so they are "unknown".
MAX_ID = 2**63 - 1
# Far-off dates say nothing useful and overflow datetime arithmetic in some time zones.
FIRST_DATE = datetime.date(2000, 1, 1)
LAST_DATE = datetime.date(2999, 12, 31)


class IdField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a row of ``queryset``, with messages that name the thing."""

    def __init__(self, *, noun: str, **kwargs):
        kwargs["error_messages"] = {
            "does_not_exist": UNKNOWN_ID.format(noun=noun, pk_value="{pk_value}"),
            "incorrect_type": NOT_AN_ID.format(noun=noun),
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool | float):
            self.fail("incorrect_type")
        try:
            pk = int(str(data).strip())
        except (TypeError, ValueError):
            self.fail("incorrect_type")
        if not 0 < pk <= MAX_ID:
            self.fail("does_not_exist", pk_value=pk)
        return super().to_internal_value(pk)


def _active_types():
    return appointment_type_queryset_active()


def _active_locations():
    return location_queryset_active()


def _active_therapists():
    return therapist_list_active()


def _service_field_check(rule, value):
    """One of the booking service's rules for a field: its refusal is the field's error."""
    try:
        return rule(value)
    except BookingError as error:
        raise serializers.ValidationError(error.message, code=error.code) from error


def _within_calendar(value: datetime.date) -> None:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise serializers.ValidationError(
            DATE_OUT_OF_RANGE.format(first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat())
        )


# --- Reference data --------------------------------------------------------------------------


class LocationSerializer(serializers.ModelSerializer):
    address = serializers.CharField(source="full_address", read_only=True)
    phone = serializers.CharField(
        source="phone.as_e164", read_only=True, help_text="The front desk, in E.164."
    )

    class Meta:
        model = Location
        fields = ["id", "name", "slug", "address", "phone", "time_zone"]
        read_only_fields = fields


class AppointmentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppointmentType
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "duration_minutes",
            "mode",
            "needs_intake",
            "price_cents",
        ]
        read_only_fields = fields


class TherapistSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    locations = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the locations where they see patients."
    )

    class Meta:
        model = Therapist
        fields = ["id", "name", "credentials", "bio", "locations"]
        read_only_fields = fields


class TherapistQuerySerializer(serializers.Serializer):
    location = IdField(
        noun="location",
        queryset=_active_locations(),
        required=False,
        help_text="Only therapists who see patients at this location.",
    )


# --- Availability ----------------------------------------------------------------------------


class AvailabilityQuerySerializer(serializers.Serializer):
    appointment_type = IdField(noun="appointment type", queryset=_active_types())
    location = IdField(noun="location", queryset=_active_locations())
    therapist = IdField(
        noun="therapist",
        queryset=_active_therapists(),
        required=False,
        help_text="Leave out for any therapist at the location.",
    )
    start = serializers.DateField(
        validators=[_within_calendar], help_text="First local date, YYYY-MM-DD."
    )
    end = serializers.DateField(
        validators=[_within_calendar], help_text="Last local date (inclusive), YYYY-MM-DD."
    )

    def validate_appointment_type(self, value: AppointmentType) -> AppointmentType:
        if not value.online_bookable:
            raise serializers.ValidationError(NOT_BOOKABLE_ONLINE)
        return value

    def validate(self, attrs):
        start, end = attrs["start"], attrs["end"]
        if end < start:
            raise serializers.ValidationError({"end": END_BEFORE_START})
        max_days = settings.BOOKING_MAX_RANGE_DAYS
        if (end - start).days + 1 > max_days:
            raise serializers.ValidationError({"end": RANGE_TOO_LONG.format(days=max_days)})
        therapist = attrs.get("therapist")
        if therapist is not None:
            try:
                therapist_location_check(therapist=therapist, location=attrs["location"])
            except BookingError as error:
                raise serializers.ValidationError(
                    {"therapist": error.message}, code=error.code
                ) from error
        return attrs


class SlotSerializer(serializers.Serializer):
    """One free start. Documents the shape that :func:`slot_data` builds."""

    start = serializers.DateTimeField(help_text="Local time at the location, with its offset.")
    end = serializers.DateTimeField(help_text="Local time at the location, with its offset.")
    therapist = serializers.IntegerField(help_text="The therapist's id.")


def slot_data(slot: Slot, zone: datetime.tzinfo) -> dict:
    """A slot as the API shows it: local wall-clock time with the UTC offset of that moment.

    Built by hand rather than through ``SlotSerializer``: a month of slots runs to thousands
    of items, and this is the hot path of the availability search.
    """
    return {
        "start": slot.start.astimezone(zone).isoformat(),
        "end": slot.end.astimezone(zone).isoformat(),
        "therapist": slot.therapist_id,
    }


class AvailabilitySerializer(serializers.Serializer):
    slots = SlotSerializer(many=True)


# --- Booking ---------------------------------------------------------------------------------


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 instant that must carry its UTC offset; returned in UTC.

    A naive time is refused rather than guessed: "09:00" means something different at each
    location, and around a DST change it may not exist or may happen twice.
    """

    default_error_messages = {"naive": START_NAIVE}

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            self.fail("naive")
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            self.fail("overflow")


class PatientInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Mobile number; US numbers may omit +1. Stored in E.164.",
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    sms_consent = serializers.BooleanField(
        default=False, help_text="The patient agrees to appointment texts."
    )

    def validate_date_of_birth(self, value):
        return _service_field_check(date_of_birth_check, value)

    def validate_phone(self, value) -> str:
        return _service_field_check(phone_clean, value)


class DependentInputSerializer(serializers.Serializer):
    """Someone the booker cares for (a child, or an adult): the visit, intake and plan are
    theirs; the links and texts go to the booker (``patient``)."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()

    def validate_date_of_birth(self, value):
        return _service_field_check(date_of_birth_check, value)

    def validate(self, attrs):
        _service_field_check(dependent_details_check, DependentDetails(**attrs))
        return DependentDetails(**attrs)


class BookingInputSerializer(serializers.Serializer):
    appointment_type = IdField(noun="appointment type", queryset=_active_types())
    location = IdField(noun="location", queryset=_active_locations())
    therapist = IdField(
        noun="therapist",
        queryset=_active_therapists(),
        required=False,
        allow_null=True,
        help_text="Leave out or null for the least busy free therapist.",
    )
    start = AwareDateTimeField(
        help_text="A start that availability offered, ISO 8601 with its UTC offset."
    )
    patient = PatientInputSerializer(
        help_text="Who is booking: the patient, or, with ``dependent``, their guardian."
    )
    dependent = DependentInputSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text='For someone the booker cares for ("someone I care for"); leave out or '
        "null when the visit is the booker's own.",
    )
    reason_for_visit = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )


class LocalDateTimeField(serializers.DateTimeField):
    """A datetime already in the location's zone, shown as it is, with its UTC offset.

    DRF's own field would move it into the server's zone first.
    """

    def to_representation(self, value):
        return value.isoformat()


class BookingSerializer(serializers.ModelSerializer):
    """A booked visit, as the patient who booked it may see it (no patient data)."""

    start = LocalDateTimeField(
        source="local_start", read_only=True, help_text="Local time with its offset."
    )
    end = LocalDateTimeField(
        source="local_end", read_only=True, help_text="Local time with its offset."
    )
    therapist_name = serializers.CharField(source="therapist.name", read_only=True)
    manage_url = serializers.SerializerMethodField(
        help_text="Signed link to see, move or cancel the visit."
    )
    intake_url = serializers.SerializerMethodField(
        help_text="Signed link to the intake form; null when this visit needs none."
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "start",
            "end",
            "therapist",
            "therapist_name",
            "location",
            "appointment_type",
            "manage_url",
            "intake_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_manage_url(self, appointment) -> str:
        return links.manage_url(appointment)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_intake_url(self, appointment) -> str | None:
        return links.intake_url(appointment)


class BookingRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(help_text="past, too_soon, too_far, not_bookable, unavailable, …")


class SlotTakenSerializer(serializers.Serializer):
    detail = serializers.CharField()
    alternatives = SlotSerializer(many=True, help_text="The nearest free times.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PingSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
