import datetime
from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView
from phonenumber_field.phonenumber import PhoneNumber

from clinic import access, links, selectors, services
from clinic.api.throttles import THROTTLED, BookingRateThrottle
from clinic.forms import ANY_THERAPIST, BookingChoiceForm, PatientDetailsForm
from clinic.models import Appointment
from clinic.selectors import health_report
from clinic.services.notifications import appointment_ics

DRAFT_KEY = "booking_draft"
DAYS_SHOWN = 14
SESSION_ENDED = "Your booking session has ended. Please choose a time."


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


# --- Online booking --------------------------------------------------------------------------


def _choice_query(choice: dict) -> str:
    return urlencode(
        {
            "type": choice["type"].slug,
            "location": choice["location"].slug,
            "therapist": choice["therapist"].pk if choice["therapist"] else ANY_THERAPIST,
        }
    )


def _days_with_times(slots, zone) -> "OrderedDict[datetime.date, list]":
    """Free start times grouped by local day; "any therapist" shows each time once."""
    days: OrderedDict[datetime.date, OrderedDict] = OrderedDict()
    for slot in slots:
        local = slot.start.astimezone(zone)
        days.setdefault(local.date(), OrderedDict()).setdefault(local, slot)
    return OrderedDict((day, list(times.values())) for day, times in days.items())


def _selected_day(request, days) -> datetime.date | None:
    """The day the page asks for (``?day=``) when it has free times, else the first that has."""
    try:
        selected = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        selected = None
    return selected if selected in days else next(iter(days), None)


class BookingChoiceMixin:
    """Reads and checks the type / location / therapist choice carried in the query string."""

    def get_choice(self):
        form = BookingChoiceForm(self.request.GET)
        return form, (form.cleaned_data if form.is_valid() else None)


class BookStartView(TemplateView):
    template_name = "clinic/book/start.html"

    def get_context_data(self, **kwargs):
        form = BookingChoiceForm(self.request.GET or None)
        return {**super().get_context_data(**kwargs), "form": form}


class BookTimesView(BookingChoiceMixin, TemplateView):
    """A day view: the next days that have free times, and the times of the chosen day."""

    template_name = "clinic/book/times.html"

    def get(self, request, *args, **kwargs):
        form, choice = self.get_choice()
        if choice is None:
            return self.response_class(
                request, template="clinic/book/start.html", context={"form": form}, status=400
            )
        location = choice["location"]
        today = timezone.now().astimezone(location.zone).date()
        try:
            first_day = max(datetime.date.fromisoformat(request.GET.get("from", "")), today)
        except ValueError:
            first_day = today
        last_day = first_day + datetime.timedelta(days=DAYS_SHOWN - 1)
        slots = selectors.slot_list(
            appointment_type=choice["type"],
            location=location,
            therapist=choice["therapist"],
            start_date=first_day,
            end_date=last_day,
        )
        days = _days_with_times(slots, location.zone)
        selected = _selected_day(request, days)
        _, horizon_day = selectors.booking_window()
        query = _choice_query(choice)
        context = {
            "choice": choice,
            "query": query,
            "days": days,
            "selected": selected,
            "times": days.get(selected, []),
            "first_day": first_day,
            "later": last_day + datetime.timedelta(days=1) if last_day < horizon_day else None,
            "earlier": first_day - datetime.timedelta(days=DAYS_SHOWN)
            if first_day > today
            else None,
            "zone": location.zone,
        }
        return self.render_to_response(context)


def _slot_from_request(request, choice) -> datetime.datetime | None:
    start = parse_datetime(request.GET.get("start", "") or request.POST.get("start", ""))
    if start is None or timezone.is_naive(start):
        return None
    return start


class BookDetailsView(BookingChoiceMixin, FormView):
    """About the patient; what they typed is kept in the session for the review step."""

    template_name = "clinic/book/details.html"
    form_class = PatientDetailsForm

    def dispatch(self, request, *args, **kwargs):
        _, self.choice = self.get_choice()
        self.start = _slot_from_request(request, self.choice) if self.choice else None
        if self.choice is None or self.start is None:
            messages.warning(request, "Please choose a time first.")
            return redirect("book")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        draft = self.request.session.get(DRAFT_KEY, {})
        return draft.get("patient", {}) or {"sms_consent": True}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "choice": self.choice,
            "start": self.start.astimezone(self.choice["location"].zone),
            "query": _choice_query(self.choice),
        }

    def form_valid(self, form):
        self.request.session[DRAFT_KEY] = {
            "query": _choice_query(self.choice),
            "start": self.start.isoformat(),
            "patient": form.to_session(),
        }
        return redirect("book_review")


