"""Guardians and dependents: a parent (or carer) books for someone they care for.

The dependent gets a record of their own (their own intake and plans) under the guardian's;
the guardian's email and phone get the links and texts; the guardian's "My care" lists each
dependent; nobody else's child is visible; the intake is worded about the dependent.
"""

import datetime
import html as html_escapes
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from careplans.models import CarePlan
from clinic import access, guardians, links
from clinic.forms import FOR_DEPENDENT
from clinic.models import Appointment, Message, Patient
from clinic.services import login_links
from clinic.services.booker import (
    DEPENDENT_BIRTH_DATE_MISSING,
    DEPENDENT_NAME_MISSING,
    DependentDetails,
    PatientDetails,
)
from clinic.services.booking import appointment_book
from intake import wording
from intake.services.questionnaire import intake_for_appointment
from tests.factories.careplans import plan_with_items
from tests.factories.clinic import (
    AppointmentFactory,
    AppointmentTypeFactory,
    DependentFactory,
    PatientFactory,
    PatientUserFactory,
    StaffUserFactory,
)
from tests.helpers import submitted_intake

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
GUARDIAN_EMAIL = "dana.okafor@example.com"
GUARDIAN_PHONE = "+16125550177"


def at(day, hh, mm=0):
    return datetime.datetime.combine(day, datetime.time(hh, mm), CHICAGO)


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


@pytest.fixture
def evaluation(clinic_setup):
    return AppointmentTypeFactory(
        slug="initial-evaluation", name="Initial evaluation", needs_intake=True
    )


def guardian_details(child_first: str | None, child_born: datetime.date | None) -> dict:
    details = {
        "first_name": "Dana",
        "last_name": "Okafor",
        "email": GUARDIAN_EMAIL,
        "phone": "(612) 555-0177",
        "date_of_birth": "",
        "sms_consent": "on",
        "reason_for_visit": "Back pain after practice",
    }
    if child_first is not None:
        details.update(
            for_whom=FOR_DEPENDENT,
            dependent_first_name=child_first,
            dependent_last_name="Okafor",
            dependent_date_of_birth=child_born.isoformat() if child_born else "",
        )
    return details


def book_on_the_pages(client, clinic_setup, appointment_type, start, details, capture) -> str:
    """Book through the public pages; the confirmation page's HTML."""
    query = (
        f"type={appointment_type.slug}&location={clinic_setup['location'].slug}"
        f"&therapist=any&start={start.isoformat()}"
    )
    response = client.post(f"{reverse('book_details')}?{query}", details)
    assert response.status_code == 302, response.content.decode()[:3000]
    review = client.get(reverse("book_review")).content.decode()
    assert details.get("dependent_first_name", "You") in review
    with capture(execute=True):
        response = client.post(reverse("book_review"))
    assert response.status_code == 302
    return client.get(response.url).content.decode()


# --- Booking for two children ------------------------------------------------------------------


