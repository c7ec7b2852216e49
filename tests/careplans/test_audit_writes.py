"""Every write to a care plan, a session or a flare-up leaves one audit event in its own
transaction: who, which patient, which object, what, and the names of the fields changed
(values only where they are not clinical). Sent through the real pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from careplans import services
from careplans.models import CarePlan, PainFlare
from clinic.models import AuditEvent, User
from tests.factories.careplans import ExerciseFactory, PainFlareFactory, plan_with_items

pytestmark = pytest.mark.django_db


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def therapist(client, care):
    user = care["therapist"].user
    client.force_login(user)
    return user


@pytest.fixture
def draft(care):
    return plan_with_items(patient=care["patient"], author=care["therapist"])


def post(client, name, *args, data=None, **headers):
    before = AuditEvent.objects.count()
    response = client.post(reverse(name, args=args), data or {}, **headers)
    form = (getattr(response, "context", None) or {}).get("details_form")
    assert response.status_code in (200, 302), form.errors if form else response.status_code
    return response, list(AuditEvent.objects.order_by("pk")[before:])


def test_adding_an_exercise_is_audited_with_the_address(client, therapist, draft, care):
    exercise = ExerciseFactory()
    _, [event] = post(
        client,
        "careplans:item_add",
        draft.pk,
        data={"exercise": exercise.pk},
        HTTP_USER_AGENT="Test browser",
        REMOTE_ADDR="10.0.0.5",
    )
    item = draft.items.get(exercise=exercise)
    assert (event.action, event.user, event.role, event.patient) == (
        AuditEvent.Action.CREATE,
        therapist,
        User.Role.THERAPIST,
        care["patient"],
    )
    assert (event.object_type, event.object_id) == ("careplans.prescribedexercise", str(item.pk))
    assert "exercise" in event.changed_fields
    assert (event.ip, event.user_agent) == ("10.0.0.5", "Test browser")
    assert event.path == reverse("careplans:item_add", args=[draft.pk])


def test_a_dose_edit_names_the_changed_fields_without_values(client, therapist, draft):
    item = draft.items.order_by("position").first()
    fields = {
        "sets": item.sets,
        "reps": 15,
        "hold_seconds": "",
        "times_per_week": item.times_per_week,
        "sides": item.sides,
        "load": "",
        "notes": "Slow on the way down",
    }
    data = {f"item-{item.pk}-{name}": value for name, value in fields.items()}
    _, [event] = post(client, "careplans:item_update", draft.pk, item.pk, data=data)
    assert event.action == AuditEvent.Action.CHANGE
    assert event.object_id == str(item.pk)
    assert event.changed_fields == ["notes", "reps"]
    assert event.changed_values == {}


def test_moving_and_removing_an_exercise_are_audited(client, therapist, draft):
    first, second = draft.items.order_by("position")
    _, [moved] = post(client, "careplans:item_move", draft.pk, first.pk, data={"direction": "down"})
    assert (moved.action, moved.object_id, moved.changed_fields) == (
        AuditEvent.Action.CHANGE,
        str(first.pk),
        ["position"],
    )
    assert moved.changed_values == {"position": "2", "swapped_with": str(second.pk)}

    _, [removed] = post(client, "careplans:item_remove", draft.pk, second.pk)
    assert (removed.action, removed.object_id) == (AuditEvent.Action.DELETE, str(second.pk))


def test_saving_the_plans_details_names_what_changed(client, therapist, draft):
    data = {
        "title": "Back to running",
        "goals": draft.goals,
        "start_date": draft.start_date.isoformat(),
        "review_date": "",
    }
    _, [event] = post(client, "careplans:builder", draft.pk, data=data)
    assert (event.action, event.object_type) == (AuditEvent.Action.CHANGE, "careplans.careplan")
    assert event.changed_fields == ["title"]
    assert event.changed_values == {}  # a title can say what is wrong


def test_starting_publishing_revising_and_discarding_are_audited(client, therapist, care):
    _, events = post(
        client, "careplans:start", care["patient"].pk, data={"title": "Plan", "start_date": today()}
    )
    plan = CarePlan.objects.get(patient=care["patient"])
    assert [(e.action, e.object_id) for e in events] == [(AuditEvent.Action.CREATE, str(plan.pk))]
    services.careplan_item_add(plan=plan, exercise=ExerciseFactory())

    _, [published] = post(client, "careplans:publish", plan.pk)
    assert (published.action, published.user, published.changed_values) == (
        AuditEvent.Action.CHANGE,
        therapist,
        {"status": "active"},
    )

    _, [revised] = post(client, "careplans:revise", plan.pk)
    draft = CarePlan.objects.get(lineage=plan.lineage, status=CarePlan.Status.DRAFT)
    assert (revised.action, revised.object_id) == (AuditEvent.Action.CREATE, str(draft.pk))
    assert revised.changed_values["previous"] == str(plan.pk)

    _, [discarded] = post(client, "careplans:discard", draft.pk)
    assert (discarded.action, discarded.object_id, discarded.patient) == (
        AuditEvent.Action.DELETE,
        str(draft.pk),
        care["patient"],
    )
    assert not CarePlan.objects.filter(pk=draft.pk).exists()


def test_marking_a_flare_handled_is_audited_without_the_note(client, therapist, care):
    flare = PainFlareFactory(session_log__plan=plan_with_items(patient=care["patient"]))
    note = "Phoned the patient; reduced the load."
    _, [event] = post(
        client, "careplans:flare_handle", care["patient"].pk, flare.pk, data={"note": note}
    )
    assert (event.action, event.user, event.object_type, event.object_id) == (
        AuditEvent.Action.CHANGE,
        therapist,
        "careplans.painflare",
        str(flare.pk),
    )
    assert "handled_note" in event.changed_fields
    assert note not in str(event.changed_values)


def test_a_session_that_flares_audits_the_log_and_the_flare(client, care):
    patient = care["patient"]
    plan = plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE)
    client.force_login(patient.user)
    data = {"exercises": [plan.items.first().pk], "pain_after": "9", "performed_on": today()}
    before = AuditEvent.objects.count()
    client.post(reverse("careplans:session_log", args=[plan.pk]), data)
    flare = PainFlare.objects.get(patient=patient)
    events = AuditEvent.objects.order_by("pk")[before:]
    writes = [(e.action, e.object_type) for e in events if e.action != AuditEvent.Action.VIEW]
    assert writes == [
        (AuditEvent.Action.CREATE, "careplans.painflare"),
        (AuditEvent.Action.CREATE, "careplans.sessionlog"),
    ]
    assert all(e.user == patient.user for e in events)
    assert str(flare.pk) in [e.object_id for e in events]


def test_a_write_that_fails_leaves_no_event(client, therapist, care):
    active = plan_with_items(patient=care["patient"], status=CarePlan.Status.ACTIVE)
    item = active.items.first()
    before = AuditEvent.objects.exclude(action=AuditEvent.Action.VIEW).count()
    client.post(reverse("careplans:item_remove", args=[active.pk, item.pk]))  # not a draft
    assert AuditEvent.objects.exclude(action=AuditEvent.Action.VIEW).count() == before
    assert active.items.filter(pk=item.pk).exists()
