"""A plan of care as a series: the preview's dates, conflicts and alternatives, booking all or
none, one confirmation, cancelling the rest from a manage link."""

import datetime

import icalendar
import pytest
from django.core import mail

from clinic import links
from clinic.models import Appointment, Message
from clinic.models_scheduling import AppointmentSeries, ClinicClosure
from clinic.selectors.availability import Conflict
from clinic.services import series as rules
from clinic.services.series import (
    SeriesError,
    SeriesPlan,
    series_book,
    series_book_or_preview,
    series_cancel_rest,
    series_preview,
)
from tests.factories.clinic import AppointmentFactory, PatientFactory, TimeOffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what the code queues after its commit, as a worker would (tasks run inline)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def plan(clinic_setup, next_monday):
    return SeriesPlan(
        patient=PatientFactory(phone="+16125550177", sms_consent=True),
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        therapist=clinic_setup["therapist"],
        frequency="twice_weekly",
        weekdays=(1, 3),  # Tuesday, Thursday
        time=datetime.time(14),
        first_date=next_monday,
        count=6,
    )


def local(plan, day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), plan.location.zone)


def test_the_dates_follow_the_rhythm(plan, next_monday):
    preview = series_preview(plan=plan)
    days = [row.start.astimezone(plan.location.zone).date() for row in preview]
    offsets = [(d - next_monday).days for d in days]
    assert offsets == [1, 3, 8, 10, 15, 17]
    assert all(row.is_free for row in preview)

    every_other = SeriesPlan(**{**plan.__dict__, "frequency": "every_other_week", "weekdays": (0,)})
    days = [r.start.astimezone(plan.location.zone).date() for r in series_preview(plan=every_other)]
    assert [(d - next_monday).days for d in days] == [0, 14, 28, 42, 56, 70]


def test_conflicts_say_why_and_offer_the_weeks_nearest_free_time(plan, next_monday):
    tuesday, thursday = (
        next_monday + datetime.timedelta(days=1),
        next_monday + datetime.timedelta(days=3),
    )
    week2_tuesday = tuesday + datetime.timedelta(days=7)
    ClinicClosure.objects.create(start_date=tuesday, end_date=tuesday, name="Holiday")
    AppointmentFactory(
        therapist=plan.therapist,
        location=plan.location,
        appointment_type=plan.appointment_type,
        start=local(plan, thursday, 14),
    )
    TimeOffFactory(
        therapist=plan.therapist,
        start=local(plan, week2_tuesday, 13),
        end=local(plan, week2_tuesday, 16),
    )
    preview = series_preview(plan=plan)
    assert [row.conflict for row in preview[:3]] == [
        Conflict.CLOSED,
        Conflict.TAKEN,
        Conflict.TIME_OFF,
    ]
    taken_alt = preview[1].alternative.astimezone(plan.location.zone)
    # Thursday 14:00 is taken (until 15:00 with the buffer): the nearest is 13:00 or 15:00.
    assert taken_alt.date() == thursday and taken_alt.hour in (13, 15)
    closed_alt = preview[0].alternative.astimezone(plan.location.zone)
    # Tuesday is closed: the nearest free day of the week at the same time (never Thursday,
    # where a series visit is): Monday or Wednesday at 2 PM.
    assert closed_alt.date() in (next_monday, next_monday + datetime.timedelta(days=2))
    assert closed_alt.hour == 14
    time_off_alt = preview[2].alternative.astimezone(plan.location.zone)
    # Off 13-16: 12:00 (its buffer ends at 13:00) and 16:00 are as near; the earlier wins.
    assert time_off_alt.date() == week2_tuesday and time_off_alt.hour == 12


def test_outside_hours_is_said_and_no_alternative_in_an_empty_week(plan, next_monday):
    late = SeriesPlan(**{**plan.__dict__, "time": datetime.time(19), "count": 2})
    preview = series_preview(plan=late)
    assert {row.conflict for row in preview} == {Conflict.OUTSIDE_HOURS}
    assert all(row.alternative is not None for row in preview)
    ClinicClosure.objects.create(
        start_date=next_monday, end_date=next_monday + datetime.timedelta(days=6), name="Week"
    )
    preview = series_preview(plan=late)
    assert preview[0].conflict == Conflict.CLOSED and preview[0].alternative is None


