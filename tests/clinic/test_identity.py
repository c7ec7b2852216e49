"""Who a booking is for, and the links it sends: the four findings of the identity issue.

1. A known email under another name showed the stored record on the confirmation.
2. A look-alike who booked first with the real patient's phone and name got her mail.
3. Links outlived the visit: a cancelled visit's links still opened.
4. (With 2) no text stored in ``Message`` holds a signed link; the calendar file holds none.
"""

import datetime
import re
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic import access, links
from clinic.models import Appointment, AppointmentType, Message, Patient, PatientLink
from clinic.services import (
    PatientDetails,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
    replies,
)
from clinic.services.notifications import appointment_ics
from tests.factories.clinic import AppointmentTypeFactory, PatientFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
STORED_PHONE_NATIONAL = "(612) 555-0111"


def at(day, hh, mm=0):
    return datetime.datetime.combine(day, datetime.time(hh, mm), CHICAGO)


@pytest.fixture
def ana():
    return PatientFactory(
        first_name="Ana",
        last_name="Ruiz",
        email="ana.ruiz@example.com",
        phone="+16125550111",
        date_of_birth=datetime.date(1980, 5, 17),
        sms_consent=True,
    )


@pytest.fixture
def book(clinic_setup, django_capture_on_commit_callbacks):
    def _book(start, details, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return appointment_book(
                appointment_type=kwargs.pop("appointment_type", clinic_setup["type"]),
                location=clinic_setup["location"],
                start=start,
                patient=PatientDetails(**details),
                **kwargs,
            )

    return _book


def page_booking(client, clinic_setup, start, details, capture):
    """Book through the public pages; return the confirmation page's HTML."""
    query = "&".join(
        [
            f"type={clinic_setup['type'].slug}",
            f"location={clinic_setup['location'].slug}",
            "therapist=any",
            f"start={start.isoformat()}",
        ]
    )
    response = client.post(f"{reverse('book_details')}?{query}", details)
    assert response.status_code == 302, response.content.decode()[:2000]
    with capture(execute=True):
        response = client.post(reverse("book_review"))
    assert response.status_code == 302
    return client.get(response.url).content.decode()


# --- Finding 1: a known email shows nothing stored -----------------------------------------------


@pytest.mark.parametrize("first_name", ["Mallory", "Ana"])
def test_booking_with_a_known_email_shows_and_sends_only_what_was_typed(
    client, clinic_setup, next_monday, ana, first_name, django_capture_on_commit_callbacks
):
    clinic_setup["type"].mode = AppointmentType.Mode.PHONE  # the page prints the phone
    clinic_setup["type"].save()
    typed = {
        "first_name": first_name,
        "last_name": "Outsider",
        "email": "Ana.Ruiz@example.com",
        "phone": "(612) 555-0199",
        "date_of_birth": "1999-01-01",
    }
    page = page_booking(
        client, clinic_setup, at(next_monday, 9), typed, django_capture_on_commit_callbacks
    )
    assert f"You're booked, {first_name}." in page
    assert "(612) 555-0199" in page
    for stored in [STORED_PHONE_NATIONAL, "Ruiz", "1980"]:
        assert stored not in page
    (email,) = mail.outbox
    assert email.to == ["ana.ruiz@example.com"]  # the address typed, which is the record's
    assert f"Hi {first_name}," in email.body
    for stored in [STORED_PHONE_NATIONAL, "Ruiz", "May 17"]:
        assert stored not in email.body
    ana.refresh_from_db()
    assert str(ana.phone) == "+16125550111" and ana.date_of_birth.year == 1980


def test_another_first_name_with_a_known_email_is_filed_apart(book, next_monday, ana):
    appointment = book(
        at(next_monday, 9),
        {"first_name": "Mateo", "last_name": "Ruiz", "email": "ana.ruiz@example.com"},
    )
    assert appointment.patient != ana
    assert appointment.patient.possible_duplicate_of == ana
    assert ana.appointments.count() == 0


def test_the_api_answers_with_the_visit_and_nothing_about_the_patient(
    client, clinic_setup, next_monday, ana
):
    body = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "therapist": clinic_setup["therapist"].pk,
        "start": at(next_monday, 9).isoformat(),
        "patient": {"first_name": "Ana", "last_name": "X", "email": "ana.ruiz@example.com"},
    }
    response = client.post(reverse("api:appointments"), body, content_type="application/json")
    assert response.status_code == 201
    text = response.content.decode()
    for stored in ["Ruiz", "0111", "1980", "ana.ruiz"]:
        assert stored not in text


