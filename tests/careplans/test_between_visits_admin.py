"""Exercise media and reminders in the admin: who sees which list, removing one media (its
files go, a file a newer version still uses stays), nothing editable, and the audit events."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from careplans import media, reminders, services
from careplans.models import CarePlan, ExerciseMedia, ExerciseReminder
from clinic.models import AuditEvent
from tests.factories.careplans import ExerciseFactory, plan_with_items
from tests.helpers_media import jpeg_bytes

pytestmark = pytest.mark.django_db


def photo():
    return SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")


@pytest.fixture
def plan(care):
    return plan_with_items(
        patient=care["patient"], author=care["therapist"], status=CarePlan.Status.ACTIVE
    )


@pytest.fixture
def library_photo(care):
    return media.media_add(upload=photo(), user=None, exercise=ExerciseFactory(name="Bridge"))


@pytest.fixture
def item_photo(plan):
    return media.media_add(upload=photo(), user=None, item=plan.items.order_by("position")[0])


@pytest.fixture
def reminder(care, plan):
    care["patient"].sms_consent = True
    care["patient"].phone = "+16125550199"
    care["patient"].save()
    return reminders.reminder_save(
        plan=plan, days=(0, 2), local_time=datetime.time(18), channel="email"
    )


MEDIA_LIST = reverse("admin:careplans_exercisemedia_changelist")
REMINDER_LIST = reverse("admin:careplans_exercisereminder_changelist")


def media_page(obj):
    return reverse("admin:careplans_exercisemedia_change", args=[obj.pk])


def test_the_front_desk_sees_neither(client, care, library_photo, item_photo, reminder):
    client.force_login(care["front_desk"])
    assert client.get(MEDIA_LIST).status_code == 403
    assert client.get(media_page(library_photo)).status_code == 403
    assert client.get(REMINDER_LIST).status_code == 403
    assert client.get(reverse("admin:index")).content.count(b"exercisemedia") == 0


def test_a_therapist_sees_the_librarys_media_only(client, care, library_photo, item_photo):
    client.force_login(care["therapist"].user)
    page = client.get(MEDIA_LIST)
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [library_photo]
    assert client.get(media_page(item_photo)).status_code == 302  # not found: back to the list
    assert client.get(REMINDER_LIST).status_code == 403


def test_a_clinic_admin_lists_all_and_nothing_is_editable(
    client, care, library_photo, item_photo, django_assert_max_num_queries
):
    client.force_login(care["admin"])
    with django_assert_max_num_queries(12):
        page = client.get(MEDIA_LIST)
    assert set(page.context["cl"].result_list) == {library_photo, item_photo}
    page = client.get(media_page(item_photo))
    assert page.status_code == 200
    assert b'name="file"' not in page.content  # no stored file name to type
    assert b"<form" in page.content and b'type="submit" value="Save"' not in page.content
    assert client.get(reverse("admin:careplans_exercisemedia_add")).status_code == 403
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_type__contains="media")
    assert event.patient_id == care["patient"].pk


def test_removing_a_media_deletes_its_file_and_is_audited(client, care, item_photo):
    name = item_photo.file.name
    client.force_login(care["admin"])
    delete = reverse("admin:careplans_exercisemedia_delete", args=[item_photo.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not ExerciseMedia.objects.exists()
    assert not default_storage.exists(name)
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert event.patient_id == care["patient"].pk


def test_a_file_a_newer_version_shares_is_kept(client, care, plan, item_photo):
    draft = services.careplan_revise(plan=plan)
    copy = ExerciseMedia.objects.get(item__plan=draft)
    client.force_login(care["admin"])
    client.post(MEDIA_LIST, {"action": "remove_selected", "_selected_action": [item_photo.pk]})
    assert list(ExerciseMedia.objects.all()) == [copy]
    name = copy.file.name
    assert default_storage.exists(name)
    media.media_remove(media=copy)
    assert not default_storage.exists(name)


def test_a_therapist_removes_a_library_photo(client, care, library_photo):
    client.force_login(care["therapist"].user)
    client.post(MEDIA_LIST, {"action": "remove_selected", "_selected_action": [library_photo.pk]})
    assert not ExerciseMedia.objects.exists()


def test_reminders_are_read_only_for_a_clinic_admin_and_audited(client, care, reminder):
    client.force_login(care["admin"])
    page = client.get(REMINDER_LIST)
    assert page.status_code == 200
    assert b"Mon, Wed" in page.content
    change = reverse("admin:careplans_exercisereminder_change", args=[reminder.pk])
    page = client.get(change)
    assert page.status_code == 200 and b'name="is_on"' not in page.content
    assert client.post(change, {"is_on": ""}).status_code == 403
    assert ExerciseReminder.objects.get().is_on
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.patient_id == care["patient"].pk
