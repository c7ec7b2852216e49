"""The writes between visits leave one audit event each, in the write's transaction: a photo
or video added to or removed from a plan's exercise, and a patient's exercise reminder set or
changed (field names only)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careplans import media, reminders
from careplans.models import CarePlan
from clinic.models import AuditEvent
from tests.factories.careplans import plan_with_items
from tests.helpers_media import jpeg_bytes

pytestmark = pytest.mark.django_db


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def plan(care):
    return plan_with_items(
        patient=care["patient"], author=care["therapist"], status=CarePlan.Status.ACTIVE
    )


def test_a_plan_items_photo_added_and_removed_is_audited(plan, care):
    item = plan.items.first()
    upload = SimpleUploadedFile("knee.jpg", jpeg_bytes(), content_type="image/jpeg")
    stored = media.media_add(upload=upload, user=care["therapist"].user, item=item)
    [added] = events(AuditEvent.Action.CREATE)
    assert (added.patient_id, added.object_type, added.object_id) == (
        care["patient"].pk,
        "careplans.exercisemedia",
        str(stored.pk),
    )
    assert added.changed_fields == ["file"] and added.changed_values == {}
    pk = stored.pk
    media.media_remove(media=stored)
    [removed] = events(AuditEvent.Action.DELETE)
    assert (removed.patient_id, removed.object_id) == (care["patient"].pk, str(pk))


def test_setting_and_changing_an_exercise_reminder_is_audited(plan, care):
    def remind(**changes):
        return reminders.reminder_save(
            plan=plan,
            days=changes.get("days", (0, 3)),
            local_time=datetime.time(18),
            channel="email",
        )

    reminder = remind()
    remind(days=(1,))
    created, changed = events(AuditEvent.Action.CREATE), events(AuditEvent.Action.CHANGE)
    assert [(e.patient_id, e.object_id) for e in created + changed] == [
        (care["patient"].pk, str(reminder.pk))
    ] * 2
    assert changed[0].changed_fields == ["channel", "days", "is_on", "local_time"]
    assert changed[0].changed_values == {}
