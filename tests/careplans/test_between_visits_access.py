"""Who may open the pages between visits: reminders, "today", exercise media and the outcomes
dashboard. One role × URL table, checked cell by cell (``tests/access.py``)."""

import datetime

import pytest
from django.core.files.base import ContentFile

from careplans import media
from careplans.models import CarePlan, ExerciseMedia
from tests.access import (
    ADMIN,
    ANONYMOUS,
    COLLEAGUE,
    COVERING,
    FORBIDDEN,
    FRONT_DESK,
    GUARDIAN,
    LOGIN,
    NOT_FOUND,
    OK,
    OTHER_GUARDIAN,
    OTHER_LOCATION_THERAPIST,
    OTHER_PATIENT,
    PATIENT,
    REDIRECT,
    THERAPIST,
    Row,
    cells,
    check,
    pks,
)
from tests.careplans.test_access import (
    OTHER_OWN,
    OTHER_RECORD,
    PATIENT_OWN,
    about_the_other_patient,
    users_by_role,
)
from tests.factories.careplans import ExerciseFactory, plan_with_items
from tests.helpers_media import jpeg_bytes

pytestmark = pytest.mark.django_db

STAFF_WRITE = {
    ANONYMOUS: LOGIN,
    PATIENT: FORBIDDEN,
    OTHER_PATIENT: FORBIDDEN,
    FRONT_DESK: FORBIDDEN,
    THERAPIST: OK,
    COVERING: OK,
    COLLEAGUE: NOT_FOUND,
    OTHER_LOCATION_THERAPIST: NOT_FOUND,
    ADMIN: OK,
    GUARDIAN: FORBIDDEN,
    OTHER_GUARDIAN: FORBIDDEN,
}
# A link to a file: only the patient whose plan it is and their clinicians; anyone else, and a
# link without a session, gets nothing (404), never a sign-in page that reveals the file exists.
MEDIA_FILE = {
    ANONYMOUS: NOT_FOUND,
    PATIENT: OK,
    OTHER_PATIENT: NOT_FOUND,
    FRONT_DESK: NOT_FOUND,
    THERAPIST: OK,
    COVERING: OK,
    COLLEAGUE: NOT_FOUND,
    OTHER_LOCATION_THERAPIST: NOT_FOUND,
    ADMIN: OK,
    GUARDIAN: OK,  # the patient's carer
    OTHER_GUARDIAN: NOT_FOUND,
}
# The same link to a file on another patient's plan (their therapist works elsewhere).
OTHER_MEDIA_FILE = {
    **{role: NOT_FOUND for role in MEDIA_FILE},
    OTHER_PATIENT: OK,
    OTHER_LOCATION_THERAPIST: OK,
    ADMIN: OK,
}
LIBRARY_WRITE = {
    ANONYMOUS: LOGIN,
    PATIENT: FORBIDDEN,
    OTHER_PATIENT: FORBIDDEN,
    FRONT_DESK: FORBIDDEN,
    THERAPIST: OK,
    COVERING: OK,
    COLLEAGUE: OK,
    OTHER_LOCATION_THERAPIST: OK,
    ADMIN: OK,
    GUARDIAN: FORBIDDEN,
    OTHER_GUARDIAN: FORBIDDEN,
}
# The outcomes dashboard: clinic admins (everyone's figures) and therapists (their own).
DASHBOARD = {
    ANONYMOUS: LOGIN,
    PATIENT: FORBIDDEN,
    OTHER_PATIENT: FORBIDDEN,
    FRONT_DESK: FORBIDDEN,
    THERAPIST: OK,
    COVERING: OK,
    COLLEAGUE: OK,
    OTHER_LOCATION_THERAPIST: OK,
    ADMIN: OK,
    GUARDIAN: FORBIDDEN,
    OTHER_GUARDIAN: FORBIDDEN,
}


def reminder_data(world):
    return {
        "reminder-days": ["0", "3"],
        "reminder-local_time": "18:00",
        "reminder-channel": "sms",
        "reminder-is_on": "on",
    }


_OWN = [
    Row(
        "POST",
        "careplans:reminder_set",
        PATIENT_OWN,
        args=pks("active"),
        data=reminder_data,
        sign_in="account:login",
    ),
]
_STAFF = [
    Row(
        "POST",
        "careplans:item_media_upload",
        STAFF_WRITE,
        args=lambda w: [w["active"].pk, w["item"].pk],
    ),
    Row("POST", "careplans:media_remove", STAFF_WRITE, args=pks("item_media")),
]
_FILES = [
    Row(
        "GET",
        "careplans:media_file",
        MEDIA_FILE,
        args=lambda w: [media.media_token(w["item_media"])],
    ),
]

PAGES = [
    Row(
        "GET",
        "careplans:my_today",
        # Each patient their own active plans (a carer also those they care for); someone with
        # none is sent back to "My care".
        {**PATIENT_OWN, OTHER_PATIENT: OK, GUARDIAN: OK, OTHER_GUARDIAN: REDIRECT},
        sign_in="account:login",
    ),
    *_OWN,
    *about_the_other_patient(_OWN, OTHER_OWN),
    Row(
        "POST",
        "careplans:exercise_media_upload",
        LIBRARY_WRITE,
        args=lambda w: [w["exercise"].slug],
    ),
    *_STAFF,
    *about_the_other_patient(_STAFF, OTHER_RECORD),
    *_FILES,
    *about_the_other_patient(_FILES, OTHER_MEDIA_FILE),
    Row("GET", "careplans:outcomes", DASHBOARD),
    Row("GET", "careplans:outcomes_csv", DASHBOARD),
]


def media_on(item):
    item_media = ExerciseMedia(item=item, kind="image", content_type="image/jpeg", size=1)
    item_media.file.save("x.jpg", ContentFile(jpeg_bytes()), save=False)
    item_media.save()
    return item_media


@pytest.fixture
def world(care):
    patient = care["patient"]
    active = plan_with_items(
        patient=patient, status=CarePlan.Status.ACTIVE, start_date=datetime.date(2026, 11, 2)
    )
    item = active.items.first()
    other_active = plan_with_items(
        patient=care["other_patient"], author=care["other_therapist"], status=CarePlan.Status.ACTIVE
    )
    other_item = other_active.items.first()
    return {
        "other": {
            "patient": care["other_patient"],
            "active": other_active,
            "item": other_item,
            "item_media": media_on(other_item),
        },
        "patient": patient,
        "active": active,
        "item": item,
        "item_media": media_on(item),
        "exercise": ExerciseFactory(),
        "users": users_by_role(patient, care),
    }


@pytest.mark.parametrize(("row", "role"), cells(PAGES))
def test_page_access(client, world, row, role):
    check(client, world, row, role)
