"""Writes for care plans: building, publishing and revising plans, session logs.

The rules, each in one place:

- The library (exercises and templates) is loaded from ``careplans/library.yaml`` by
  ``careplans.library.library_load``; here plans are built from what is in the database.
- A plan is edited only while it is a draft. Publishing makes it the patient's single active
  plan and completes the one before it (``careplan_publish``); a published plan changes only
  through a new draft version (``careplan_revise``).
- The patient is emailed once per published version, after the commit, with no clinical detail
  beyond the plan's title (``careplan_published_email_send``).
- A session is logged by the patient against their active plan, for today or a recent day,
  with at least one of the plan's exercises ticked (``session_log_create``). A session whose
  pain makes it a flare-up opens a flare for the therapist (``careplans.services_flares``).

Every write is audited in its own transaction (``_audited``): the plan or item, the patient,
the names of the fields that changed (never their clinical values); the actor is the given
user, or the user of the request being answered (``clinic.audit_context``).

Logs carry ids and statuses only: never plan content, notes or pain scores.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from careplans import media
from careplans.models import (
    CarePlan,
    CarePlanTemplate,
    Exercise,
    PrescribedExercise,
    SessionLog,
)
from clinic import guardians, links
from clinic.models import AuditEvent, Patient, Therapist
from clinic.services.audit import audit_record
from intake import schema
from intake.models import ClinicalAssessment, IntakeAssessment

logger = logging.getLogger(__name__)

NOT_A_DRAFT = "This plan has been published, so it can't be changed. Start a new version instead."
EXERCISE_INACTIVE = "{name} is no longer in the library, so it can't be added."
EMPTY_PLAN = "Add at least one exercise before publishing."
PUBLISH_RACE = "Another plan for this patient was published at the same moment. Please try again."
WRONG_PATIENT = "That intake belongs to another patient."
NOT_ACTIVE_PLAN = "Sessions are logged against your current plan."
LOG_IN_FUTURE = "That day hasn't happened yet. Choose today or an earlier day."
LOG_TOO_OLD = "Sessions can be logged for the last {days} days only."
LOG_NOTHING_DONE = "Tick at least one exercise you did."
LOG_NOT_IN_PLAN = "Those exercises are not in this plan."
DEFAULT_TITLE = "Home exercise plan"
DEFAULT_TIMES_PER_WEEK = 3
LOG_MAX_DAYS_BACK = 14
EMAIL_SUBJECT = "Your exercise plan from {clinic} is ready"


class CarePlanError(Exception):
    """A care plan rule said no.

    ``message`` is one of this module's constants, for people; ``code`` is for code that needs
    to tell one refusal from another: ``not_draft``, ``exercise_inactive``, ``empty_plan``,
    ``publish_race``, ``wrong_patient``, ``not_active_plan``, ``log_in_future``,
    ``log_too_old``, ``log_nothing_done``, ``log_not_in_plan``, and for flare-ups
    (``careplans.services_flares``) ``flare_note_required`` or ``flare_handled``.
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return self.message


def _audited(action: str, obj, *, plan: CarePlan, fields=(), values=None, user=None, now=None):
    """The audit event of one write to ``plan`` (or one of its items): field names only, and
    values only for ``values`` (non-clinical: status, position)."""
    audit_record(
        action=action,
        user=user,
        patient_id=plan.patient_id,
        obj=obj,
        changed_fields=fields,
        changed_values=values,
        now=now,
    )


# --- Building a plan -----------------------------------------------------------------------------


def goals_from_intake(intake: IntakeAssessment | None) -> str:
    """The patient's own goals: the PSFS activities they named, with today's rating."""
    if intake is None:
        return ""
    goals = schema.goals(intake.answers)
    lines = []
    for entry in goals.activities:
        activity = entry["activity"].strip()
        if not activity:
            continue
        rating = entry["rating"]
        lines.append(f"- {activity}" + (f" (now {rating}/10)" if rating is not None else ""))
    get_back_to = goals.get_back_to.strip()
    if get_back_to:
        lines.append(f"Getting back to: {get_back_to}")
    return "\n".join(lines)


