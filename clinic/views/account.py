"""The patient's account (``/account/``): signing in with an emailed one-time link, their home
page ("My care") and setting a password.

Used by patients (``access.PatientRequiredMixin``); mounted by ``clinic/account_urls.py``. A
patient's account is made, without a password, the first time they ask for a sign-in link
(``clinic.services.login_links``): they sign in with links emailed on request, and may set a
password later to use the ordinary sign-in page.

The home page shows the patient's coming visits; the apps built on clinic add their own
sections to it through their ``AppConfig`` (``patient_home``, see ``home_sections``), so this
module imports none of them.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.core.exceptions import ObjectDoesNotExist
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from clinic import access, links, tasks
from clinic.api.throttles import THROTTLED, LoginLinkEmailRateThrottle, LoginLinkRateThrottle
from clinic.forms import LoginLinkRequestForm, PatientChangePasswordForm, PatientSetPasswordForm
from clinic.limits import SignedLinkLimitMixin
from clinic.middleware import idle_seconds
from clinic.models import Appointment
from clinic.services.login_links import LOGIN_LINK_MAX_AGE, login_link_used, login_link_user

PASSWORD_SET = "Your password is set. You can now also sign in with your email and password."  # noqa: S105
LINK_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
NEXT_FIELD = "next"


def safe_next(request, value: str | None) -> str:
    """``value`` if it is a path on this site, else ""."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


# --- Signing in with a link ----------------------------------------------------------------------


class LoginRequestView(FormView):
    """Ask for an email; always answer “check your email”, account or not (no enumeration)."""

    template_name = "clinic/account/login.html"
    form_class = LoginLinkRequestForm

    def dispatch(self, request, *args, **kwargs):
        if access.is_patient(request.user):
            return redirect(safe_next(request, request.GET.get(NEXT_FIELD)) or "account:home")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        next_path = safe_next(self.request, self.request.GET.get(NEXT_FIELD))
        return {**super().get_context_data(**kwargs), "next": next_path}

    def form_valid(self, form):
        if not LoginLinkRateThrottle().allow_request(self.request, self):
            form.add_error(None, THROTTLED)  # what they typed stays in the form
            return self.render_to_response(self.get_context_data(form=form), status=429)
        email = form.cleaned_data["email"]
        next_path = safe_next(self.request, self.request.POST.get(NEXT_FIELD))
        # Sent by a worker, so that the answer takes as long whether or not there is an
        # account; past the per-email limit, silently not at all.
        if LoginLinkEmailRateThrottle(email).allow_request(self.request, self):
            tasks.login_link_email.delay(email, next_path)
        self.request.session["login_link_email"] = email
        return redirect("account:login_sent")


class LoginSentView(TemplateView):
    template_name = "clinic/account/login_sent.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "email": self.request.session.get("login_link_email", ""),
            "minutes": LOGIN_LINK_MAX_AGE // 60,
        }


