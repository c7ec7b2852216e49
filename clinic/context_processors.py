from django.conf import settings
from django.utils.functional import SimpleLazyObject

from clinic.selectors import location_list_active


def clinic(request):
    """Clinic name and locations for the header and footer (the query runs only if used)."""
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "clinic_locations": SimpleLazyObject(location_list_active),
    }