def _ensure_draft(plan: CarePlan) -> None:
    if plan.status != CarePlan.Status.DRAFT:
        raise CarePlanError(NOT_A_DRAFT, "not_draft")


def _item_from_exercise(exercise: Exercise, *, per_side: bool | None = None) -> dict:
    reps, hold = exercise.starting_amount()
    each = exercise.per_side if per_side is None else per_side
    return {
        "sets": exercise.default_sets,
        "reps": reps,
        "hold_seconds": hold,
        "sides": PrescribedExercise.Sides.EACH if each else PrescribedExercise.Sides.BOTH,
    }


@transaction.atomic
def careplan_create(
    *,
    patient: Patient,
    author: Therapist | None,
    template: CarePlanTemplate | None = None,
    intake: IntakeAssessment | None = None,
    assessment: ClinicalAssessment | None = None,
    title: str = "",
    start_date: datetime.date | None = None,
) -> CarePlan:
    """A new draft plan for ``patient``, blank or with a copy of ``template``'s items.

    The goals start from the intake's PSFS activities (the patient's own words). The intake is
    the assessment's when only the assessment is given; both must be the patient's.
    """
    if assessment is not None and intake is None:
        intake = assessment.intake
    if intake is not None and intake.patient_id != patient.pk:
        raise CarePlanError(WRONG_PATIENT, "wrong_patient")
    if assessment is not None and assessment.intake_id != intake.pk:
        raise CarePlanError(WRONG_PATIENT, "wrong_patient")
    plan = CarePlan(
        patient=patient,
        author=author,
        template=template,
        intake=intake,
        assessment=assessment,
        title=(title or (template.name if template else DEFAULT_TITLE))[:120],
        goals=goals_from_intake(intake),
        start_date=start_date or timezone.localdate(),
        status=CarePlan.Status.DRAFT,
    )
    plan.full_clean()
    plan.save()
    if template is not None:
        for position, item in enumerate(
            template.items.select_related("exercise").order_by("position"), start=1
        ):
            prescribed = PrescribedExercise(
                plan=plan,
                exercise=item.exercise,
                position=position,
                sets=item.sets,
                reps=item.reps,
                hold_seconds=item.hold_seconds,
                sides=PrescribedExercise.Sides.EACH
                if item.per_side
                else PrescribedExercise.Sides.BOTH,
                times_per_week=item.times_per_week,
                notes=item.notes,
            )
            prescribed.full_clean(exclude=["plan", "exercise"])
            prescribed.save()
    _audited(
        AuditEvent.Action.CREATE,
        plan,
        plan=plan,
        fields=["title", "goals", "start_date", "items"],
        values={"status": plan.status},
    )
    logger.info("careplan %s: draft created for patient %s", plan.pk, patient.pk)
    return plan


@transaction.atomic
def careplan_details_update(
    *,
    plan: CarePlan,
    title: str,
    goals: str,
    start_date: datetime.date,
    review_date: datetime.date | None,
) -> CarePlan:
    """Title, goals and dates of a draft."""
    _ensure_draft(plan)
    fields = ["title", "goals", "start_date", "review_date"]
    before = {name: getattr(plan, name) for name in fields}
    plan.title, plan.goals = title, goals
    plan.start_date, plan.review_date = start_date, review_date
    plan.full_clean()
    plan.save(update_fields=[*fields, "updated_at"])
    changed = [name for name in fields if getattr(plan, name) != before[name]]
    if changed:
        _audited(AuditEvent.Action.CHANGE, plan, plan=plan, fields=changed)
    return plan


def _locked_draft(plan: CarePlan) -> CarePlan:
    """The plan's row, locked for this transaction so item positions change one writer at a time."""
    locked = CarePlan.objects.select_for_update().get(pk=plan.pk)
    _ensure_draft(locked)
    return locked


