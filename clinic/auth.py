"""Permissions by role: one table instead of groups that have to be kept in step.

Staff users get the permissions their ``role`` lists; superusers get everything as usual.
Later features add their models to ``ROLE_PERMISSIONS``.
"""

from django.contrib.auth.backends import BaseBackend

from clinic.models import User


def _crud(app_model: str, *actions: str) -> set[str]:
    app, model = app_model.split(".")
    return {f"{app}.{action}_{model}" for action in actions or ("view", "add", "change")}


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Books, moves, cancels and checks patients in; keeps therapists' hours and time off.
    # Deleting appointments is for superusers only (AppointmentAdmin): they are cancelled.
    User.Role.FRONT_DESK: frozenset(
        _crud("clinic.appointment")
        | _crud("clinic.patient")
        | _crud("clinic.workinghours")
        | _crud("clinic.timeoff")
        | _crud("clinic.location", "view")
        | _crud("clinic.therapist", "view")
        | _crud("clinic.appointmenttype", "view")
        | _crud("clinic.message", "view", "change")
        | _crud("clinic.inboundmessage", "view")
        # Sees that an intake is complete or urgent and can reopen it; never its answers.
        | _crud("intake.intakeassessment", "view", "change")
    ),
    # Looks at the schedule and their patients; changes nothing through the admin.
    User.Role.THERAPIST: frozenset(
        # Curates the exercise library and templates; plans themselves live in the workspace.
        _crud("careplans.exercise")
        | _crud("careplans.exercisemuscle")
        | _crud("careplans.muscle")
        | _crud("careplans.equipment")
        | _crud("careplans.careplantemplate")
        | _crud("careplans.careplantemplateitem")
        | _crud("clinic.appointment", "view")
        | _crud("clinic.patient", "view")
        | _crud("clinic.location", "view")
        | _crud("clinic.appointmenttype", "view")
    ),
}


class RoleBackend(BaseBackend):
    """Grants an active staff user the permissions of their role. Authenticates nobody."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or not user_obj.is_staff or obj is not None:
            return set()
        return set(ROLE_PERMISSIONS.get(getattr(user_obj, "role", None), ()))

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
