"""On a new device a patient's link asks once for the date of birth; five wrong answers lock
the link until the front desk re-issues it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from clinic import link_check, links
from clinic.models import PatientLink
from clinic.services.patient_links import appointment_links_reissue
from tests.factories.clinic import PatientFactory
from tests.helpers import another_visit

pytestmark = pytest.mark.django_db
BORN = datetime.date(1985, 3, 2)


@pytest.fixture(autouse=True)
def check_on(settings):
    settings.PATIENT_LINK_BIRTH_DATE_CHECK = True


@pytest.fixture
def visit(clinic_setup):
    return another_visit(clinic_setup, patient=PatientFactory(date_of_birth=BORN))


def test_a_new_device_is_asked_once_then_remembered(client, visit):
    url = reverse(
        "appointment_manage", args=[links.appointment_token(visit, salt=links.MANAGE_SALT)]
    )
    asked = client.get(url)
    assert asked.status_code == 200
    assert link_check.TEMPLATE in [t.name for t in asked.templates]
    answered = client.post(url, {link_check.BIRTH_DATE_FIELD: BORN.isoformat()})
    assert answered.status_code == 302 and answered.url == url
    opened = client.get(url)
    assert "clinic/book/manage.html" in [t.name for t in opened.templates]
    # The intake link of the same patient opens on this device too; another device is asked.
    intake = reverse("intake:start", args=[links.appointment_token(visit, salt=links.INTAKE_SALT)])
    assert link_check.TEMPLATE not in [t.name for t in client.get(intake).templates]
    assert link_check.TEMPLATE in [t.name for t in Client().get(url).templates]


def test_five_wrong_dates_lock_the_link_until_it_is_reissued(
    client, visit, django_capture_on_commit_callbacks
):
    token = links.appointment_token(visit, salt=links.INTAKE_SALT)
    url = reverse("intake:start", args=[token])
    for left in [4, 3, 2, 1]:
        response = client.post(url, {link_check.BIRTH_DATE_FIELD: "1990-01-01"})
        assert response.status_code == 400
        assert link_check.BIRTH_DATE_WRONG.format(left=left) in response.content.decode()
    locked = client.post(url, {link_check.BIRTH_DATE_FIELD: "1990-01-01"})
    assert locked.status_code == 410
    assert PatientLink.objects.get(purpose="intake").revoked_at is not None
    # Even the right date no longer opens it.
    assert client.post(url, {link_check.BIRTH_DATE_FIELD: BORN.isoformat()}).status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        appointment_links_reissue(appointment=visit, what="intake", channel="email")
    fresh = reverse("intake:start", args=[links.appointment_token(visit, salt=links.INTAKE_SALT)])
    assert client.post(fresh, {link_check.BIRTH_DATE_FIELD: BORN.isoformat()}).status_code == 302


def test_the_confirmation_right_after_booking_asks_nothing(client, clinic_setup, next_monday):
    start = datetime.datetime.combine(next_monday, datetime.time(9), clinic_setup["location"].zone)
    query = (
        f"type={clinic_setup['type'].slug}&location={clinic_setup['location'].slug}"
        f"&therapist=any&start={start.isoformat()}"
    )
    details = {
        "first_name": "Jo",
        "last_name": "Park",
        "email": "jo@example.com",
        "phone": "(612) 555-0123",
        "date_of_birth": "1991-06-30",
        "reason_for_visit": "Back pain",
    }
    assert client.post(f"{reverse('book_details')}?{query}", details).status_code == 302
    response = client.post(reverse("book_review"))
    assert response.status_code == 302
    page = client.get(response.url)
    assert "clinic/book/confirmed.html" in [t.name for t in page.templates]
    # The manage link itself, on another device, asks.
    manage = reverse("appointment_manage", args=[response.url.rstrip("/").split("/")[-1]])
    assert link_check.TEMPLATE in [t.name for t in Client().get(manage).templates]
