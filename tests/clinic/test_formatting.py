"""The house format for times of the schedule, and every place that shows one using it."""

import datetime
import re
import zoneinfo

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from clinic import formatting, links
from clinic.formatting import local_date, local_datetime, local_time
from clinic.models import Message
from clinic.services import messaging, notifications, replies
from intake import services as intake_services
from tests.factories.clinic import (
    AppointmentFactory,
    AppointmentTypeFactory,
    LocationFactory,
    PatientFactory,
    StaffUserFactory,
    TimeOffFactory,
    UserFactory,
    therapist_with_hours,
)
from tests.helpers import submitted_intake

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.UTC


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


# --- The formatter ------------------------------------------------------------------------------


def test_a_normal_afternoon():
    moment = datetime.datetime(2026, 12, 9, 14, 0, tzinfo=CHICAGO)
    assert local_datetime(moment, CHICAGO) == "Wed Dec 9, 2:00 PM"
    assert local_datetime(moment, CHICAGO, with_zone=True) == "Wed Dec 9, 2:00 PM CST"
    assert local_date(moment, CHICAGO) == "Wed Dec 9"
    assert local_time(moment, CHICAGO) == "2:00 PM"
    assert local_time(moment, CHICAGO, with_zone=True) == "2:00 PM CST"


def test_a_moment_is_shown_on_the_locations_clock_whatever_zone_it_comes_in():
    moment = utc(2026, 12, 9, 20, 0)
    assert local_datetime(moment, CHICAGO) == "Wed Dec 9, 2:00 PM"
    assert local_datetime(moment, NEW_YORK, with_zone=True) == "Wed Dec 9, 3:00 PM EST"
    assert local_datetime(moment, "America/Chicago") == "Wed Dec 9, 2:00 PM"  # or by name
    # Late evening in Chicago is already the next day in UTC.
    assert local_datetime(utc(2026, 12, 10, 3, 30), CHICAGO) == "Wed Dec 9, 9:30 PM"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Sunday March 8, 2026: at 2:00 AM CST the clocks go to 3:00 AM CDT.
        (utc(2026, 3, 8, 7, 59), "Sun Mar 8, 1:59 AM CST"),
        (utc(2026, 3, 8, 8, 0), "Sun Mar 8, 3:00 AM CDT"),
        (utc(2026, 3, 8, 14, 0), "Sun Mar 8, 9:00 AM CDT"),
        (utc(2026, 3, 7, 15, 0), "Sat Mar 7, 9:00 AM CST"),
        # Sunday November 1, 2026: at 2:00 AM CDT the clocks go back to 1:00 AM CST, so
        # 1:30 AM happens twice; the zone tells the two apart.
        (utc(2026, 11, 1, 6, 30), "Sun Nov 1, 1:30 AM CDT"),
        (utc(2026, 11, 1, 7, 30), "Sun Nov 1, 1:30 AM CST"),
        (utc(2026, 11, 1, 15, 0), "Sun Nov 1, 9:00 AM CST"),
        (utc(2026, 10, 31, 14, 0), "Sat Oct 31, 9:00 AM CDT"),
    ],
)
def test_both_daylight_saving_changes(moment, expected):
    assert local_datetime(moment, CHICAGO, with_zone=True) == expected
    assert local_datetime(moment, CHICAGO) == expected.rsplit(" ", 1)[0]


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (0, 0, "12:00 AM"),
        (0, 5, "12:05 AM"),
        (1, 0, "1:00 AM"),
        (11, 59, "11:59 AM"),
        (12, 0, "12:00 PM"),
        (12, 30, "12:30 PM"),
        (13, 0, "1:00 PM"),
        (23, 59, "11:59 PM"),
    ],
)
def test_midnight_noon_and_the_hours_around_them(hour, minute, expected):
    moment = datetime.datetime(2026, 12, 9, hour, minute, tzinfo=CHICAGO)
    assert local_time(moment, CHICAGO) == expected
    assert local_datetime(moment, CHICAGO) == f"Wed Dec 9, {expected}"


def test_midnight_belongs_to_the_day_it_starts():
    assert local_datetime(utc(2027, 1, 1, 6, 0), CHICAGO) == "Fri Jan 1, 12:00 AM"
    assert local_datetime(utc(2027, 1, 1, 5, 59), CHICAGO) == "Thu Dec 31, 11:59 PM"


def test_every_day_and_month_has_its_short_name():
    days = [utc(2026, 12, 7 + n, 18) for n in range(7)]
    assert [local_date(d, CHICAGO)[:3] for d in days] == list(formatting.WEEKDAYS)
    months = [utc(2026, m, 15, 18) for m in range(1, 13)]
    assert [local_date(d, CHICAGO)[4:7] for d in months] == list(formatting.MONTHS)


