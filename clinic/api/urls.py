"""The public booking API under ``/api/``: version 1, its OpenAPI schema and Swagger UI.

Paths have no trailing slash, as the API's clients write them.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from clinic.api import views
from clinic.api.throttles import ReadRateThrottle

app_name = "api"

urlpatterns = [
    path("v1/locations", views.LocationListView.as_view(), name="locations"),
    path("v1/appointment-types", views.AppointmentTypeListView.as_view(), name="appointment_types"),
    path("v1/therapists", views.TherapistListView.as_view(), name="therapists"),
    path("v1/availability", views.AvailabilityView.as_view(), name="availability"),
    path("v1/appointments", views.AppointmentCreateView.as_view(), name="appointments"),
    path("v1/ping", views.PingView.as_view(), name="ping"),
    path(
        "schema/",
        SpectacularAPIView.as_view(throttle_classes=[ReadRateThrottle]),
        name="schema",
    ),
    path(
        "docs/",
        # The split view serves its script from a URL, and our template takes the page's
        # styles from a static file: the CSP refuses nothing on the page.
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            template_name="api/swagger_ui.html",
            throttle_classes=[ReadRateThrottle],
        ),
        name="docs",
    ),
    re_path(r"^v1/", views.NoSuchEndpointView.as_view(), name="no_such_endpoint"),
]
