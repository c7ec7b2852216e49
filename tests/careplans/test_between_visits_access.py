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
    LOGIN,
    NOT_FOUND,
    OK,
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
from tests.careplans.test_access import PATIENT_OWN
from tests.factories.careplans import ExerciseFactory, plan_with_items
from tests.factories.clinic import CareTeamMemberFactory, TherapistFactory
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
}


def reminder_data(world):
    return {
        "reminder-days": ["0", "3"],
        "reminder-local_time": "18:00",
        "reminder-channel": "sms",
        "reminder-is_on": "on",
    }


PAGES = [
    Row(
        "GET",
        "careplans:my_today",
        {**PATIENT_OWN, OTHER_PATIENT: REDIRECT},
        sign_in="account:login",
    ),
    Row(
        "POST",
        "careplans:reminder_set",
        PATIENT_OWN,
        args=pks("active"),
        data=reminder_data,
        sign_in="account:login",
    ),
    Row(
        "POST",
        "careplans:exercise_media_upload",
        LIBRARY_WRITE,
        args=lambda w: [w["exercise"].slug],
    ),
    Row(
        "POST",
        "careplans:item_media_upload",
        STAFF_WRITE,
        args=lambda w: [w["active"].pk, w["item"].pk],
    ),
    Row("POST", "careplans:media_remove", STAFF_WRITE, args=pks("item_media")),
    Row(
        "GET",
        "careplans:media_file",
        MEDIA_FILE,
        args=lambda w: [media.media_token(w["item_media"])],
    ),
    Row("GET", "careplans:outcomes", DASHBOARD),
    Row("GET", "careplans:outcomes_csv", DASHBOARD),
]


@pytest.fixture
def world(care):
    patient = care["patient"]
    active = plan_with_items(
        patient=patient, status=CarePlan.Status.ACTIVE, start_date=datetime.date(2026, 11, 2)
    )
    item = active.items.first()
    item_media = ExerciseMedia(item=item, kind="image", content_type="image/jpeg", size=1)
    item_media.file.save("x.jpg", ContentFile(jpeg_bytes()), save=False)
    item_media.save()
    return {
        "patient": patient,
        "active": active,
        "item": item,
        "item_media": item_media,
        "exercise": ExerciseFactory(),
        "users": {
            ANONYMOUS: None,
            PATIENT: patient.user,
            OTHER_PATIENT: care["other_patient"].user,
            FRONT_DESK: care["front_desk"],
            THERAPIST: care["therapist"].user,
            COVERING: lambda: CareTeamMemberFactory(patient=patient).therapist.user,
            COLLEAGUE: lambda: TherapistFactory(locations=[care["location"]]).user,
            OTHER_LOCATION_THERAPIST: care["other_therapist"].user,
            ADMIN: care["admin"],
        },
    }


@pytest.mark.parametrize(("row", "role"), cells(PAGES))
def test_page_access(client, world, row, role):
    check(client, world, row, role)
