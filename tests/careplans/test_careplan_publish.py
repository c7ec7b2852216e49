import pytest
from django.core import mail

from careplans import selectors, services, tasks
from careplans.models import CarePlan
from careplans.services import EMPTY_PLAN, NOT_A_DRAFT, CarePlanError
from tests.factories.careplans import CarePlanFactory, ExerciseFactory, plan_with_items
from tests.factories.clinic import PatientUserFactory

pytestmark = pytest.mark.django_db


def _publish(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.careplan_publish(plan=plan)


def test_publish_makes_the_single_active_plan_and_emails_the_patient(
    django_capture_on_commit_callbacks,
):
    patient = PatientUserFactory(first_name="Alex")
    old = plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE)
    plan = plan_with_items(patient=patient, title="Core control, week 1", goals="Run 10 miles")

    _publish(plan, django_capture_on_commit_callbacks)

    plan.refresh_from_db()
    old.refresh_from_db()
    assert plan.status == CarePlan.Status.ACTIVE and plan.published_at is not None
    assert old.status == CarePlan.Status.COMPLETED and old.completed_at == plan.published_at
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [patient.email]
    assert services.careplan_patient_url(plan) in email.body
    assert "Core control, week 1" in email.body
    # No clinical detail beyond the title: neither goals nor exercises.
    assert "Run 10 miles" not in email.body
    for item in plan.items.select_related("exercise"):
        assert item.exercise.name not in email.body
    assert "Core control" not in email.subject
    assert plan.patient_notified_at is not None


def test_the_email_is_sent_once_even_if_the_task_runs_twice(django_capture_on_commit_callbacks):
    plan = plan_with_items(patient=PatientUserFactory())
    _publish(plan, django_capture_on_commit_callbacks)
    tasks.careplan_published_notify.delay(plan.pk)
    assert len(mail.outbox) == 1


def test_publishing_texts_the_patient_once(django_capture_on_commit_callbacks, sms_outbox):
    from clinic.models import Message

    plan = plan_with_items(patient=PatientUserFactory())
    _publish(plan, django_capture_on_commit_callbacks)
    tasks.careplan_published_notify.delay(plan.pk)  # a second run sends nothing more
    [sms] = sms_outbox
    assert sms["to"] == str(plan.patient.phone)
    assert "your exercise plan is ready" in sms["body"]
    assert services.careplan_patient_url(plan) in sms["body"]
    assert Message.objects.get(kind="careplan_published").status == "sent"


def test_nothing_is_queued_when_publishing_fails(django_capture_on_commit_callbacks):
    plan = CarePlanFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(CarePlanError) as error,
    ):
        services.careplan_publish(plan=plan)
    assert error.value.message == EMPTY_PLAN
    assert error.value.code == "empty_plan"
    assert callbacks == [] and mail.outbox == []


def test_a_published_plan_cannot_be_published_again():
    plan = plan_with_items(status=CarePlan.Status.ACTIVE)
    with pytest.raises(CarePlanError) as error:
        services.careplan_publish(plan=plan)
    assert error.value.message == NOT_A_DRAFT
    assert error.value.code == "not_draft"


def test_revise_copies_items_into_a_new_draft_version():
    plan = plan_with_items(status=CarePlan.Status.ACTIVE, title="Base")
    draft = services.careplan_revise(plan=plan)
    assert draft.status == CarePlan.Status.DRAFT
    assert (draft.version, draft.previous, draft.lineage) == (2, plan, plan.lineage)
    assert draft.title == "Base"
    assert [(i.exercise_id, i.position, i.reps) for i in draft.items.all()] == [
        (i.exercise_id, i.position, i.reps) for i in plan.items.all()
    ]
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.ACTIVE  # untouched until the draft is published
    assert services.careplan_revise(plan=plan) == draft  # one draft at a time


def test_a_draft_is_not_revised():
    with pytest.raises(CarePlanError):
        services.careplan_revise(plan=CarePlanFactory())


def test_publishing_a_revision_supersedes_the_old_version(django_capture_on_commit_callbacks):
    plan = plan_with_items(patient=PatientUserFactory(), status=CarePlan.Status.ACTIVE)
    draft = services.careplan_revise(plan=plan)
    _publish(draft, django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.COMPLETED
    assert selectors.careplan_active_for_patient(patient=plan.patient) == draft
    # A later version was published before the old one's email went out: it is not announced.
    assert services.careplan_published_email_send(plan_id=plan.pk) is False


def test_history_shows_added_removed_and_dose_changes(django_assert_max_num_queries):
    keep, drop, change = ExerciseFactory(), ExerciseFactory(), ExerciseFactory(name="Side plank")
    plan = plan_with_items(status=CarePlan.Status.ACTIVE, exercises=[keep, drop, change])
    draft = services.careplan_revise(plan=plan)
    draft.items.get(exercise=drop).delete()
    draft.items.filter(exercise=change).update(reps=None, hold_seconds=30, times_per_week=5)
    draft.items.filter(exercise=keep).update(position=9)  # reordering alone is no change
    added = ExerciseFactory(name="Clamshell")
    services.careplan_item_add(plan=draft, exercise=added)

    with django_assert_max_num_queries(3):
        history = selectors.careplan_history(plan=plan)

    assert [v.plan.version for v in history] == [2, 1]
    changes = history[0].changes
    assert [i.exercise for i in changes.added] == [added]
    assert [i.exercise for i in changes.removed] == [drop]
    assert len(changes.changed) == 1
    assert changes.changed[0].exercise == change
    assert (changes.changed[0].before, changes.changed[0].after) == (
        "3 × 12, 3×/week",
        "3 × 30 s, 5×/week",
    )
    assert history[1].changes is None


def test_repeated_exercises_are_compared_occurrence_by_occurrence():
    from careplans.selectors import careplan_changes
    from tests.factories.careplans import PrescribedExerciseFactory

    intervals = ExerciseFactory()
    plan = CarePlanFactory(status=CarePlan.Status.ACTIVE)
    for week, sets in enumerate([8, 6, 5], start=1):
        PrescribedExerciseFactory(plan=plan, exercise=intervals, position=week, sets=sets)
    draft = services.careplan_revise(plan=plan)
    draft.items.filter(position=2).update(sets=7)
    draft.items.filter(position=3).delete()

    changes = careplan_changes(items=draft.items.all(), previous_items=plan.items.all())

    assert changes.added == []
    assert [i.sets for i in changes.removed] == [5]
    assert [(c.before, c.after) for c in changes.changed] == [
        ("6 × 12, 3×/week", "7 × 12, 3×/week")
    ]