@transaction.atomic
def careplan_item_add(
    *, plan: CarePlan, exercise: Exercise, times_per_week: int | None = None
) -> PrescribedExercise:
    """Append ``exercise`` to a draft at its default dose.

    It is done as often as the plan's other exercises (the most frequent of them), or
    ``DEFAULT_TIMES_PER_WEEK`` in an empty plan. An exercise already in the plan may be added
    again, for a progression (week 1 at one dose, week 2 at another).
    """
    plan = _locked_draft(plan)
    if not exercise.is_active:
        raise CarePlanError(EXERCISE_INACTIVE.format(name=exercise.name), "exercise_inactive")
    stats = plan.items.aggregate(last=Max("position"), often=Max("times_per_week"))
    item = PrescribedExercise(
        plan=plan,
        exercise=exercise,
        position=(stats["last"] or 0) + 1,
        times_per_week=times_per_week or stats["often"] or DEFAULT_TIMES_PER_WEEK,
        **_item_from_exercise(exercise),
    )
    item.full_clean()
    item.save()
    _audited(
        AuditEvent.Action.CREATE,
        item,
        plan=plan,
        fields=["exercise", "sets", "reps", "hold_seconds", "sides", "times_per_week"],
        values={"position": item.position},
    )
    return item


@transaction.atomic
def careplan_item_update(
    *,
    item: PrescribedExercise,
    sets: int,
    reps: int | None,
    hold_seconds: int | None,
    sides: str,
    times_per_week: int,
    load: str = "",
    notes: str = "",
) -> PrescribedExercise:
    """The dose of one exercise in a draft: reps or a hold (exactly one), sets 1–10, 1–14×/week."""
    plan = _locked_draft(item.plan)
    fields = ["sets", "reps", "hold_seconds", "sides", "times_per_week", "load", "notes"]
    stored = PrescribedExercise.objects.filter(pk=item.pk).values(*fields).first() or {}
    item.sets, item.reps, item.hold_seconds = sets, reps, hold_seconds
    item.sides, item.times_per_week = sides, times_per_week
    item.load, item.notes = load, notes
    item.full_clean()
    item.save(update_fields=fields)
    changed = [name for name in fields if getattr(item, name) != stored.get(name)]
    if changed:
        _audited(AuditEvent.Action.CHANGE, item, plan=plan, fields=changed)  # doses: names only
    return item


@transaction.atomic
def careplan_item_move(*, item: PrescribedExercise, direction: str) -> PrescribedExercise:
    """Swap ``item`` with its neighbour above (``"up"``) or below (``"down"``); ends stay put."""
    plan = _locked_draft(item.plan)
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    neighbours = plan.items.exclude(pk=item.pk)
    if direction == "up":
        other = neighbours.filter(position__lt=item.position).order_by("-position").first()
    else:
        other = neighbours.filter(position__gt=item.position).order_by("position").first()
    if other is None:
        return item
    mine, theirs = item.position, other.position
    # Through 0 (never a real position), so (plan, position) stays unique at every step.
    PrescribedExercise.objects.filter(pk=item.pk).update(position=0)
    PrescribedExercise.objects.filter(pk=other.pk).update(position=mine)
    PrescribedExercise.objects.filter(pk=item.pk).update(position=theirs)
    item.position = theirs
    _audited(
        AuditEvent.Action.CHANGE,
        item,
        plan=plan,
        fields=["position"],
        values={"position": theirs, "swapped_with": other.pk},
    )
    return item


@transaction.atomic
def careplan_item_remove(*, item: PrescribedExercise) -> None:
    """Take an exercise out of a draft. Positions may then have gaps; only their order counts."""
    plan = _locked_draft(item.plan)
    _audited(AuditEvent.Action.DELETE, item, plan=plan, fields=["exercise"])
    item.delete()


@transaction.atomic
def careplan_discard(*, plan: CarePlan) -> None:
    """Delete a draft that will not be published. Published versions are kept for the record."""
    plan = _locked_draft(plan)
    _audited(AuditEvent.Action.DELETE, plan, plan=plan, values={"status": plan.status})
    plan.delete()
    logger.info("careplan: draft discarded")


