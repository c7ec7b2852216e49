"""The patient's side of the waitlist: joining it from the times page ("Tell me if something
opens up", ``waitlist_join``) and an offer's signed link (``waitlist_offer``), where the time
offered is shown and taken.

Used by anyone, without signing in: the choice (type, location, therapist) comes from the times
page's query, as booking's does; an offer's token is the patient's key to that one offer
(``access.waitlist_offer_from_link``). Mounted by ``clinic/urls.py``.
"""

import datetime

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from clinic import access, links, services
from clinic.api.throttles import THROTTLED, BookingRateThrottle
from clinic.forms_scheduling import WaitlistJoinForm
from clinic.limits import SignedLinkLimitMixin, over_limit
from clinic.models_scheduling import WaitlistOffer
from clinic.services import waitlist
from clinic.views.booking import BookingChoiceMixin, _choice_query


class WaitlistJoinView(BookingChoiceMixin, TemplateView):
    """The form, then "You're on the list". Everything typed survives an error."""

    template_name = "clinic/waitlist/join.html"

    def dispatch(self, request, *args, **kwargs):
        self.form_choice, self.choice = self.get_choice()
        if self.choice is None:
            return render(request, "clinic/book/start.html", {"form": self.form_choice}, status=400)
        return super().dispatch(request, *args, **kwargs)

    def context(self, form, error=None):
        return {
            "form": form,
            "choice": self.choice,
            "query": _choice_query(self.choice),
            "error": error,
        }

    def get(self, request, *args, **kwargs):
        today = timezone.now().astimezone(self.choice["location"].zone).date()
        form = WaitlistJoinForm(
            initial={
                "earliest_date": today,
                "latest_date": today + datetime.timedelta(days=14),
                "sms_consent": True,
            }
        )
        return self.render_to_response(self.context(form))

    def post(self, request, *args, **kwargs):
        form = WaitlistJoinForm(request.POST)
        if not BookingRateThrottle().allow_request(request, self):  # joining is like booking
            return self.render_to_response(self.context(form, THROTTLED), status=429)
        if not form.is_valid():
            return self.render_to_response(self.context(form), status=400)
        data = form.cleaned_data
        try:
            entry = waitlist.waitlist_join(
                appointment_type=self.choice["type"],
                location=self.choice["location"],
                therapist=self.choice["therapist"],
                earliest_date=data["earliest_date"],
                latest_date=data["latest_date"],
                times_of_day=data["times_of_day"],
                patient=services.PatientDetails(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    sms_consent=data["sms_consent"],
                    dependent=form.dependent_details(),
                ),
            )
        except services.BookingError as error:
            return self.render_to_response(self.context(form, error.message), status=400)
        return render(
            request,
            "clinic/waitlist/joined.html",
            {"entry": entry, "choice": self.choice, "minutes": settings.WAITLIST_OFFER_MINUTES},
        )


LEFT = "You're off the waitlist. We won't offer you more times."


class WaitlistOfferView(SignedLinkLimitMixin, View):
    """A waitlist offer: the time, with whom, where, and "Take this time" (a POST: a link
    preview fetching the page must not book it)."""

    template_name = "clinic/waitlist/offer.html"

    def dispatch(self, request, *args, **kwargs):
        if limited := over_limit(request, self.link_throttle):
            return limited
        self.offer = access.waitlist_offer_from_link(kwargs["token"])
        if self.offer is None:
            return links.closed_response(request)
        return super(SignedLinkLimitMixin, self).dispatch(request, *args, **kwargs)

    def page(self, request, *, result=None, status=200):
        offer = self.offer
        offer.refresh_from_db(fields=["status", "expires_at"])
        open_now = offer.status == WaitlistOffer.Status.SENT and offer.expires_at > timezone.now()
        context = {
            "offer": offer,
            "opening": offer.opening,
            "open_now": open_now,
            "result": result,
            "manage_url": links.manage_url(result.appointment)
            if result and result.appointment
            else None,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        access.record_view(request, patient_id=self.offer.entry.patient_id, obj=self.offer)
        return self.page(request)

    def post(self, request, *args, **kwargs):
        from clinic import tasks

        if request.POST.get("action") == "leave":
            waitlist.waitlist_remove(entry=self.offer.entry)
            return self.page(request, result=waitlist.OfferResult("left", LEFT))
        result, told = waitlist.offer_accept(offer_id=self.offer.pk, via="link")
        if told:
            tasks.texts_send.delay(told)
        accepted = result.status == WaitlistOffer.Status.ACCEPTED
        return self.page(request, result=result, status=200 if accepted else 409)
