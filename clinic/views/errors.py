"""The site's error pages (used when ``DEBUG`` is off): branded, with both locations' phones and
a way home. A path under a patient's link that matches nothing (a link cut short or mistyped in
an email) gets the closed-link page, as a bad token does.

Mounted as ``handler404`` and ``handler500`` by the root URLconf; 400 and 403 are Django's own
views with ``templates/400.html`` and ``templates/403.html``.
"""

import logging

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from clinic import links
from clinic.selectors import location_list_active

logger = logging.getLogger(__name__)

# Where the patients' signed links live; the staff's pages below them are not links.
LINK_PREFIXES = ("/appointments/", "/book/confirmed/", "/intake/", "/account/login/")
NOT_LINKS = ("/intake/review/",)
PLAIN_500 = (
    "<!doctype html><title>Something went wrong</title>"
    "<h1>Something went wrong on our side</h1>"
    "<p>Please try again in a few minutes, or call us at {phone}.</p><p><a href='/'>Home</a></p>"
)


def is_link_path(path: str) -> bool:
    return path.startswith(LINK_PREFIXES) and not path.startswith(NOT_LINKS)


def page_not_found(request, exception):
    if is_link_path(request.path):
        return links.closed_response(request)
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page. It is rendered without the context processors (they may need the
    database that just failed); the locations are read once more, and left out if that fails."""
    context = {"clinic_name": settings.CLINIC_NAME, "clinic_phone": settings.CLINIC_PHONE}
    try:
        context["clinic_locations"] = location_list_active()
    except Exception:  # the database may be what failed
        logger.warning("500 page: locations unavailable", exc_info=True)
    try:
        return HttpResponseServerError(render_to_string("500.html", context))
    except Exception:
        logger.exception("500 page: template failed")
        return HttpResponseServerError(PLAIN_500.format(phone=settings.CLINIC_PHONE))
