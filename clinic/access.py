"""Who may see what: the one module that answers it. The policy is ``docs/access.md``.

Every view, admin page and selector that shows a patient's record asks this module, through a
role predicate (``is_clinician``…), a role mixin (``ClinicianRequiredMixin``…), or one of the
querysets of rows a user may see (``patients_for_care``, ``intakes_clinical``…). Looking a row up
through those querysets makes a wrong id a 404, never another patient's record.

- **Clinic admins** (role admin, or a superuser) see everything.
- **Therapists** see a patient's clinical record (intake answers, assessments, plans, session
  logs, outcomes) while they have a **treatment relationship** (``patients_for_care``): a
  non-cancelled appointment with the patient (past or future), a plan they authored for the
  patient, a place on the patient's care team (``CareTeamMember``, until its end date), or a
  break-glass grant they opened with a stated reason (``BREAK_GLASS_HOURS``). Intake and care
  plans ask the same queryset. A therapist without a relationship gets 404, and on the record
  pages an offer to break the glass (``CareRecordMixin``).
- **The front desk** sees contact details, appointments, texts and every intake's status, never
  answers, assessments, plans or logs (``intakes_status``); no clinical page lets them in.
- **Patients** see their own published plans (``careplans_for_patient``); a patient's signed
  links (manage, intake) name one appointment (``appointment_from_link``), and a re-assessment
  link one request (``reassessment_from_link``). A guardian also sees the records of the
  dependents they act for (``patients_for_user``), and nobody else's.

Every page that shows a patient's record writes one ``AuditEvent`` before it is rendered
(``record_view``), at most one per request.

Models of ``intake`` and ``careplans`` are reached through the app registry, so the base app
does not import the apps built on it.
"""

from django.apps import apps
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone

from clinic import guardians, links
from clinic.models import (
    Appointment,
    AuditEvent,
    BreakGlassAccess,
    CareTeamMember,
    Patient,
    User,
)
from clinic.services.audit import audit_record

NO_RELATIONSHIP = (
    "You have no care relationship with this patient. State a reason to open the record."
)

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


def patients_for_care(*, user, now=None) -> QuerySet[Patient]:
    """Patients whose clinical record ``user`` may read and write: the one treatment-relationship
    rule, used by intake and care plans alike.

    - Clinic admins: every patient.
    - Therapists: patients with a non-cancelled appointment with them (past or future), a plan
      they authored, a care-team place that has not ended, or an unexpired break-glass grant.
    - Everyone else (front desk, patients, anonymous): none.
    """
    patients = Patient.objects.all()
    if not is_clinician(user):
        return patients.none()
    if is_clinic_admin(user):
        return patients
    now = now or timezone.now()
    therapist = user.therapist
    # The four relationships as one list of patient ids (UNION ALL), which PostgreSQL reads
    # through each table's index and then joins to the patients it found; an OR of EXISTS
    # would test every patient of the practice.
    appointments = (
        Appointment.objects.filter(therapist=therapist)
        .exclude(status=Appointment.Status.CANCELLED)
        .order_by()
        .values("patient_id")
    )
    plans = (
        apps.get_model("careplans", "CarePlan")
        .objects.filter(author=therapist)
        .order_by()
        .values("patient_id")
    )
    team = (
        CareTeamMember.objects.filter(therapist=therapist, until__gte=timezone.localdate(now))
        .order_by()
        .values("patient_id")
    )
    glass = (
        BreakGlassAccess.objects.filter(user=user, expires_at__gt=now)
        .order_by()
        .values("patient_id")
    )
    return patients.filter(pk__in=appointments.union(plans, team, glass, all=True))


