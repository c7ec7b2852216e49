"""The public booking API: thin views over ``clinic.selectors`` and ``clinic.services``.

Nothing here reads patient data back out: there is no GET for appointments or patients. A
booking's response holds only the visit and the signed links the patient gets by email.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic import links, selectors, services
from clinic.api import serializers as s
from clinic.api.throttles import THROTTLED, BookingRateThrottle, ReadRateThrottle
from clinic.models import Appointment
from clinic.selectors import (
    appointment_type_list_online,
    location_queryset_active,
    therapist_list_active,
)

TAG = "booking"
BOOKING_LINK_PURPOSES = [links.Purpose.MANAGE, links.Purpose.INTAKE]
NO_SUCH_ENDPOINT = (
    "There is no endpoint at this address. API paths have no trailing slash; "
    "see /api/docs/ for the list."
)

FIELD_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description="Invalid parameters: each parameter's name with its messages.",
)
THROTTLED_RESPONSE = OpenApiResponse(
    response=s.ErrorSerializer, description="Too many requests; see the Retry-After header."
)


class PublicMixin:
    """Open to anyone, no session or token, rate-limited per client address."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ReadRateThrottle]
    parser_classes = [JSONParser]

    def throttled(self, request, wait):
        raise Throttled(wait=wait, detail=THROTTLED)


@extend_schema(tags=[TAG], summary="Open clinic locations", responses={429: THROTTLED_RESPONSE})
class LocationListView(PublicMixin, generics.ListAPIView):
    """The clinic's open locations, each with its time zone: availability is in local time."""

    serializer_class = s.LocationSerializer

    def get_queryset(self):
        return selectors.location_list_active()


@extend_schema(
    tags=[TAG],
    summary="Appointment types patients can book online",
    responses={429: THROTTLED_RESPONSE},
)
class AppointmentTypeListView(PublicMixin, generics.ListAPIView):
    """What a patient can book online; other types are booked by calling the clinic."""

    serializer_class = s.AppointmentTypeSerializer

    def get_queryset(self):
        return appointment_type_list_online()


@extend_schema(
    tags=[TAG],
    summary="Active therapists",
    parameters=[s.TherapistQuerySerializer],
    responses={
        200: s.TherapistSerializer(many=True),
        400: FIELD_ERRORS,
        429: THROTTLED_RESPONSE,
    },
)
class TherapistListView(PublicMixin, generics.ListAPIView):
    """Active therapists, optionally only those who see patients at one location."""

    serializer_class = s.TherapistSerializer

    def get_queryset(self):
        query = s.TherapistQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        therapists = therapist_list_active(location=query.validated_data.get("location"))
        return therapists.prefetch_related(
            Prefetch("locations", queryset=location_queryset_active())
        )


class AvailabilityView(PublicMixin, APIView):
    """Free start times, computed once by ``slot_list`` and shown in the location's zone."""

    @extend_schema(
        tags=[TAG],
        summary="Free start times",
        description=(
            "Free slots for an appointment type at a location between two local dates "
            "(inclusive), for one therapist or any. Times are in the location's zone with "
            "their UTC offset; book one by sending its start back unchanged."
        ),
        parameters=[s.AvailabilityQuerySerializer],
        responses={200: s.AvailabilitySerializer, 400: FIELD_ERRORS, 429: THROTTLED_RESPONSE},
    )
    def get(self, request):
        query = s.AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        location = params["location"]
        slots = selectors.slot_list(
            appointment_type=params["appointment_type"],
            location=location,
            therapist=params.get("therapist"),
            start_date=params["start"],
            end_date=params["end"],
        )
        zone = location.zone
        return Response({"slots": [s.slot_data(slot, zone) for slot in slots]})