@transaction.atomic
def careplan_publish(
    *, plan: CarePlan, user=None, now: datetime.datetime | None = None
) -> CarePlan:
    """Make a draft the patient's single active plan and tell the patient after the commit.
    Audited as a change of the plan's status by ``user`` (default: the plan's author).

    The patient's active plan (the version this one revises, or any other) is completed first:
    the database allows one active plan per patient (``careplan_one_active_per_patient``), and
    locking the patient's row makes two publishes for one patient run one after the other.
    """
    now = now or timezone.now()
    Patient.objects.select_for_update().filter(pk=plan.patient_id).first()
    plan = _locked_draft(plan)
    if not plan.items.exists():
        raise CarePlanError(EMPTY_PLAN, "empty_plan")
    plan.full_clean()
    superseded = list(
        CarePlan.objects.filter(patient_id=plan.patient_id, status=CarePlan.Status.ACTIVE)
    )
    try:
        with transaction.atomic():
            for old in superseded:
                old.status = CarePlan.Status.COMPLETED
                old.completed_at = now
                old.save(update_fields=["status", "completed_at", "updated_at"])
            plan.status = CarePlan.Status.ACTIVE
            plan.published_at = now
            plan.save(update_fields=["status", "published_at", "updated_at"])
    except IntegrityError as race:
        raise CarePlanError(PUBLISH_RACE, "publish_race") from race
    audit_record(
        action=AuditEvent.Action.CHANGE,
        user=user or (plan.author.user if plan.author_id else None),
        patient_id=plan.patient_id,
        obj=plan,
        changed_fields=["status", "published_at"],
        changed_values={"status": plan.status},
        now=now,
    )
    from careplans import tasks  # tasks import this module

    plan_id = plan.pk
    transaction.on_commit(lambda: tasks.careplan_published_notify.delay(plan_id))
    logger.info(
        "careplan %s: published (v%s), %d superseded", plan.pk, plan.version, len(superseded)
    )
    return plan


@transaction.atomic
def careplan_revise(*, plan: CarePlan, author: Therapist | None = None) -> CarePlan:
    """A new draft version of a published plan, with a copy of its items.

    The published version is untouched until the draft is published, which supersedes it.
    There is one draft per plan at a time: asking again returns the draft already open.
    """
    if plan.status == CarePlan.Status.DRAFT:
        raise CarePlanError(NOT_A_DRAFT, "not_draft")
    open_draft = CarePlan.objects.filter(lineage=plan.lineage, status=CarePlan.Status.DRAFT).first()
    if open_draft is not None:
        return open_draft
    latest = CarePlan.objects.filter(lineage=plan.lineage).aggregate(v=Max("version"))["v"]
    today = timezone.localdate()
    draft = CarePlan(
        patient_id=plan.patient_id,
        intake_id=plan.intake_id,
        assessment_id=plan.assessment_id,
        template_id=plan.template_id,
        author=author or plan.author,
        title=plan.title,
        goals=plan.goals,
        start_date=max(today, plan.start_date),
        review_date=plan.review_date if plan.review_date and plan.review_date >= today else None,
        status=CarePlan.Status.DRAFT,
        lineage=plan.lineage,
        version=(latest or plan.version) + 1,
        previous=plan,
    )
    draft.full_clean()
    draft.save()
    PrescribedExercise.objects.bulk_create(
        PrescribedExercise(
            plan=draft,
            exercise_id=item.exercise_id,
            position=item.position,
            sets=item.sets,
            reps=item.reps,
            hold_seconds=item.hold_seconds,
            sides=item.sides,
            times_per_week=item.times_per_week,
            load=item.load,
            notes=item.notes,
        )
        for item in plan.items.all()
    )
    media.item_media_copy(source=plan, draft=draft)
    _audited(
        AuditEvent.Action.CREATE,
        draft,
        plan=draft,
        fields=["title", "goals", "start_date", "review_date", "items"],
        values={"status": draft.status, "version": draft.version, "previous": plan.pk},
    )
    logger.info("careplan %s: revised as draft %s (v%s)", plan.pk, draft.pk, draft.version)
    return draft


# --- Telling the patient -------------------------------------------------------------------------


def careplan_patient_url(plan: CarePlan) -> str:
    return links.absolute(reverse("careplans:my_plan", args=[plan.pk]))