def test_every_day_and_month_has_its_full_name():
    assert formatting.long_date(datetime.date(2026, 12, 9)) == "Wednesday, December 9"
    days = [datetime.date(2026, 12, 7 + n) for n in range(7)]
    assert [formatting.long_date(d).split(",")[0] for d in days] == list(formatting.WEEKDAY_NAMES)
    months = [datetime.date(2026, m, 15) for m in range(1, 13)]
    assert [formatting.long_date(d).split()[1] for d in months] == list(formatting.MONTH_NAMES)
    assert [name[:3] for name in formatting.WEEKDAY_NAMES] == list(formatting.WEEKDAYS)
    assert [name[:3] for name in formatting.MONTH_NAMES] == list(formatting.MONTHS)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        local_datetime(datetime.datetime(2026, 12, 9, 14, 0), CHICAGO)


def test_the_template_filters_are_the_formatter():
    moment = utc(2026, 11, 1, 6, 30)
    template = Template(
        "{% load stride %}{{ m|local_datetime:zone }}|{{ m|local_datetime_zoned:zone }}|"
        "{{ m|local_date:zone }}|{{ m|local_time:zone }}|{{ none|local_datetime:zone }}"
    )
    rendered = template.render(Context({"m": moment, "zone": CHICAGO, "none": None}))
    assert rendered.split("|") == [
        local_datetime(moment, CHICAGO),
        local_datetime(moment, CHICAGO, with_zone=True),
        local_date(moment, CHICAGO),
        local_time(moment, CHICAGO),
        "",
    ]
    by_name = Template("{% load stride %}{{ m|local_datetime:'America/New_York' }}")
    assert by_name.render(Context({"m": moment})) == local_datetime(moment, NEW_YORK)


# --- Every place that shows a visit's time -------------------------------------------------------
# The visit is at a location in New York while the server's zone is Chicago's: a page that
# wrote the time its own way, in the server's zone, would say 8:00 AM instead of 9:00 AM.


@pytest.fixture
def new_york(db):
    location = LocationFactory(slug="midtown", name="Midtown", time_zone="America/New_York")
    return {"location": location, "therapist": therapist_with_hours(location=location)}


@pytest.fixture
def visit(new_york, next_monday):
    return AppointmentFactory(
        patient=PatientFactory(user=UserFactory()),
        therapist=new_york["therapist"],
        location=new_york["location"],
        appointment_type=AppointmentTypeFactory(
            slug="initial-evaluation", name="Initial evaluation", needs_intake=True
        ),
        start=datetime.datetime.combine(next_monday, datetime.time(9), NEW_YORK),
    )


def shown(visit) -> str:
    return local_datetime(visit.start, NEW_YORK)


def said(visit) -> str:
    return local_datetime(visit.start, NEW_YORK, with_zone=True)


@pytest.mark.django_db
def test_the_patients_pages_show_the_house_format(client, visit):
    assert shown(visit).endswith(", 9:00 AM")
    token = links.appointment_token(visit, salt=links.MANAGE_SALT)
    for name in ("appointment_manage", "appointment_cancel", "book_confirmed"):
        assert shown(visit) in client.get(reverse(name, args=[token])).content.decode(), name
    client.force_login(visit.patient.user)
    assert shown(visit) in client.get(reverse("account:home")).content.decode()


@pytest.mark.django_db
def test_the_admin_shows_the_house_format(admin_client, visit):
    changelist = reverse("admin:clinic_appointment_changelist")
    assert shown(visit) in admin_client.get(changelist, {"day": "all"}).content.decode()
    change = admin_client.get(reverse("admin:clinic_appointment_change", args=[visit.pk]))
    html = change.content.decode()
    assert local_datetime(visit.end, NEW_YORK) in html
    assert local_datetime(visit.blocked_until, NEW_YORK) in html
    patient = reverse("admin:clinic_patient_change", args=[visit.patient.pk])
    assert shown(visit) in admin_client.get(patient).content.decode()
    confirm = admin_client.post(
        changelist, {"action": "cancel", "_selected_action": [visit.pk], "day": "all"}
    )
    assert "Yes, cancel it" in confirm.content.decode()
    assert shown(visit) in confirm.content.decode()
    assert str(visit).endswith(f", {shown(visit)}")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", ["confirmation", "reminder", "reschedule", "cancellation", "intake_request"]
)
def test_every_text_says_the_time_with_its_zone(visit, kind):
    assert said(visit).endswith(" EST")
    assert said(visit) in messaging.appointment_text(appointment=visit, kind=kind)


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["C", "R"])
def test_replies_say_the_time_with_its_zone(visit, word):
    reply = replies.inbound_handle(from_number=str(visit.patient.phone), body=word)
    assert said(visit) in reply
    # The stored copy holds "[link]" where the reply had the manage link.
    assert messaging.message_body_to_send(Message.objects.get(kind="reply")) == reply


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["confirmation", "reschedule", "cancellation"])
def test_every_email_says_the_time_with_its_zone(visit, kind):
    notifications.appointment_email_send(appointment_id=visit.pk, kind=kind)
    [email] = mail.outbox
    assert said(visit) in email.subject
    assert f"When:  {said(visit)} (" in email.body