class BookReviewView(TemplateView):
    """Check everything, then book. A lost race comes back here with the nearest free times."""

    template_name = "clinic/book/review.html"

    def load(self):
        draft = self.request.session.get(DRAFT_KEY)
        if not draft:
            return None, None, None
        from django.http import QueryDict

        form = BookingChoiceForm(QueryDict(draft["query"]))
        if not form.is_valid():
            return None, None, None
        return draft, form.cleaned_data, datetime.datetime.fromisoformat(draft["start"])

    def get(self, request, *args, **kwargs):
        draft, choice, start = self.load()
        if draft is None:
            messages.warning(request, SESSION_ENDED)
            return redirect("book")
        return self.render_to_response(self.context(draft, choice, start))

    def context(self, draft, choice, start, error=None, alternatives=()):
        zone = choice["location"].zone
        return {
            "draft": draft,
            "choice": choice,
            "patient": draft["patient"],
            "phone": PhoneNumber.from_string(draft["patient"]["phone"]).as_national,
            "start": start.astimezone(zone),
            "end": (start + choice["type"].duration).astimezone(zone),
            "query": draft["query"],
            "error": error,
            "alternatives": [a.start.astimezone(zone) for a in alternatives],
        }

    def post(self, request, *args, **kwargs):
        draft, choice, start = self.load()
        if draft is None:
            messages.warning(request, SESSION_ENDED)
            return redirect("book")
        if not BookingRateThrottle().allow_request(request, self):  # the API's limit, too
            context = self.context(draft, choice, start, THROTTLED)
            return self.render_to_response(context, status=429)
        details = PatientDetailsForm(draft["patient"])
        if not details.is_valid():  # cannot normally happen: it was valid when saved
            return redirect(f"{reverse('book_details')}?{draft['query']}&start={start.isoformat()}")
        data = details.cleaned_data
        try:
            appointment = services.appointment_book(
                appointment_type=choice["type"],
                location=choice["location"],
                therapist=choice["therapist"],
                start=start,
                patient=services.PatientDetails(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    date_of_birth=data["date_of_birth"],
                    sms_consent=data["sms_consent"],
                ),
                reason_for_visit=data.get("reason_for_visit", ""),
            )
        except services.BookingError as error:
            context = self.context(draft, choice, start, error.message, error.alternatives)
            return self.render_to_response(context, status=409 if error.code == "taken" else 400)
        del request.session[DRAFT_KEY]
        token = links.token_for(appointment.pk, salt=links.MANAGE_SALT)
        return redirect("book_confirmed", token=token)


class SignedAppointmentMixin:
    """Finds the appointment in the signed link; a bad or expired link is a 404."""

    salt = links.MANAGE_SALT

    def get_appointment(self) -> Appointment:
        appointment = access.appointment_from_link(self.kwargs["token"], salt=self.salt)
        if appointment is None:
            raise Http404("This link is not valid or has expired.")
        return appointment

    def appointment_context(self, appointment) -> dict:
        return {
            "appointment": appointment,
            "token": self.kwargs["token"],
            "can_change": services.appointment_change_allowed(appointment=appointment),
            "intake_url": links.intake_url(appointment),
            "late_hours": settings.BOOKING_LATE_CHANGE_HOURS,
        }


class BookConfirmedView(SignedAppointmentMixin, TemplateView):
    template_name = "clinic/book/confirmed.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **self.appointment_context(self.get_appointment()),
        }


class ManageView(BookConfirmedView):
    template_name = "clinic/book/manage.html"


class CalendarFileView(SignedAppointmentMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            appointment_ics(appointment=self.get_appointment()), content_type="text/calendar"
        )
        response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
        return response


class RescheduleView(SignedAppointmentMixin, TemplateView):
    """The same day view for the same therapist; choosing a time moves the visit."""

    template_name = "clinic/book/reschedule.html"

    def get_context_data(self, error=None, alternatives=(), **kwargs):
        appointment = self.get_appointment()
        zone = appointment.location.zone
        today = timezone.now().astimezone(zone).date()
        slots = selectors.slot_list(
            appointment_type=appointment.appointment_type,
            location=appointment.location,
            therapist=appointment.therapist,
            start_date=today,
            end_date=today + datetime.timedelta(days=DAYS_SHOWN * 2 - 1),
            exclude_appointment_id=appointment.pk,
        )
        days = _days_with_times(slots, zone)
        selected = _selected_day(self.request, days)
        return {
            **super().get_context_data(**kwargs),
            **self.appointment_context(appointment),
            "days": days,
            "selected": selected,
            "times": days.get(selected, []),
            "zone": zone,
            "error": error,
            "alternatives": [a.start.astimezone(zone) for a in alternatives],
        }

    def post(self, request, *args, **kwargs):
        appointment = self.get_appointment()
        start = _slot_from_request(request, None)
        if start is None:
            context = self.get_context_data(error="Please choose one of the free times.")
            return self.render_to_response(context, status=400)
        try:
            services.appointment_reschedule(appointment=appointment, start=start)
        except services.BookingError as error:
            context = self.get_context_data(error=error.message, alternatives=error.alternatives)
            return self.render_to_response(context, status=409 if error.code == "taken" else 400)
        messages.success(request, "Your appointment has been moved. We've emailed the new time.")
        return redirect("appointment_manage", token=kwargs["token"])


class CancelView(SignedAppointmentMixin, TemplateView):
    template_name = "clinic/book/cancel.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **self.appointment_context(self.get_appointment()),
        }

    def post(self, request, *args, **kwargs):
        appointment = self.get_appointment()
        try:
            services.appointment_cancel(
                appointment=appointment, reason=request.POST.get("reason", "")
            )
        except services.BookingError as error:
            context = {**self.get_context_data(), "error": error.message}
            return self.render_to_response(context, status=400)
        messages.success(request, "Your appointment is cancelled. We hope to see you soon.")
        return redirect("appointment_manage", token=kwargs["token"])


# --- Therapist workspace ---------------------------------------------------------------------


class MyScheduleView(access.TherapistRequiredMixin, TemplateView):
    """Today and the rest of this week for the signed-in therapist."""

    template_name = "clinic/workspace/schedule.html"

    def get_context_data(self, **kwargs):
        therapist = self.request.user.therapist
        days = selectors.therapist_schedule(therapist=therapist)
        return {**super().get_context_data(**kwargs), "therapist": therapist, "days": days}
