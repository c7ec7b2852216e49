"""What patients may choose from: bookable types, open locations, active therapists."""

from django.db.models import QuerySet

from clinic.models import AppointmentType, Location, Therapist


def appointment_type_queryset_active() -> QuerySet[AppointmentType]:
    """Types the clinic offers now; the front desk may book any of them."""
    return AppointmentType.objects.filter(is_active=True)


def appointment_type_list_online() -> QuerySet[AppointmentType]:
    """Types patients can book themselves: active and online-bookable."""
    return appointment_type_queryset_active().filter(online_bookable=True)


def location_queryset_active() -> QuerySet[Location]:
    return Location.objects.filter(is_active=True)


def therapist_list_active(*, location: Location | None = None) -> QuerySet[Therapist]:
    """Therapists taking bookings, at ``location`` when given."""
    therapists = Therapist.objects.filter(is_active=True).select_related("user")
    if location is not None:
        therapists = therapists.filter(locations=location)
    return therapists


def therapist_get(*, pk: int) -> Therapist:
    """One therapist, with the name (on the user) loaded."""
    return Therapist.objects.select_related("user").get(pk=pk)


def therapist_works_at(*, therapist: Therapist, location: Location) -> bool:
    return therapist.locations.filter(pk=location.pk).exists()
