"""Reads of a patient's care team, for the therapist's care-team page
(``clinic.views.workspace``); the writes are ``clinic.services.care_team``."""

import datetime

from django.utils import timezone

from clinic.models import CareTeamMember, Patient, Therapist


def care_team_list(*, patient: Patient, today: datetime.date | None = None) -> list:
    """The colleagues covering for ``patient`` now, the soonest end first."""
    today = today or timezone.localdate()
    return list(
        CareTeamMember.objects.filter(patient=patient, until__gte=today)
        .select_related("therapist__user", "added_by")
        .order_by("until", "pk")
    )


def care_team_candidates(*, exclude_user=None):
    """The therapists who may be added: active ones, by name, without the one adding."""
    therapists = Therapist.objects.filter(is_active=True, user__is_active=True).select_related(
        "user"
    )
    if exclude_user is not None:
        therapists = therapists.exclude(user=exclude_user)
    return therapists.order_by("user__last_name", "user__first_name", "pk")
