"""Online booking (``/book/``): choose the type, location and therapist, a free time, your
details, review and book, then the confirmation.

Used by anyone, without signing in. What the patient typed waits in the session (``DRAFT_KEY``)
until the review step books it through ``services.appointment_book``; the confirmation page is
the first page of the patient's signed manage link (``manage.SignedAppointmentPage``). Mounted
by ``clinic/urls.py``.
"""

import datetime

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import FormView, TemplateView
from phonenumber_field.phonenumber import PhoneNumber

from clinic import links, selectors, services
from clinic.api.throttles import THROTTLED, BookingRateThrottle
from clinic.forms import ANY_THERAPIST, BookingChoiceForm, PatientDetailsForm
from clinic.views.day_picker import (
    DATE_UNREADABLE,
    DAYS_SHOWN,
    TIME_UNREADABLE,
    date_from_query,
    days_with_times,
    selected_day,
    slot_from_request,
    start_given,
)
from clinic.views.manage import SignedAppointmentPage

DRAFT_KEY = "booking_draft"
BOOKED_KEY = "booked_appointments"  # visits booked in this browser: their confirmation asks nothing
SESSION_ENDED = "Your booking session has ended. Please choose a time."


def _choice_query(choice: dict) -> str:
    return urlencode(
        {
            "type": choice["type"].slug,
            "location": choice["location"].slug,
            "therapist": choice["therapist"].pk if choice["therapist"] else ANY_THERAPIST,
        }
    )


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
        _, horizon_day = selectors.booking_window()
        asked = request.GET.get("from", "")
        first_day = date_from_query(asked)
        error = None
        if asked and (first_day is None or first_day > horizon_day):
            first_day, error = today, DATE_UNREADABLE
        first_day = max(first_day or today, today)
        last_day = first_day + datetime.timedelta(days=DAYS_SHOWN - 1)
        slots = selectors.slot_list(
            appointment_type=choice["type"],
            location=location,
            therapist=choice["therapist"],
            start_date=first_day,
            end_date=last_day,
        )
        days = days_with_times(slots, location.zone)
        selected = selected_day(request, days)
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
            "error": error,
        }
        return self.render_to_response(context, status=400 if error else 200)


class BookDetailsView(BookingChoiceMixin, FormView):
    """About the patient; what they typed is kept in the session for the review step."""

    template_name = "clinic/book/details.html"
    form_class = PatientDetailsForm

    def dispatch(self, request, *args, **kwargs):
        _, self.choice = self.get_choice()
        self.start = slot_from_request(request) if self.choice else None
        if self.choice is None or not start_given(request):
            messages.warning(request, "Please choose a time first.")
            return redirect("book")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.start is None:  # a start that is not a real time: say so, keep the choice
            return self.render_to_response(self.get_context_data(), status=400)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.start is None:
            # Keep what the patient typed: the form is shown again with it, and a valid one is
            # kept in the session so it is filled in once they choose a time.
            form = self.get_form()
            if form.is_valid():
                self.request.session[DRAFT_KEY] = {"patient": form.to_session()}
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        draft = self.request.session.get(DRAFT_KEY, {})
        return draft.get("patient", {})  # the text consent box starts unticked

    def get_context_data(self, **kwargs):
        zone = self.choice["location"].zone
        return {
            **super().get_context_data(**kwargs),
            "choice": self.choice,
            "start": self.start.astimezone(zone) if self.start else None,
            "start_error": None if self.start else TIME_UNREADABLE,
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
        if not draft or "start" not in draft:  # no time chosen yet: only the typed details
            return None, None, None
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
        request.session[BOOKED_KEY] = [*request.session.get(BOOKED_KEY, [])[-9:], appointment.pk]
        token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
        return redirect("book_confirmed", token=token)


class BookConfirmedView(SignedAppointmentPage):
    template_name = "clinic/book/confirmed.html"

    def just_booked(self, request) -> bool:
        return self.appointment.pk in request.session.get(BOOKED_KEY, [])