def care_team_manager_check(user, *, patient: Patient) -> bool:
    """Whether ``user`` may add a colleague to ``patient``'s care team, or remove one: a clinic
    admin, or the patient's own therapist (a non-cancelled appointment with the patient, or a
    plan they authored). A covering colleague or a break-glass grant does not make one the
    patient's therapist. The front desk does it in the admin (``ROLE_PERMISSIONS``)."""
    if is_clinic_admin(user):
        return True
    if not is_therapist(user):
        return False
    therapist = user.therapist
    visits = Appointment.objects.filter(patient=patient, therapist=therapist).exclude(
        status=Appointment.Status.CANCELLED
    )
    plans = apps.get_model("careplans", "CarePlan").objects.filter(
        patient=patient, author=therapist
    )
    return visits.exists() or plans.exists()


def intakes_clinical(*, user) -> QuerySet:
    """Intakes whose clinical answers ``user`` may read: those of ``patients_for_care``."""
    intakes = apps.get_model("intake", "IntakeAssessment").objects.all()
    if not is_clinician(user):
        return intakes.none()
    if is_clinic_admin(user):
        return intakes
    return intakes.filter(patient__in=patients_for_care(user=user))


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
        patient__in=patients_for_user(user=user),
        status__in=[CarePlan.Status.ACTIVE, CarePlan.Status.COMPLETED],
    )


def patients_for_user(*, user) -> QuerySet[Patient]:
    """The records a signed-in patient may see as their own: theirs, and those of the
    dependents they act for as a guardian (``dependents_for_user``). Nobody else's, and none
    for anyone but a patient."""
    if not is_patient(user):
        return Patient.objects.none()
    dependents = [d.pk for d in dependents_for_user(user=user)]
    return Patient.objects.filter(Q(user=user) | Q(pk__in=dependents))


def dependents_for_user(*, user) -> list[Patient]:
    """The dependents a signed-in patient acts for as their guardian (``clinic.guardians``: a
    child until they come of age, an adult in their care); read once per request's user."""
    if not is_patient(user):
        return []
    dependents = getattr(user, _DEPENDENTS, None)
    if dependents is None:
        try:
            own = user.patient  # usually read already by the page's mixin
        except Patient.DoesNotExist:
            own = None
        dependents = guardians.dependents_of(own)
        setattr(user, _DEPENDENTS, dependents)
    return dependents


_DEPENDENTS = "_stride_dependents"


def patients_for_records(*, user) -> QuerySet[Patient]:
    """Patients whose whole record ``user`` may download (the right of access): a signed-in
    patient their own; a clinic admin any one, on the patient's request, from the admin.
    A guardian also those of the dependents they act for (``patients_for_user``)."""
    if not user.is_authenticated or not user.is_active:
        return Patient.objects.none()
    if is_clinic_admin(user):
        return Patient.objects.all()
    if is_patient(user):
        return patients_for_user(user=user)
    return Patient.objects.none()


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


def waitlist_offer_from_link(token: str):
    """The waitlist offer a patient's signed link names, or None for a bad, expired or revoked
    link. It opens that one offer: the time offered, and taking it."""
    from clinic.models_scheduling import WaitlistOffer

    link = links.link_from_token(token, salt=links.WAITLIST_OFFER_SALT)
    if link is None or link.object_id is None or not links.link_use(link):
        return None
    offer = (
        WaitlistOffer.objects.select_related(
            "entry__patient", "opening__location", "opening__therapist__user"
        )
        .filter(pk=link.object_id, entry__patient_id=link.patient_id)
        .first()
    )
    if offer is not None:
        offer.opened_with = link
    return offer


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


# --- Looking at a record: the audit trail and breaking the glass ----------------------------------


_AUDITED = "_stride_audit_event"


def record_view(request, *, patient_id: int | None, obj=None, action: str = AuditEvent.Action.VIEW):
    """Write the one audit event of a page that shows ``patient_id``'s record. Call it when the
    record has been looked up, before the page is rendered, so a later error cannot skip it.
    Only reads (GET, HEAD) are recorded here; writes are recorded by the services and admin.
    At most one event per request: a second call returns the first event."""
    if request.method not in ("GET", "HEAD"):
        return None
    event = getattr(request, _AUDITED, None)
    if event is None:
        event = audit_record(action=action, request=request, patient_id=patient_id, obj=obj)
        setattr(request, _AUDITED, event)
    return event


