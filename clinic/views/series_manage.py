"""A series visit's manage link: cancelling this visit and the rest of the series
(``appointment_cancel_series``). Used by patients without signing in, like the other pages of
the link (``manage``); mounted by ``clinic/urls.py``."""

from django.contrib import messages
from django.template.response import TemplateResponse

from clinic import services
from clinic.services import series
from clinic.views.manage import SignedAppointmentPage

SERIES_CANCELLED = "{count} visits are cancelled. We've emailed you the dates."


class SeriesCancelView(SignedAppointmentPage):
    template_name = "clinic/book/cancel_series.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rest": series.series_rest(self.appointment)}

    def post(self, request, *args, **kwargs):
        appointment = self.get_appointment()
        try:
            cancelled = series.series_cancel_rest(
                appointment=appointment, reason=request.POST.get("reason", "")
            )
        except services.BookingError as error:
            context = {**self.get_context_data(), "error": error.message}
            return self.render_to_response(context, status=400)
        messages.success(request, SERIES_CANCELLED.format(count=len(cancelled)))
        appointment.refresh_from_db()
        return TemplateResponse(
            request, "clinic/book/manage.html", self.appointment_context(appointment)
        )
