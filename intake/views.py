from django.http import Http404
from django.views.generic import TemplateView

from clinic import links
from clinic.models import Appointment


class IntakeStartView(TemplateView):
    """The intake link from a booking; the questionnaire itself arrives with the intake work."""

    template_name = "intake/start.html"

    def get_context_data(self, **kwargs):
        appointment_id = links.appointment_id_from(kwargs["token"], salt=links.INTAKE_SALT)
        appointment = (
            Appointment.objects.select_related("appointment_type", "location", "therapist__user")
            .filter(pk=appointment_id)
            .first()
        )
        if appointment is None:
            raise Http404("This link is not valid or has expired.")
        return {**super().get_context_data(**kwargs), "appointment": appointment}