class AppointmentCreateView(PublicMixin, APIView):
    """Book a visit. POST only: nothing about appointments or patients can be read here."""

    def get_throttles(self):
        if self.request.method == "POST":
            return [BookingRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        tags=[TAG],
        summary="Book a visit",
        description=(
            "Books a start that availability offered. A returning patient (same email and "
            "first name) is matched; anyone resembling a patient otherwise is a new record "
            "marked for the front desk. The answer holds only the visit and its links, never "
            "a stored detail. 409 means someone else just took the time; the body lists the "
            "nearest free ones."
        ),
        request=s.BookingInputSerializer,
        responses={
            201: s.BookingSerializer,
            400: OpenApiResponse(
                response=s.BookingRefusedSerializer,
                description=(
                    "A booking rule said no (this body, with a code), or the request had "
                    "field errors (each field's name with its messages)."
                ),
            ),
            409: OpenApiResponse(
                response=s.SlotTakenSerializer,
                description="The time was just taken; the nearest free times instead.",
            ),
            429: THROTTLED_RESPONSE,
        },
        examples=[
            OpenApiExample(
                "Any therapist",
                request_only=True,
                value={
                    "appointment_type": 1,
                    "location": 1,
                    "therapist": None,
                    "start": "2026-12-01T09:00:00-06:00",
                    "patient": {
                        "first_name": "Ana",
                        "last_name": "Lind",
                        "email": "ana@example.com",
                        "phone": "612-555-0187",
                        "date_of_birth": "1988-04-02",
                        "sms_consent": True,
                    },
                    "reason_for_visit": "Knee pain on long runs",
                },
            ),
            OpenApiExample(
                "For someone the booker cares for",
                request_only=True,
                value={
                    "appointment_type": 1,
                    "location": 1,
                    "start": "2026-12-01T09:00:00-06:00",
                    "patient": {
                        "first_name": "Ana",
                        "last_name": "Lind",
                        "email": "ana@example.com",
                        "phone": "612-555-0187",
                        "sms_consent": True,
                    },
                    "dependent": {
                        "first_name": "Mia",
                        "last_name": "Lind",
                        "date_of_birth": "2016-09-12",
                    },
                    "reason_for_visit": "Back pain after soccer practice",
                },
            ),
        ],
    )
    def post(self, request):
        form = s.BookingInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        location = data["location"]
        try:
            appointment = services.appointment_book(
                appointment_type=data["appointment_type"],
                location=location,
                therapist=data.get("therapist"),
                start=data["start"],
                patient=services.PatientDetails(**data["patient"], dependent=data["dependent"]),
                source=Appointment.Source.ONLINE,
                reason_for_visit=data["reason_for_visit"],
            )
        except services.BookingError as error:
            if error.code == "taken":
                zone = location.zone
                return Response(
                    {
                        "detail": error.message,
                        "alternatives": [s.slot_data(slot, zone) for slot in error.alternatives],
                    },
                    status=status.HTTP_409_CONFLICT,
                )
            return Response(
                {"detail": error.message, "code": error.code},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except DjangoValidationError as error:
            # The model's own checks (full_clean) disagreed with input we accepted.
            return Response(
                {"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST
            )
        # The response names the therapist: the one asked for or the one "any therapist" was
        # given, read with their name when the booking locked their row.
        # The manage and intake links the response holds: the visit is new, so one insert
        # rather than a read and an insert for each.
        links.appointment_links_issue(appointment, purposes=BOOKING_LINK_PURPOSES)
        return Response(s.BookingSerializer(appointment).data, status=status.HTTP_201_CREATED)


class PingView(APIView):
    """The cheapest request the framework can answer: no database, no throttle, no auth."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []

    @extend_schema(tags=["health"], summary="Is the API up?", responses=s.PingSerializer)
    def get(self, request):
        return Response({"ok": True})


class NoSuchEndpointView(PublicMixin, APIView):
    """Any other address under /api/v1/: a JSON 404, not the site's HTML page, for any method."""

    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound(NO_SUCH_ENDPOINT)
