"""The urgent-intakes banner shown at the top of every page for staff."""

from django.utils.functional import cached_property

from clinic import access


class UrgentIntakes:
    """Counts on first use, once per request: pages that don't show the banner pay nothing."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        from intake.selectors import urgent_intake_count

        return urgent_intake_count(user=self.user)


def urgent_intakes(request):
    """Unacknowledged urgent intakes for signed-in staff: a therapist's own, all for the desk.

    Anonymous visitors and patients get nothing and cost no query; staff cost one COUNT.
    """
    user = getattr(request, "user", None)
    if user is None or not access.is_staff_member(user):
        return {}
    return {"urgent_intakes": UrgentIntakes(user)}