@method_decorator(never_cache, name="dispatch")
class LoginLinkView(SignedLinkLimitMixin, View):
    """The emailed link. GET shows a “Sign in” button and POST signs in.

    Signing in on GET would let an email scanner that follows links use up the one-time link
    before the patient taps it, so the link only shows the button.
    """

    def get(self, request, token):
        user = login_link_user(token)
        if user is None:
            return self._invalid(request)
        return self._render(
            request,
            "clinic/account/login_link.html",
            {"next": safe_next(request, request.GET.get(NEXT_FIELD)), "link_user": user},
        )

    def post(self, request, token):
        user = login_link_user(token)
        if user is None:
            return self._invalid(request)
        login(request, user, backend=LINK_LOGIN_BACKEND)
        login_link_used(user)
        return redirect(safe_next(request, request.POST.get(NEXT_FIELD)) or "account:home")

    def _invalid(self, request):
        return self._render(
            request,
            "clinic/account/login_link_invalid.html",
            {"form": LoginLinkRequestForm(), "minutes": LOGIN_LINK_MAX_AGE // 60},
            status=400,
        )

    def _render(self, request, template, context, status=200):
        return render(request, template, context, status=status)


# --- The patient's pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingVisit:
    appointment: Appointment
    manage_url: str
    intake_status: str | None  # None when the visit needs no intake
    intake_label: str | None  # how the status reads: "Not started", "In progress", "Submitted"
    intake_url: str | None  # None once the intake is submitted


INTAKE_NOT_STARTED = "not_started"
INTAKE_NOT_STARTED_LABEL = "Not started"


def upcoming_visits(patient, *, limit: int = 10) -> list[UpcomingVisit]:
    """The patient's coming visits with their manage link and intake state. One query, and
    two for their links.

    The intake is read through the appointment's reverse relation (``appointment.intake``, the
    intake app's model, with its own status labels), so clinic imports nothing of intake.
    """
    appointments = (
        Appointment.objects.filter(patient=patient, end__gte=timezone.now())
        .filter(status__in=Appointment.COMING_STATUSES)
        .select_related("location", "therapist__user", "appointment_type", "intake")
        .order_by("start")[:limit]
    )
    appointments = list(appointments)
    links.appointment_links_load(
        appointments, purposes=[links.Purpose.MANAGE, links.Purpose.INTAKE]
    )
    visits = []
    for appointment in appointments:
        status = label = url = None
        if appointment.appointment_type.needs_intake:
            try:
                intake = appointment.intake
            except ObjectDoesNotExist:
                status, label, submitted = INTAKE_NOT_STARTED, INTAKE_NOT_STARTED_LABEL, False
            else:
                status, label, submitted = (
                    intake.status,
                    intake.get_status_display(),
                    intake.is_submitted,
                )
            if not submitted:
                url = links.intake_url(appointment)
        visits.append(
            UpcomingVisit(
                appointment=appointment,
                manage_url=links.manage_url(appointment),
                intake_status=status,
                intake_label=label,
                intake_url=url,
            )
        )
    return visits


def home_sections(request, patient) -> list[str]:
    """The sections the apps built on clinic add to the patient's home page, rendered, in the
    order of INSTALLED_APPS (the apps' layers). They stand above the coming visits.

    An app adds one by naming two things on its ``AppConfig``:

    - ``patient_home``: the dotted path of a function called as ``f(patient=..., user=...)``
      (the patient's record and the signed-in user) that returns the section's context, a dict;
    - ``patient_home_template``: the template that renders the section with that context (and
      the request's: ``user``, ``csrf_token``…).
    """
    sections = []
    for config in apps.get_app_configs():
        if path := getattr(config, "patient_home", None):
            context = import_string(path)(patient=patient, user=request.user)
            template = config.patient_home_template
            sections.append(render_to_string(template, context, request=request))
    return sections


class AccountHomeView(access.PatientRequiredMixin, TemplateView):
    """My care: the sections the apps built on clinic add (careplans' plan card), then the
    coming visits with their links and intake state."""

    template_name = "clinic/account/home.html"

    def get_context_data(self, **kwargs):
        patient = self.patient
        context = super().get_context_data(**kwargs)
        if patient is None:
            return {**context, "patient": None}
        access.record_view(self.request, patient_id=patient.pk, obj=patient)
        return {
            **context,
            "patient": patient,
            "sections": home_sections(self.request, patient),
            "visits": upcoming_visits(patient),
        }


class SetPasswordView(access.PatientRequiredMixin, FormView):
    """Choose a password, to sign in without waiting for an email next time."""

    template_name = "clinic/account/set_password.html"

    def get_form_class(self):
        # Changing a password that exists needs it: a session left open is not enough.
        if self.request.user.has_usable_password():
            return PatientChangePasswordForm
        return PatientSetPasswordForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = form.save()
        update_session_auth_hash(self.request, user)
        messages.success(self.request, PASSWORD_SET)
        return redirect(reverse("account:home"))


class SessionPingView(View):
    """ "Stay signed in": a request like any other, so the idle clock starts again
    (``clinic.middleware``). Answers how long until the next warning is due."""

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"signed_in": False}, status=401)
        return JsonResponse({"signed_in": True, "idle_seconds": idle_seconds(request.user)})
