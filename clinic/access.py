"""Who may see what: the one module that answers it.

Every view, admin page and selector that shows a patient's record asks this module, through a
role predicate (``is_clinician``…), a role mixin (``ClinicianRequiredMixin``…), or one of the
querysets of rows a user may see (``patients_for_care``, ``intakes_clinical``…). Looking a row up
through those querysets makes a wrong id a 404, never another patient's record.

The rules as they stand (``docs/access.md`` will hold the policy that replaces them):

- **Clinic admins** (role admin, or a superuser) see everything.
- **Therapists** read the clinical answers of the intakes of *their own* appointments
  (``intakes_clinical``), but see and write the care plans of every patient with an appointment
  with them *or at a location where they work* (``patients_for_care``), so a colleague can cover.
  The two rules disagree; the access-policy work decides between them.
- **The front desk** sees every intake's status, never its answers (``intakes_status``).
- **Patients** see their own published plans (``careplans_for_patient``); a patient's signed
  links (manage, intake) name one appointment (``appointment_from_link``), and a re-assessment
  link one request (``reassessment_from_link``).

Models of ``intake`` and ``careplans`` are reached through the app registry, so the base app
does not import the apps built on it.
"""

from django.apps import apps
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse_lazy

from clinic import links
from clinic.models import Appointment, Patient, User

# --- Roles ---------------------------------------------------------------------------------------


def is_superuser(user) -> bool:
    """Deletes what others may only cancel, and reads the admin's clinical tables."""
    return user.is_authenticated and user.is_active and user.is_superuser


def is_clinic_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == User.Role.ADMIN)


def is_clinician(user) -> bool:
    """Therapists (with a therapist record) and clinic admins: the people who read answers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_clinic_admin(user):
        return True
    return is_therapist(user)


def is_therapist(user) -> bool:
    """A therapist with a therapist record: the owner of a schedule in the workspace."""
    return user.is_authenticated and user.role == User.Role.THERAPIST and hasattr(user, "therapist")


def is_staff_member(user) -> bool:
    """Anyone active who works at the clinic: therapists, front desk, clinic admins."""
    return user.is_authenticated and user.is_active and user.is_staff_member


def is_front_desk(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == User.Role.FRONT_DESK


def is_patient(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == User.Role.PATIENT


# --- Role mixins for views -----------------------------------------------------------------------


class StaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Therapists, front desk and admins. Anonymous: sign-in page; patients: 403."""

    def test_func(self):
        return is_staff_member(self.request.user)


class ClinicianRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Only the people who read clinical answers: therapists and clinic admins.

    The front desk and patients get 403; anonymous visitors are sent to sign in. Which records
    a clinician may open is the ownership queryset the view looks rows up through.
    """

    def test_func(self):
        return is_clinician(self.request.user)


class TherapistRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Therapists with a schedule of their own (the workspace); everyone else signed in: 403."""

    def test_func(self):
        return is_therapist(self.request.user)


class PatientRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Signed-in patients only. Anonymous visitors go to the one-time-link sign-in page;
    staff get 403. Which rows a patient may see is the ownership filter of each view (their
    own ``Patient`` record, through ``request.user.patient``)."""

    login_url = reverse_lazy("account:login")

    def test_func(self):
        return is_patient(self.request.user)

    @property
    def patient(self):
        return getattr(self.request.user, "patient", None)


# --- What a user may see -------------------------------------------------------------------------


def patients_for_care(*, user) -> QuerySet[Patient]:
    """Patients whose care plans, session logs and adherence ``user`` may see and write.

    - Clinic admins: every patient.
    - Therapists: patients with an appointment (in any status, past or future) either with
      them, or at one of the locations they work at, so a colleague can cover.
    - Everyone else (front desk, patients, anonymous): none.
    """
    patients = Patient.objects.all()
    if not is_clinician(user):
        return patients.none()
    if is_clinic_admin(user):
        return patients
    therapist = user.therapist
    seen_here = Appointment.objects.filter(patient=OuterRef("pk")).filter(
        Q(therapist=therapist) | Q(location__therapists=therapist)
    )
    return patients.filter(Exists(seen_here))


def intakes_clinical(*, user) -> QuerySet:
    """Intakes whose clinical answers ``user`` may read.

    Therapists: the intakes of appointments where they are the therapist. Admins: all. Anyone
    else: none.
    """
    intakes = apps.get_model("intake", "IntakeAssessment").objects.all()
    if not user.is_authenticated or not user.is_active:
        return intakes.none()
    if is_clinic_admin(user):
        return intakes
    if user.role == User.Role.THERAPIST:
        return intakes.filter(appointment__therapist__user=user)
    return intakes.none()


def intakes_status(*, user) -> QuerySet:
    """Intakes whose *status* ``user`` may see: the clinical list, plus everything for the desk."""
    if is_front_desk(user):
        return apps.get_model("intake", "IntakeAssessment").objects.all()
    return intakes_clinical(user=user)


def careplans_for_staff(*, user) -> QuerySet:
    """Every version of the plans of the patients ``user`` may see (``patients_for_care``)."""
    plans = apps.get_model("careplans", "CarePlan").objects
    return plans.filter(patient__in=patients_for_care(user=user))


def careplans_for_patient(*, user) -> QuerySet:
    """A patient's own published plans (active and completed); drafts stay with the therapist."""
    CarePlan = apps.get_model("careplans", "CarePlan")
    if not user.is_authenticated or user.role != User.Role.PATIENT:
        return CarePlan.objects.none()
    return CarePlan.objects.filter(
        patient__user=user, status__in=[CarePlan.Status.ACTIVE, CarePlan.Status.COMPLETED]
    )


def appointment_from_link(token: str, *, salt: str) -> Appointment | None:
    """The appointment a patient's signed link names, or None for a bad, expired or revoked
    link (``clinic.links``: each token names a stored ``PatientLink``).

    The link is the patient's key to that one appointment (and its intake); it opens nothing
    else.
    """
    link = links.link_from_token(token, salt=salt)
    if link is None or link.appointment_id is None or not links.link_use(link):
        return None
    appointment = (
        Appointment.objects.select_related(
            "patient", "therapist__user", "location", "appointment_type"
        )
        .filter(pk=link.appointment_id)
        .first()
    )
    if appointment is not None:
        appointment.opened_with = link  # for the date-of-birth check on a new device
    return appointment


def reassessment_from_link(token: str):
    """The re-assessment request a patient's signed link names, or None for a bad, expired or
    revoked link. It opens that request's form and, once answered, the patient's own outcomes."""
    link = links.link_from_token(token, salt=links.REASSESSMENT_SALT)
    if link is None or link.object_id is None or not links.link_use(link):
        return None
    requests = apps.get_model("intake", "ReassessmentRequest").objects
    request = (
        requests.select_related("patient", "requested_by__user", "completed")
        .filter(pk=link.object_id, patient_id=link.patient_id)
        .first()
    )
    if request is not None:
        request.opened_with = link
    return request


# --- The admin: permissions by role --------------------------------------------------------------


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
    """Grants an active staff user the admin permissions of their role (``ROLE_PERMISSIONS``):
    one table instead of groups that have to be kept in step. Superusers get everything as
    usual. Authenticates nobody."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or not user_obj.is_staff or obj is not None:
            return set()
        return set(ROLE_PERMISSIONS.get(getattr(user_obj, "role", None), ()))

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
