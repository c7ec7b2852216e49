"""The waitlist: joining, offers when a time frees up (oldest first, in rounds), taking an
offer by text or link, the next round when an offer lapses, quiet hours, consent and STOP."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from clinic import links
from clinic.formatting import local_datetime
from clinic.models import Appointment, Message
from clinic.models_scheduling import WaitlistEntry, WaitlistOffer, WaitlistOpening
from clinic.services import BookingError, PatientDetails, appointment_book, appointment_cancel
from clinic.services import waitlist as rules
from clinic.services.opt_outs import number_opt_out
from clinic.services.replies import inbound_handle
from clinic.services.waitlist import (
    offer_accept,
    opening_round,
    waitlist_join,
    waitlist_time_freed,
)
from clinic.services.waitlist_sweep import waitlist_sweep
from tests.factories.clinic import AppointmentFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def always_sending(settings):
    settings.SMS_QUIET_START_HOUR = 24
    settings.SMS_QUIET_END_HOUR = 0


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def booked(clinic_setup, next_monday):
    """Tuesday 10:00 with the clinic's therapist, booked by someone else."""
    tuesday = next_monday + datetime.timedelta(days=1)
    start = datetime.datetime.combine(tuesday, datetime.time(10), clinic_setup["location"].zone)
    return AppointmentFactory(
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=start,
    )


def join(setup, day, n, **kwargs):
    return waitlist_join(
        appointment_type=setup["type"],
        location=setup["location"],
        therapist=kwargs.pop("therapist", None),
        earliest_date=day,
        latest_date=day + datetime.timedelta(days=kwargs.pop("days", 3)),
        times_of_day=kwargs.pop("times_of_day", []),
        patient=PatientFactory(
            phone=f"+1612555{n:04d}", sms_consent=kwargs.pop("sms_consent", True)
        ),
    )


def entries(setup, day, count):
    return [join(setup, day, n) for n in range(count)]


def free_up(appointment, committed):
    with committed():
        appointment_cancel(appointment=appointment, by_patient=False)


def test_joining_online_matches_the_patient_as_a_booking_does(clinic_setup, next_monday):
    returning = PatientFactory(email="sam@example.com", first_name="Sam")
    entry = waitlist_join(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        therapist=None,
        earliest_date=next_monday,
        latest_date=next_monday + datetime.timedelta(days=7),
        times_of_day=["morning", "nonsense"],
        patient=PatientDetails(
            first_name="Sam", last_name="Doe", email="SAM@example.com", phone="612-555-0101"
        ),
    )
    assert entry.patient == returning
    assert entry.times_of_day == ["morning"]
    assert entry.status == WaitlistEntry.Status.WAITING


def test_joining_checks_the_dates(clinic_setup, next_monday):
    with pytest.raises(BookingError) as error:
        join(clinic_setup, next_monday, 1, days=-2)
    assert error.value.message == rules.JOIN_DATES_BACKWARDS


def test_a_cancellation_is_offered_to_the_oldest_three_by_text_and_email(
    clinic_setup, next_monday, booked, committed, sms_outbox, always_sending
):
    waiting = entries(clinic_setup, next_monday, 5)
    free_up(booked, committed)
    opening = WaitlistOpening.objects.get()
    assert opening.start == booked.start and opening.status == WaitlistOpening.Status.OPEN
    offers = list(WaitlistOffer.objects.order_by("entry__created_at"))
    assert [o.entry for o in offers] == waiting[:3]
    offer_texts = [s for s in sms_outbox if "opened up" in s["body"]]
    assert len(offer_texts) == 3
    assert "Reply Y to take Tue" in offer_texts[0]["body"]
    assert "/waitlist/offers/" in offer_texts[0]["body"]
    assert len([m for m in mail.outbox if "A time opened up" in m.subject]) == 3


def test_the_first_to_say_y_gets_it_and_the_others_are_told(
    clinic_setup, next_monday, booked, committed, sms_outbox, always_sending
):
    waiting = entries(clinic_setup, next_monday, 3)
    free_up(booked, committed)
    sms_outbox.clear()
    with committed():
        reply = inbound_handle(from_number=str(waiting[1].patient.phone), body="Y")
    assert "it's yours" in reply
    appointment = Appointment.objects.get(status="booked", start=booked.start)
    assert appointment.patient == waiting[1].patient
    assert appointment.source == Appointment.Source.WAITLIST
    waiting[1].refresh_from_db()
    assert waiting[1].status == WaitlistEntry.Status.BOOKED
    assert WaitlistOpening.objects.get().status == WaitlistOpening.Status.FILLED
    taken = [s for s in sms_outbox if "just taken" in s["body"]]
    assert sorted(s["to"] for s in taken) == sorted(str(waiting[n].patient.phone) for n in (0, 2))
    # The others stay listed; a late Y is told it was taken.
    assert WaitlistEntry.objects.filter(status="waiting").count() == 2
    reply = inbound_handle(from_number=str(waiting[0].patient.phone), body="yes")
    assert reply == rules.REPLY_TAKEN.format(
        clinic="Stride PT", when=local_datetime(booked.start, booked.location.zone)
    )
    assert Appointment.objects.filter(status="booked", start=booked.start).count() == 1


