"""The therapist's workspace in the practice: their own schedule (``my_schedule``).

Used by signed-in therapists (``access.TherapistRequiredMixin``); mounted by ``clinic/urls.py``.
"""

from django.views.generic import TemplateView

from clinic import access, selectors


class MyScheduleView(access.TherapistRequiredMixin, TemplateView):
    """Today and the rest of this week for the signed-in therapist."""

    template_name = "clinic/workspace/schedule.html"

    def get_context_data(self, **kwargs):
        therapist = self.request.user.therapist
        days = selectors.therapist_schedule(therapist=therapist)
        return {**super().get_context_data(**kwargs), "therapist": therapist, "days": days}
