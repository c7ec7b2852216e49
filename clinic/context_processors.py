from django.conf import settings
from django.utils.functional import SimpleLazyObject

from clinic.middleware import idle_seconds
from clinic.selectors import location_list_active


def clinic(request):
    """Clinic name and locations for the header and footer (the query runs only if used), and
    the signed-in user's idle limit for the sign-out warning."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "session_idle_seconds": idle_seconds(user) if signed_in else 0,
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "clinic_locations": SimpleLazyObject(location_list_active),
    }