def test_a_guardian_books_for_two_children_who_get_a_record_and_an_intake_each(
    client,
    clinic_setup,
    evaluation,
    next_monday,
    sms_outbox,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    mia, leo = years_ago(9), years_ago(12)
    page = book_on_the_pages(
        client,
        clinic_setup,
        evaluation,
        at(next_monday, 9),
        guardian_details("Mia", mia),
        django_capture_on_commit_callbacks,
    )
    assert "You're booked, Dana." in page and "This appointment is for Mia." in page
    book_on_the_pages(
        client,
        clinic_setup,
        evaluation,
        at(next_monday, 11),
        guardian_details("Leo", leo),
        django_capture_on_commit_callbacks,
    )

    dana = Patient.objects.get(email=GUARDIAN_EMAIL)
    children = list(Patient.objects.filter(guardian=dana).order_by("first_name"))
    assert [(c.first_name, c.date_of_birth, c.email) for c in children] == [
        ("Leo", leo, ""),
        ("Mia", mia, ""),
    ]
    assert not dana.appointments.exists()  # the visits are the children's, not the parent's
    visits = {c.first_name: c.appointments.get() for c in children}
    intakes = {name: intake_for_appointment(appointment=a) for name, a in visits.items()}
    assert intakes["Mia"].pk != intakes["Leo"].pk
    assert {i.patient.first_name for i in intakes.values()} == {"Mia", "Leo"}

    # The links and texts went to the guardian's contact, about each child's own visit.
    assert {to for m in mail.outbox for to in m.to} == {GUARDIAN_EMAIL}
    assert {m["to"] for m in sms_outbox} == {GUARDIAN_PHONE}
    messages = Message.objects.filter(patient__in=children)
    assert messages.count() >= 4 and set(messages.values_list("to", flat=True)) == {GUARDIAN_PHONE}

    # Both children, their visits and intakes, on the guardian's "My care".
    client.force_login(login_links.patient_account(email=GUARDIAN_EMAIL))
    with django_assert_max_num_queries(24):
        html = html_escapes.unescape(client.get(reverse("account:home")).content.decode())
    for child in children:
        assert f'data-dependent="{child.pk}"' in html
        assert f"Finish {child.first_name}'s intake" in html  # each started above
        assert links.intake_url(visits[child.first_name]) in html
    assert "Mia's exercise plan" in html and "Leo's exercise plan" in html
    assert "Your exercise plan" not in html  # Dana only books for the children


def test_the_same_child_booked_again_is_the_same_record(
    clinic_setup, next_monday, django_capture_on_commit_callbacks
):
    def book(start, first_name, born):
        return appointment_book(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start=start,
            patient=PatientDetails(
                first_name="Dana",
                last_name="Okafor",
                email=GUARDIAN_EMAIL,
                dependent=DependentDetails(first_name, "Okafor", born),
            ),
        )

    first = book(at(next_monday, 9), "Mia", years_ago(9))
    again = book(at(next_monday, 11), " mia ", years_ago(9))
    twin = book(at(next_monday, 13), "Ava", years_ago(9))
    assert again.patient == first.patient
    assert twin.patient not in (first.patient, None)
    assert twin.patient.guardian == first.patient.guardian
    assert Patient.objects.count() == 3  # Dana, Mia, Ava


def test_opening_a_childs_link_verifies_the_guardians_email(clinic_setup):
    mia = DependentFactory()
    appointment = AppointmentFactory(patient=mia, therapist=clinic_setup["therapist"])
    token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    assert access.appointment_from_link(token, salt=links.MANAGE_SALT) == appointment
    mia.guardian.refresh_from_db()
    assert mia.guardian.email_verified_at is not None


def test_the_details_step_asks_for_the_dependent_and_keeps_what_was_typed(
    client, clinic_setup, next_monday
):
    query = (
        f"type={clinic_setup['type'].slug}&location={clinic_setup['location'].slug}"
        f"&therapist=any&start={at(next_monday, 9).isoformat()}"
    )
    url = f"{reverse('book_details')}?{query}"
    assert "Who is this appointment for?" in client.get(url).content.decode()

    response = client.post(url, {**guardian_details("", years_ago(9))})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["dependent_first_name"] == [DEPENDENT_NAME_MISSING]
    assert form["email"].value() == GUARDIAN_EMAIL  # nothing typed is lost

    response = client.post(url, guardian_details("Mia", None))
    assert response.context["form"].errors["dependent_date_of_birth"] == [
        DEPENDENT_BIRTH_DATE_MISSING
    ]
    assert "date_of_birth" not in response.context["form"].errors  # the guardian's is optional


# --- Access --------------------------------------------------------------------------------------


def test_a_guardian_sees_their_childs_plan_and_not_another_familys(client):
    mine, theirs = DependentFactory(first_name="Zuzana"), DependentFactory(first_name="Quillon")
    my_plan = plan_with_items(patient=mine, status=CarePlan.Status.ACTIVE)
    their_plan = plan_with_items(patient=theirs, status=CarePlan.Status.ACTIVE)
    client.force_login(mine.guardian.user)

    assert client.get(reverse("careplans:my_plan", args=[my_plan.pk])).status_code == 200
    assert client.get(reverse("careplans:my_plan", args=[their_plan.pk])).status_code == 404
    assert client.get(reverse("careplans:session_log", args=[their_plan.pk])).status_code == 404
    html = client.get(reverse("account:home")).content.decode()
    assert mine.first_name in html and theirs.first_name not in html
    # The child cannot be opened by the other family's guardian either.
    assert list(access.patients_for_user(user=theirs.guardian.user)) == sorted(
        [theirs.guardian, theirs], key=lambda p: (p.last_name, p.first_name)
    )


def test_a_child_who_comes_of_age_is_a_patient_in_their_own_right(settings, client):
    settings.DEPENDENT_ADULT_AGE = 18
    grown = DependentFactory(date_of_birth=years_ago(18, days=1))
    Patient.objects.filter(pk=grown.pk).update(created_at=timezone.now() - datetime.timedelta(400))
    grown.refresh_from_db()
    cared_for = DependentFactory(date_of_birth=years_ago(70))
    child = DependentFactory(date_of_birth=years_ago(17))

    assert not guardians.guardian_acts(grown) and guardians.contact_for(grown) == grown
    assert guardians.guardian_acts(cared_for) and guardians.contact_for(cared_for).email
    assert guardians.voice(child) == guardians.CHILD
    assert guardians.voice(cared_for) == guardians.CARED_FOR
    assert guardians.voice(grown) == guardians.SELF
    plan = plan_with_items(patient=grown, status=CarePlan.Status.ACTIVE)
    client.force_login(grown.guardian.user)
    assert client.get(reverse("careplans:my_plan", args=[plan.pk])).status_code == 404


def test_the_age_is_a_setting(settings):
    child = DependentFactory(date_of_birth=years_ago(16))
    settings.DEPENDENT_ADULT_AGE = 16
    assert guardians.voice(child) == guardians.CARED_FOR  # an adult when booked, at 16
    settings.DEPENDENT_ADULT_AGE = 21
    assert guardians.voice(child) == guardians.CHILD


# --- Texts and emails go to the guardian ---------------------------------------------------------


def test_a_childs_texts_and_emails_go_to_the_guardians_contact(
    clinic_setup, next_monday, sms_outbox, django_capture_on_commit_callbacks
):
    dana = PatientUserFactory(email=GUARDIAN_EMAIL, phone=GUARDIAN_PHONE, sms_consent=True)
    mia = DependentFactory(guardian=dana, first_name="Mia")
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start=at(next_monday, 9),
            patient=mia,
            source=Appointment.Source.FRONT_DESK,
        )
    assert [m.to for m in mail.outbox] == [[GUARDIAN_EMAIL]]
    assert [m["to"] for m in sms_outbox] == [GUARDIAN_PHONE]
    message = Message.objects.get(appointment=appointment)
    assert (message.patient, message.to) == (mia, GUARDIAN_PHONE)

    # The guardian's STOP holds for the child's texts too.
    dana.sms_opted_out_at = timezone.now()
    dana.save(update_fields=["sms_opted_out_at"])
    from clinic.services.messaging import message_queue

    held, _ = message_queue(
        kind=Message.Kind.REMINDER,
        patient=mia,
        appointment=appointment,
        dedupe_key="test-reminder",
        body="See you tomorrow.",
    )
    assert held.skip_reason == Message.SkipReason.OPTED_OUT