# --- Finding 2: the look-alike gets no mail about the real patient --------------------------------


def test_a_look_alike_who_booked_first_gets_no_mail_about_the_real_patient(
    book, next_monday, sms_outbox
):
    look_alike = {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "email": "mallory@example.com",
        "phone": "+16125550111",
    }
    first = book(at(next_monday, 9), look_alike)
    mail.outbox.clear()
    sms_outbox.clear()
    real = book(
        at(next_monday, 10),
        {
            "first_name": "Ana",
            "last_name": "Ruiz",
            "email": "ana@home.example",
            "phone": "+16125550111",
            "sms_consent": True,
        },
    )
    assert real.patient != first.patient
    assert real.patient.possible_duplicate_of == first.patient
    assert [m.to for m in mail.outbox] == [["ana@home.example"]]
    assert all("mallory" not in str(m.to) for m in mail.outbox)
    first.patient.refresh_from_db()
    assert first.patient.email == "mallory@example.com"


# --- Finding 3: links close with the visit ------------------------------------------------------


@pytest.fixture
def evaluation(clinic_setup):
    return AppointmentTypeFactory(needs_intake=True, name="Initial evaluation")


def test_a_cancelled_visits_intake_and_manage_links_no_longer_open(
    client, book, next_monday, evaluation
):
    appointment = book(
        at(next_monday, 9),
        {"first_name": "Jo", "last_name": "Park", "email": "jo@example.com"},
        appointment_type=evaluation,
    )
    manage = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    intake = links.appointment_token(appointment, salt=links.INTAKE_SALT)
    assert client.get(reverse("intake:start", args=[intake])).status_code in (200, 302)
    appointment_cancel(appointment=appointment, by_patient=False)
    for url in [
        reverse("intake:start", args=[intake]),
        reverse("appointment_manage", args=[manage]),
        reverse("appointment_ics", args=[manage]),
    ]:
        response = client.get(url)
        assert response.status_code == 410
        assert "This link no longer works" in response.content.decode()
    appointment.refresh_from_db()
    assert links.manage_url(appointment) is None  # and no fresh one is issued


def test_links_expire_some_days_after_the_visit_and_move_with_it(
    book, next_monday, settings, clinic_setup
):
    settings.PATIENT_LINK_DAYS_AFTER_VISIT = 3
    appointment = book(
        at(next_monday, 9), {"first_name": "Jo", "last_name": "Park", "email": "jo@example.com"}
    )
    token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    link = links.link_from_token(token, salt=links.MANAGE_SALT)
    assert link.expires_at == appointment.end + datetime.timedelta(days=3)
    assert links.link_use(link, now=appointment.end + datetime.timedelta(days=2))
    assert not links.link_use(link, now=appointment.end + datetime.timedelta(days=3, seconds=1))
    moved = appointment_reschedule(
        appointment=appointment, start=at(next_monday, 11), by_patient=False
    )
    link.refresh_from_db()
    assert link.expires_at == moved.end + datetime.timedelta(days=3)
    assert links.appointment_token(moved, salt=links.MANAGE_SALT) == token  # still the one


