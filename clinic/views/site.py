"""The site's own pages: the public home page, where signing in lands, the health check and the
favicon.

Used by visitors, load balancers and browsers; mounted by the root URLconf (``clinic/urls.py``).
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from clinic import access
from clinic.selectors import health_report


class HomeView(TemplateView):
    template_name = "clinic/home.html"


def landing_url(user) -> str:
    """Where someone lands after signing in without a ``next``: their own first page.

    Therapists their schedule, the front desk the admin's "Today" page, clinic admins the
    admin, patients "My care"; anyone else the public home page.
    """
    if access.is_therapist(user):
        return reverse("my_schedule")
    if access.is_front_desk(user):
        return reverse("admin:clinic_appointment_today")
    if access.is_patient(user):
        return reverse("account:home")
    if access.is_staff_member(user) or access.is_clinic_admin(user):
        return reverse("admin:index")
    return reverse("home")


@never_cache
@require_GET
def landing(request):
    """``LOGIN_REDIRECT_URL``: sends each role to its first page (``landing_url``). The sign-in
    page honours a safe ``next`` before it comes here."""
    return redirect(landing_url(request.user))


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return redirect(static("favicon.svg"), permanent=True)


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: 200 when the database and broker answer, else 503."""
    report = health_report()
    return JsonResponse(
        {
            "status": "ok" if report.ok else "unavailable",
            "database": "ok" if report.database else "unreachable",
            "broker": "ok" if report.broker else "unreachable",
            "worker_last_seen": report.worker_seen_at,
        },
        status=200 if report.ok else 503,
    )