def record_dependent_views(request, *, patients) -> None:
    """A guardian's page that also shows their dependents' records (``patients_for_user``):
    one audit event for each dependent, beside the page's own (``record_view``)."""
    if request.method not in ("GET", "HEAD"):
        return
    for patient in patients:
        audit_record(
            action=AuditEvent.Action.VIEW, request=request, patient_id=patient.pk, obj=patient
        )


class NoCareRelationship(Http404):
    """The record exists, but the therapist has no care relationship with its patient."""

    def __init__(self, patient: Patient):
        super().__init__(NO_RELATIONSHIP)
        self.patient = patient


def no_relationship_check(user, *, patient_id: int | None) -> None:
    """Raise ``NoCareRelationship`` when a therapist asks for a record of an existing patient
    they have no relationship with; the caller raises its 404 otherwise."""
    if patient_id is None or not is_therapist(user) or is_clinic_admin(user):
        return
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is not None:
        raise NoCareRelationship(patient)


class CareRecordMixin:
    """The clinical record pages' answer to a therapist without a relationship: still a 404,
    with the break-glass form ("State a reason to open the record") in it."""

    break_glass_template = "clinic/workspace/break_glass.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except NoCareRelationship as refusal:
            context = {
                "patient": refusal.patient,
                "message": NO_RELATIONSHIP,
                "next": request.get_full_path() if request.method == "GET" else "",
            }
            response = TemplateResponse(request, self.break_glass_template, context, status=404)
            return response.render()


# --- The admin: permissions by role --------------------------------------------------------------


def _crud(app_model: str, *actions: str) -> set[str]:
    app, model = app_model.split(".")
    return {f"{app}.{action}_{model}" for action in actions or ("view", "add", "change")}


_FRONT_DESK = frozenset(
    _crud("clinic.appointment")
    | _crud("clinic.patient")
    | _crud("clinic.careteammember", "view", "add", "change", "delete")
    | _crud("clinic.workinghours")
    | _crud("clinic.timeoff")
    | _crud("clinic.clinicclosure", "view", "add", "change", "delete")
    | _crud("clinic.appointmentseries", "view", "add")
    | _crud("clinic.waitlistentry")
    | _crud("clinic.waitlistopening", "view")
    | _crud("clinic.waitlistoffer", "view")
    | _crud("clinic.location", "view")
    | _crud("clinic.therapist", "view")
    | _crud("clinic.appointmenttype", "view")
    | _crud("clinic.message", "view", "change")
    | _crud("clinic.inboundmessage", "view")
    # The do-not-text list: adds a caller's number; removes one only with a note.
    | _crud("clinic.smsoptout", "view", "add", "delete")
    # Sees that an intake is complete or urgent and can reopen it; never its answers.
    | _crud("intake.intakeassessment", "view", "change")
)
_LIBRARY = frozenset(
    _crud("careplans.exercise")
    | _crud("careplans.exercisemuscle")
    | _crud("careplans.muscle")
    | _crud("careplans.equipment")
    | _crud("careplans.careplantemplate")
    | _crud("careplans.careplantemplateitem")
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Books, moves, cancels and checks patients in; keeps therapists' hours and time off, and a
    # patient's care team. Deleting appointments is for superusers only (AppointmentAdmin).
    User.Role.FRONT_DESK: _FRONT_DESK,
    # Curates the exercise library and templates. No patients or appointments in the admin:
    # a therapist's patients are in the workspace, filtered by the care relationship
    # (``patients_for_care``), and the admin would show every patient.
    User.Role.THERAPIST: _LIBRARY,
    # Everything the desk and the library need, the audit trail (read-only, AuditEventAdmin)
    # and the break-glass grants.
    User.Role.ADMIN: frozenset(
        _FRONT_DESK
        | _LIBRARY
        | _crud("clinic.auditevent", "view")
        | _crud("clinic.breakglassaccess", "view")
        | _crud("clinic.user", "view")
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