def test_an_expired_link_lands_on_the_sites_page_with_the_phone_and_a_fresh_link_form(
    client, book, next_monday
):
    appointment = book(
        at(next_monday, 9), {"first_name": "Jo", "last_name": "Park", "email": "jo@example.com"}
    )
    token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    PatientLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("appointment_manage", args=[token]))
    assert response.status_code == 410
    assert links.LINK_CLOSED_TEMPLATE in [t.name for t in response.templates]
    html = response.content.decode()
    assert "(612) 555-0142" in html  # CLINIC_PHONE
    assert f'action="{reverse("account:login")}"' in html and 'name="email"' in html
    # The form answers the same whether or not the address is a patient's.
    for email in ["jo@example.com", "nobody@example.com"]:
        answer = client.post(reverse("account:login"), {"email": email})
        assert answer.status_code == 302 and answer.url == reverse("account:login_sent")


def test_using_a_link_verifies_the_patients_email(client, book, next_monday):
    appointment = book(
        at(next_monday, 9), {"first_name": "Jo", "last_name": "Park", "email": "jo@example.com"}
    )
    assert appointment.patient.email_verified_at is None
    token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    assert access.appointment_from_link(token, salt=links.MANAGE_SALT) == appointment
    appointment.patient.refresh_from_db()
    assert appointment.patient.email_verified_at is not None
    assert PatientLink.objects.get().last_used_at is not None


# --- Finding 3 (log and calendar): no stored text or calendar file holds a link -----------------


def test_no_message_row_holds_a_signed_link_but_the_text_sent_does(
    book, next_monday, sms_outbox, evaluation
):
    appointment = book(
        at(next_monday, 9),
        {
            "first_name": "Jo",
            "last_name": "Park",
            "email": "jo@example.com",
            "phone": "+16125550155",
            "sms_consent": True,
        },
        appointment_type=evaluation,
    )

    replies.inbound_handle(from_number="+16125550155", body="R")
    bodies = list(Message.objects.values_list("body", flat=True))
    assert len(bodies) == 3  # confirmation, intake request, the reply to R
    assert not any(re.search(r"https?://", body) for body in bodies)
    assert sum(links.LINK_PLACEHOLDER in body for body in bodies) == 2
    sent = next(s["body"] for s in sms_outbox if "intake" in s["body"])
    assert links.intake_url(appointment) in sent
    assert appointment.messages.filter(status=Message.Status.SENT).count() >= 2


def test_the_calendar_file_has_the_clinics_address_and_phone_not_the_link(book, next_monday):
    appointment = book(
        at(next_monday, 9), {"first_name": "Jo", "last_name": "Park", "email": "jo@example.com"}
    )
    ics = appointment_ics(appointment=appointment).decode().replace("\r\n ", "")
    assert "/appointments/" not in ics
    assert appointment.location.phone.as_national in ics
    assert appointment.location.city in ics


def test_a_booking_remembers_what_was_typed(book, next_monday, ana):
    appointment = book(
        at(next_monday, 9),
        {"first_name": "Ana", "last_name": "Lind", "email": "ANA.RUIZ@example.com"},
    )
    assert appointment.patient == ana
    assert (appointment.booked_first_name, appointment.booked_last_name) == ("Ana", "Lind")
    assert appointment.booked_email == "ana.ruiz@example.com"
    assert Appointment.objects.get().greeting_name == "Ana"
    assert Patient.objects.count() == 1


def test_signing_in_with_an_emailed_link_verifies_the_email(client, ana):
    from clinic.services import login_links

    user = login_links.patient_account(email="ana.ruiz@example.com")
    token = login_links.login_link_token(user)
    client.post(reverse("account:login_link", args=[token]))
    ana.refresh_from_db()
    assert ana.email_verified_at is not None


def test_a_possible_duplicate_sharing_an_email_gets_no_account(ana):
    from clinic.services import login_links

    PatientFactory(first_name="Mateo", email="ana.ruiz@example.com", possible_duplicate_of=ana)
    user = login_links.patient_account(email="ana.ruiz@example.com")
    assert user.patient == ana