def test_the_plan_is_checked(plan, settings):
    settings.SERIES_MAX_VISITS = 4
    with pytest.raises(SeriesError) as error:
        series_preview(plan=plan)
    assert error.value.message == rules.SERIES_TOO_MANY.format(max=4)
    settings.SERIES_MAX_VISITS = 24
    with pytest.raises(SeriesError) as error:
        series_preview(plan=SeriesPlan(**{**plan.__dict__, "weekdays": (1,)}))
    assert error.value.message == rules.SERIES_DAYS_TWICE


def test_booking_books_every_chosen_visit_and_tells_the_patient_once(plan, sms_outbox, committed):
    preview = series_preview(plan=plan)
    starts = [row.start for row in preview]
    with committed():
        series = series_book(plan=plan, starts=starts)
    visits = Appointment.objects.filter(series_visit__series=series).order_by("start")
    assert [a.start for a in visits] == starts
    assert {a.status for a in visits} == {Appointment.Status.BOOKED}
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert "6 visits are booked" in email.subject
    calendar = icalendar.Calendar.from_ical(email.attachments[0][1])
    assert len(calendar.walk("VEVENT")) == 6
    assert len(sms_outbox) == 1
    text = sms_outbox[0]["body"]
    assert "6 visits" in text and "/appointments/" in text and "[link]" not in text
    assert Message.objects.filter(kind=Message.Kind.SERIES_CONFIRMATION).count() == 1
    assert not Message.objects.filter(kind=Message.Kind.CONFIRMATION).exists()


def test_a_lost_date_books_nothing_and_comes_back_with_a_fresh_preview(plan, next_monday):
    preview = series_preview(plan=plan)
    starts = [row.start for row in preview]
    # Someone else takes the fourth date after the preview was shown.
    AppointmentFactory(
        therapist=plan.therapist,
        location=plan.location,
        appointment_type=plan.appointment_type,
        start=starts[3],
    )
    before = Appointment.objects.count()
    with pytest.raises(SeriesError) as error:
        series_book_or_preview(plan=plan, starts=starts)
    assert error.value.code == "taken"
    assert Appointment.objects.count() == before
    assert not AppointmentSeries.objects.exists()
    assert error.value.preview[3].conflict == Conflict.TAKEN
    assert error.value.preview[3].alternative is not None
    assert len(mail.outbox) == 0


def test_cancelling_the_rest_of_the_series_from_a_visit(plan, sms_outbox, committed):
    series = series_book(plan=plan, starts=[row.start for row in series_preview(plan=plan)])
    mail.outbox.clear()
    sms_outbox.clear()
    visits = list(Appointment.objects.filter(series_visit__series=series).order_by("start"))
    with committed():
        cancelled = series_cancel_rest(appointment=visits[2])
    assert [a.pk for a in cancelled] == [a.pk for a in visits[2:]]
    statuses = list(
        Appointment.objects.filter(series_visit__series=series)
        .order_by("start")
        .values_list("status", flat=True)
    )
    assert statuses == ["booked", "booked"] + ["cancelled"] * 4
    assert len(mail.outbox) == 1 and "4 of your visits" in mail.outbox[0].subject
    assert len(sms_outbox) == 1 and "cancelled" in sms_outbox[0]["body"]
    assert links.manage_url(visits[0]) is not None


def test_the_manage_page_offers_cancelling_the_rest(client, plan):
    series = series_book(plan=plan, starts=[row.start for row in series_preview(plan=plan)])
    first = Appointment.objects.filter(series_visit__series=series).order_by("start").first()
    token = links.appointment_token(first, salt=links.MANAGE_SALT)
    page = client.get(f"/appointments/{token}/")
    assert b"rest of the series" in page.content
    response = client.post(f"/appointments/{token}/cancel-series/", {"reason": ""})
    assert response.status_code == 200
    assert not Appointment.objects.filter(
        series_visit__series=series, status__in=Appointment.ACTIVE_STATUSES
    ).exists()


def test_each_visit_of_a_series_keeps_its_day_before_reminder(plan, settings):
    from clinic.services.messaging import reminder_due_list

    settings.REMINDER_LOCAL_HOUR, settings.SMS_QUIET_START_HOUR = 0, 24
    settings.SMS_QUIET_END_HOUR = 0
    series = series_book(plan=plan, starts=[row.start for row in series_preview(plan=plan)])
    visits = list(Appointment.objects.filter(series_visit__series=series).order_by("start"))
    for visit in visits[:2]:
        day_before = visit.start - datetime.timedelta(days=1)
        assert visit in reminder_due_list(now=day_before)