@pytest.mark.django_db
def test_the_staff_pages_use_the_house_format_and_the_alert_names_no_visit(client, visit):
    StaffUserFactory(email="desk@stride.example")
    intake = submitted_intake(visit, red_flags=["trauma"])
    mail.outbox.clear()
    intake_services.urgent_alert_send(alert_id=intake.urgent_alerts.get().pk)
    assert mail.outbox
    # The alert carries nothing that would tell who the patient is, the visit's time included.
    assert not any(shown(visit) in email.body or said(visit) in email.body for email in mail.outbox)
    client.force_login(visit.therapist.user)
    assert shown(visit) in client.get(reverse("intake:list")).content.decode()
    review = client.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert shown(visit) in review


@pytest.mark.django_db
def test_the_therapists_schedule_shows_local_times(client, new_york):
    # 11 PM in New York is 10 PM the same day in Chicago, the zone the schedule's days are in.
    today = timezone.localdate()
    visit = AppointmentFactory(
        therapist=new_york["therapist"],
        location=new_york["location"],
        start=datetime.datetime.combine(today, datetime.time(23), NEW_YORK),
    )
    client.force_login(new_york["therapist"].user)
    html = client.get(reverse("my_schedule")).content.decode()
    assert f"{local_time(visit.start, NEW_YORK)}–{local_time(visit.end, NEW_YORK)}" in html


def test_days_off_the_schedule_and_record_stamps():
    assert formatting.calendar_date(datetime.date(1985, 3, 2)) == "Mar 2, 1985"
    moment = datetime.datetime(2026, 12, 4, 3, 2, tzinfo=datetime.UTC)
    assert formatting.stamp(moment, NEW_YORK) == "Dec 3, 2026, 10:02 PM"
    assert formatting.stamp(moment) == "Dec 3, 2026, 9:02 PM"  # the practice's zone: Chicago
    html = Template("{% load stride %}{{ d|calendar_date }}|{{ m|stamp }}|{{ none|stamp }}").render(
        Context({"d": datetime.date(2026, 9, 1), "m": moment, "none": None})
    )
    assert html == "Sep 1, 2026|Dec 3, 2026, 9:02 PM|"


@pytest.mark.django_db
def test_djangos_own_formats_are_the_house_format():
    """A value shown without a filter (the admin's read-only fields, its lists) reads the same."""
    moment = datetime.datetime(2026, 12, 4, 3, 2, tzinfo=datetime.UTC)
    html = Template("{{ m }}|{{ m|date }}|{{ d }}|{{ m|time }}").render(
        Context({"m": moment, "d": datetime.date(2026, 12, 4)})
    )
    assert html == "Dec 3, 2026, 9:02 PM|Dec 3, 2026|Dec 4, 2026|9:02 PM"
    assert "p.m." not in html and "Dec." not in html


@pytest.mark.django_db
def test_the_admins_texts_and_time_off_use_the_house_format(admin_client, visit):
    Message.objects.create(
        patient=visit.patient, appointment=visit, kind="reminder", to="+16125550123", body="x"
    )
    html = admin_client.get(reverse("admin:clinic_message_changelist")).content.decode()
    assert " p.m." not in html and " a.m." not in html
    assert re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M", html)
    off = TimeOffFactory(
        therapist=visit.therapist,
        start=datetime.datetime(2026, 12, 4, 19, tzinfo=datetime.UTC),
        end=datetime.datetime(2026, 12, 4, 21, tzinfo=datetime.UTC),
    )
    assert str(off).endswith("Dec 4, 2026, 1:00 PM – Dec 4, 2026, 3:00 PM")


@pytest.mark.django_db
def test_the_intake_review_step_writes_dates_in_words(client, visit):
    from intake.forms import FORMS
    from intake.services import questionnaire
    from tests.helpers import answers

    intake = intake_services.intake_for_appointment(appointment=visit)
    form = FORMS["pain"]({**answers()["pain"], "onset_date": "2026-09-01"})
    assert form.is_valid(), form.errors
    questionnaire.intake_step_save(intake=intake, step="pain", data=form.to_json())
    token = links.appointment_token(visit, salt=links.INTAKE_SALT)
    html = client.get(reverse("intake:review_answers", args=[token])).content.decode()
    assert "Sep 1, 2026" in html
    assert "2026-09-01" not in html