def test_an_offered_time_booked_online_first_is_just_taken(
    clinic_setup, next_monday, booked, committed, always_sending
):
    waiting = entries(clinic_setup, next_monday, 1)
    free_up(booked, committed)
    appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        therapist=clinic_setup["therapist"],
        start=booked.start,
        patient=PatientFactory(),
    )
    result, _ = offer_accept(offer_id=waiting[0].offers.get().pk)
    assert result.status == WaitlistOffer.Status.TAKEN and result.message == rules.OFFER_TAKEN
    assert Appointment.objects.filter(status="booked", start=booked.start).count() == 1
    assert WaitlistOpening.objects.get().status == WaitlistOpening.Status.GONE


def test_a_lapsed_round_goes_to_the_next_entries(
    clinic_setup, next_monday, booked, committed, settings, always_sending
):
    waiting = entries(clinic_setup, next_monday, 5)
    free_up(booked, committed)
    opening = WaitlistOpening.objects.get()
    later = timezone.now() + datetime.timedelta(minutes=settings.WAITLIST_OFFER_MINUTES + 1)
    assert opening.pk in waitlist_sweep(now=later)
    sent = opening_round(opening_id=opening.pk, now=later)
    assert len(sent.offer_ids) == 2
    second = WaitlistOffer.objects.filter(pk__in=sent.offer_ids)
    assert {o.entry for o in second} == set(waiting[3:])
    assert WaitlistOffer.objects.filter(status="expired").count() == 3
    # A lapsed offer taken late is refused; the entry stays listed.
    result, _ = offer_accept(offer_id=waiting[0].offers.get().pk, now=later)
    assert result.status == WaitlistOffer.Status.EXPIRED
    # Run twice: nothing more is sent while the round holds.
    assert opening_round(opening_id=opening.pk, now=later).offer_ids == []


def test_offers_wait_for_quiet_hours_to_end(clinic_setup, next_monday, booked, committed, settings):
    settings.SMS_QUIET_START_HOUR, settings.SMS_QUIET_END_HOUR = 0, 24  # always quiet
    entries(clinic_setup, next_monday, 2)
    free_up(booked, committed)
    assert not WaitlistOffer.objects.exists()
    settings.SMS_QUIET_START_HOUR, settings.SMS_QUIET_END_HOUR = 24, 0
    opening = WaitlistOpening.objects.get()
    assert opening.pk in waitlist_sweep()
    assert len(opening_round(opening_id=opening.pk).offer_ids) == 2


def test_no_text_without_consent_or_after_stop_but_the_email_goes(
    clinic_setup, next_monday, booked, committed, sms_outbox, always_sending
):
    no_consent = join(clinic_setup, next_monday, 1, sms_consent=False)
    stopped = join(clinic_setup, next_monday, 2)
    number_opt_out(number=str(stopped.patient.phone), now=timezone.now())
    free_up(booked, committed)
    assert [s for s in sms_outbox if "opened up" in s["body"]] == []
    skipped = Message.objects.filter(kind=Message.Kind.WAITLIST_OFFER)
    assert set(skipped.values_list("skip_reason", flat=True)) == {"no_consent", "opted_out"}
    assert len([m for m in mail.outbox if "A time opened up" in m.subject]) == 2
    assert no_consent.offers.count() == 1


def test_only_matching_entries_are_offered(
    clinic_setup, next_monday, booked, committed, always_sending
):
    afternoon = join(clinic_setup, next_monday, 1, times_of_day=["afternoon"])
    later = join(clinic_setup, next_monday + datetime.timedelta(days=3), 2)
    other = join(clinic_setup, next_monday, 3, therapist=None)
    morning = join(clinic_setup, next_monday, 4, times_of_day=["morning"])
    free_up(booked, committed)
    offered = {o.entry for o in WaitlistOffer.objects.all()}
    assert offered == {other, morning}
    assert afternoon not in offered and later not in offered


