"""What patients may choose from: bookable types, open locations, active therapists.

Also the therapists' names for a list of free slots, which the admin shows.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from clinic.models import AppointmentType, Location, Therapist
from clinic.selectors.availability import Slot


def appointment_type_queryset_active() -> QuerySet[AppointmentType]:
    """Types the clinic offers now; the front desk may book any of them."""
    return AppointmentType.objects.filter(is_active=True)


def appointment_type_list_online() -> QuerySet[AppointmentType]:
    """Types patients can book themselves: active and online-bookable."""
    return appointment_type_queryset_active().filter(online_bookable=True)


def location_queryset_active() -> QuerySet[Location]:
    return Location.objects.filter(is_active=True)


def location_list_active() -> list[Location]:
    """The clinic's open locations, for pages and the footer."""
    return list(location_queryset_active().order_by("name"))


def therapist_list_active(*, location: Location | None = None) -> QuerySet[Therapist]:
    """Therapists taking bookings, at ``location`` when given."""
    therapists = Therapist.objects.filter(is_active=True).select_related("user")
    if location is not None:
        therapists = therapists.filter(locations=location)
    return therapists


def therapist_get(*, pk: int) -> Therapist:
    """One therapist, with the name (on the user) loaded."""
    return Therapist.objects.select_related("user").get(pk=pk)


def therapist_names(*, slots: Iterable[Slot]) -> dict[int, str]:
    """The names of the therapists of ``slots``, by id, in one query."""
    therapists = Therapist.objects.select_related("user")
    return {t.pk: t.name for t in therapists.filter(pk__in={s.therapist_id for s in slots})}


def therapist_works_at(*, therapist: Therapist, location: Location) -> bool:
    return therapist.locations.filter(pk=location.pk).exists()