# --- The intake is worded about the dependent ---------------------------------------------------


@pytest.mark.parametrize(
    ("age", "title", "question"),
    [
        (9, "Your child's pain", "How bad is your child's pain right now?"),
        (70, "Their pain", "How bad is their pain right now?"),
    ],
)
def test_the_intake_is_worded_about_the_dependent(
    client, clinic_setup, evaluation, next_monday, age, title, question
):
    mia = DependentFactory(first_name="Mia", date_of_birth=years_ago(age))
    appointment = AppointmentFactory(
        patient=mia,
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=evaluation,
        start=at(next_monday, 9),
    )
    token = links.appointment_token(appointment, salt=links.INTAKE_SALT)
    page = client.get(reverse("intake:step", args=[token, "pain"])).content.decode()
    html = html_escapes.unescape(page)
    assert f'<h1 class="h3">{title}</h1>' in html
    assert question in html
    assert wording.ANSWERING_FOR.format(name="Mia") in html
    assert "How bad is your pain right now?" not in html


def test_a_patients_own_intake_keeps_its_own_words(client, intake_appointment):
    _, token = intake_appointment
    html = client.get(reverse("intake:step", args=[token, "pain"])).content.decode()
    assert "How bad is your pain right now?" in html and "answering for" not in html


def test_an_urgent_childs_intake_shows_the_guardians_phone_to_call(
    client, clinic_setup, evaluation, next_monday
):
    dana = PatientUserFactory(first_name="Dana", phone=GUARDIAN_PHONE)
    mia = DependentFactory(guardian=dana, first_name="Mia")
    appointment = AppointmentFactory(
        patient=mia,
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=evaluation,
        start=at(next_monday, 9),
    )
    intake = submitted_intake(appointment, red_flags=("bladder",))
    client.force_login(clinic_setup["therapist"].user)

    review = client.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert 'href="tel:+16125550177"' in review and dana.email in review
    assert "their guardian, Dana" in review
    listing = client.get(reverse("intake:list")).content.decode()
    assert 'href="tel:+16125550177"' in listing


