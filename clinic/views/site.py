"""The site's own pages: the public home page, the health check and the favicon.

Used by visitors, load balancers and browsers; mounted by the root URLconf (``clinic/urls.py``).
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from clinic.selectors import health_report


class HomeView(TemplateView):
    template_name = "clinic/home.html"


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