def test_a_free_time_from_new_hours_is_found_by_the_sweep(
    clinic_setup, next_monday, always_sending
):
    entry = join(clinic_setup, next_monday, 1, times_of_day=["morning"])
    opened = waitlist_sweep()
    assert len(opened) == 1
    opening = WaitlistOpening.objects.get(pk=opened[0])
    assert opening.start.astimezone(clinic_setup["location"].zone).hour < 12
    opening_round(opening_id=opening.pk)
    assert entry.offers.count() == 1
    # While the offer holds, the sweep opens nothing more for the entry.
    assert waitlist_sweep() == []


def test_the_offer_link_shows_and_takes_the_time(
    client, clinic_setup, next_monday, booked, committed, always_sending
):
    entry = entries(clinic_setup, next_monday, 1)[0]
    free_up(booked, committed)
    offer = entry.offers.get()
    url = links.waitlist_offer_url(offer)
    path = url.split("127.0.0.1:8000", 1)[-1]
    page = client.get(path)
    assert page.status_code == 200 and b"Take this time" in page.content
    response = client.post(path)
    assert response.status_code == 200
    assert b"It's yours" in response.content
    assert Appointment.objects.get(status="booked", start=booked.start).patient == entry.patient
    again = client.get(path)
    assert b"You took this time" in again.content


def test_a_forged_offer_link_is_closed(client):
    assert client.get("/waitlist/offers/forged/").status_code == 410


def test_the_times_page_offers_the_waitlist_and_joining_keeps_what_was_typed(
    client, clinic_setup, next_monday
):
    query = (
        f"type={clinic_setup['type'].slug}&location={clinic_setup['location'].slug}&therapist=any"
    )
    times = client.get(f"/book/times/?{query}")
    assert b"Tell me if something opens up" in times.content
    bad = client.post(
        f"/book/waitlist/?{query}",
        {
            "earliest_date": next_monday.isoformat(),
            "latest_date": next_monday.isoformat(),
            "first_name": "Ada",
            "last_name": "",
            "email": "ada@example.com",
            "phone": "612-555-0199",
        },
    )
    assert bad.status_code == 400 and b"ada@example.com" in bad.content
    good = client.post(
        f"/book/waitlist/?{query}",
        {
            "earliest_date": next_monday.isoformat(),
            "latest_date": (next_monday + datetime.timedelta(days=5)).isoformat(),
            "times_of_day": ["morning"],
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            "phone": "612-555-0199",
            "sms_consent": "on",
        },
    )
    assert good.status_code == 200 and b"on the waitlist" in good.content
    entry = WaitlistEntry.objects.get()
    assert entry.therapist is None and entry.times_of_day == ["morning"]


def test_a_rescheduled_visit_frees_its_old_time(
    clinic_setup, next_monday, booked, committed, always_sending
):
    from clinic.services import appointment_reschedule

    entry = entries(clinic_setup, next_monday, 1)[0]
    with committed():
        appointment_reschedule(
            appointment=booked, start=booked.start + datetime.timedelta(hours=3), by_patient=False
        )
    assert entry.offers.get().opening.start == booked.start


def test_a_time_too_soon_is_not_offered(clinic_setup, booked, next_monday):
    entries(clinic_setup, next_monday, 1)
    assert (
        waitlist_time_freed(
            therapist_id=booked.therapist_id,
            location_id=booked.location_id,
            start=booked.start,
            now=booked.start - datetime.timedelta(minutes=30),
        )
        == []
    )


def test_joining_is_limited_like_booking(client, clinic_setup, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "booking": "1/min",
        },
    }
    query = f"type={clinic_setup['type'].slug}&location={clinic_setup['location'].slug}"
    url = f"/book/waitlist/?{query}"
    address = {"REMOTE_ADDR": "192.0.2.77"}
    assert client.post(url, {}, **address).status_code == 400
    limited = client.post(url, {"first_name": "Ada"}, **address)
    assert limited.status_code == 429 and b"Ada" in limited.content


def test_the_patient_can_leave_the_waitlist_from_an_offer(
    client, clinic_setup, next_monday, booked, committed, always_sending
):
    entry = entries(clinic_setup, next_monday, 1)[0]
    free_up(booked, committed)
    path = links.waitlist_offer_url(entry.offers.get()).split("127.0.0.1:8000", 1)[-1]
    response = client.post(path, {"action": "leave"})
    assert response.status_code == 200 and b"off the waitlist" in response.content
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.REMOVED
    assert entry.offers.get().status == WaitlistOffer.Status.EXPIRED
    assert not Appointment.objects.filter(status="booked", start=booked.start).exists()