# --- Merging a guardian's duplicate record -------------------------------------------------------


def test_merging_a_guardians_duplicate_moves_their_dependents(client):
    from clinic.services.patients import patient_merge

    dana = PatientFactory(first_name="Dana", email=GUARDIAN_EMAIL)
    duplicate = PatientFactory(
        first_name="Dana", email="dana.other@example.com", possible_duplicate_of=dana
    )
    mia = DependentFactory(guardian=duplicate, first_name="Mia")
    trace = patient_merge(source=duplicate, into=dana, by=StaffUserFactory())
    mia.refresh_from_db()
    assert mia.guardian == dana
    assert trace.moved["clinic.Patient"] == 1


# --- The front desk sees who has a guardian ------------------------------------------------------


def test_the_admin_shows_which_records_have_a_guardian(client):
    mia = DependentFactory(
        first_name="Mia", guardian__first_name="Dana", guardian__last_name="Hale"
    )
    adult = PatientFactory(first_name="Ottoline", last_name="Quist")  # names Faker does not make
    client.force_login(StaffUserFactory())
    changelist = reverse("admin:clinic_patient_changelist")

    html = client.get(f"{changelist}?guardian=yes").content.decode()
    assert "Mia" in html and "Ottoline" not in html and mia.guardian.full_name in html
    assert "Has a guardian (dependents)" in html

    page = client.get(reverse("admin:clinic_patient_change", args=[mia.pk])).content.decode()
    assert "Guardian acts" in page and "acts for a child" in page
    guardian_page = client.get(reverse("admin:clinic_patient_change", args=[mia.guardian.pk]))
    assert "Mia" in guardian_page.content.decode()
    assert adult.guardian is None


# --- The API -------------------------------------------------------------------------------------


def _api_body(clinic_setup, start, dependent):
    return {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "start": start.isoformat(),
        "patient": {"first_name": "Dana", "last_name": "Okafor", "email": GUARDIAN_EMAIL},
        "dependent": dependent,
    }


def test_the_api_books_for_someone_the_booker_cares_for(client, clinic_setup, next_monday):
    body = _api_body(
        clinic_setup,
        at(next_monday, 9),
        {"first_name": "Mia", "last_name": "Okafor", "date_of_birth": years_ago(9).isoformat()},
    )
    response = client.post(reverse("api:appointments"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    appointment = Appointment.objects.get(pk=response.json()["id"])
    assert appointment.patient.first_name == "Mia"
    assert appointment.patient.guardian.email == GUARDIAN_EMAIL
    assert "Mia" not in response.content.decode()  # the answer carries no patient data


def test_the_api_refuses_a_dependent_without_a_date_of_birth(client, clinic_setup, next_monday):
    body = _api_body(clinic_setup, at(next_monday, 9), {"first_name": "Mia", "last_name": "O"})
    response = client.post(reverse("api:appointments"), body, content_type="application/json")
    assert response.status_code == 400
    assert "date_of_birth" in response.json()["dependent"]
    assert not Patient.objects.exists()