def careplan_published_email_send(*, plan_id: int, now: datetime.datetime | None = None) -> bool:
    """Email the patient that a plan version was published: its title and a link, nothing more.

    Sent once per version: the plan row is locked and ``patient_notified_at`` checked and set
    in one transaction, so a task that runs twice sends one email. A version superseded before
    the email went out is not announced (the newer one will be). Returns whether it sent.
    """
    with transaction.atomic():
        plan = (
            CarePlan.objects.select_for_update(of=("self",))
            .select_related("patient", "author__user")
            .get(pk=plan_id)
        )
        if plan.patient_notified_at is not None or plan.status != CarePlan.Status.ACTIVE:
            return False
        body = render_to_string(
            "careplans/email/plan_published.txt",
            {
                "plan": plan,
                "patient": plan.patient,
                "therapist": plan.author,
                "plan_url": careplan_patient_url(plan),
                "clinic_name": settings.CLINIC_NAME,
            },
        )
        send_mail(
            subject=EMAIL_SUBJECT.format(clinic=settings.CLINIC_SHORT_NAME),
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[guardians.contact_for(plan.patient).email],
        )
        plan.patient_notified_at = now or timezone.now()
        plan.save(update_fields=["patient_notified_at"])
    logger.info("careplan %s: patient emailed", plan_id)
    return True


def careplan_published_text(plan_id: int) -> int | None:
    """Queue a text that the patient's plan is ready; returns the message id to send, if any.

    Safe to run twice: the ``Message`` is unique per plan version (its dedupe key), and the
    usual rules apply (consent, opt-out, a phone number).
    """
    from clinic.models import Message
    from clinic.services.messaging import message_queue

    plan = CarePlan.objects.select_related("patient").get(pk=plan_id)
    message, _ = message_queue(
        kind=Message.Kind.CAREPLAN_PUBLISHED,
        patient=plan.patient,
        dedupe_key=f"careplan:{plan.pk}:published",
        body=(
            f"{settings.CLINIC_SHORT_NAME}: your exercise plan is ready. Open it here: "
            f"{careplan_patient_url(plan)}"
        ),
    )
    return message.pk if message.status == Message.Status.QUEUED else None


# --- What the patient did ------------------------------------------------------------------------


@transaction.atomic
def session_log_create(
    *,
    plan: CarePlan,
    patient: Patient,
    performed_on: datetime.date,
    pain_after: int,
    items_done: Iterable[PrescribedExercise | int],
    note: str = "",
    user=None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> SessionLog:
    """Record one home session against the patient's active plan.

    The day is today or up to ``LOG_MAX_DAYS_BACK`` days before (never the future); at least
    one exercise of this plan is ticked; pain afterwards is 0–10 (the model's constraint).
    A flare-up is recorded in the same transaction (``services_flares.pain_flare_record``):
    the returned log's ``flare_reason`` says whether this session was one.
    """
    from careplans import services_flares  # it imports this module

    today = today or timezone.localdate()
    if plan.patient_id != patient.pk or plan.status != CarePlan.Status.ACTIVE:
        raise CarePlanError(NOT_ACTIVE_PLAN, "not_active_plan")
    if performed_on > today:
        raise CarePlanError(LOG_IN_FUTURE, "log_in_future")
    if performed_on < today - datetime.timedelta(days=LOG_MAX_DAYS_BACK):
        raise CarePlanError(LOG_TOO_OLD.format(days=LOG_MAX_DAYS_BACK), "log_too_old")
    wanted = {item if isinstance(item, int) else item.pk for item in items_done}
    if not wanted:
        raise CarePlanError(LOG_NOTHING_DONE, "log_nothing_done")
    done = list(plan.items.filter(pk__in=wanted))
    if len(done) != len(wanted):
        raise CarePlanError(LOG_NOT_IN_PLAN, "log_not_in_plan")
    # One session of a patient at a time, so each is checked against the ones before it.
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    log = SessionLog(
        plan=plan,
        patient=patient,
        performed_on=performed_on,
        pain_after=pain_after,
        note=note,
        created_by=user,
    )
    log.full_clean()
    log.save()
    log.exercises_done.set(done)
    services_flares.pain_flare_record(log=log, now=now)
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=user or patient.user,
        patient_id=patient.pk,
        obj=log,
        now=now,
    )
    logger.info("careplan %s: session logged", plan.pk)
    return log
