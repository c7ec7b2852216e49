"""The outcomes dashboard's figures against a small practice worked out by hand, the page and
CSV for admins and therapists, and the patient's own progress on "My care"."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from careplans import outcomes, views_outcomes
from careplans.models import CarePlan
from clinic.models import Appointment, AuditEvent
from intake.models import OutcomeMeasure
from tests.factories.careplans import SessionLogFactory, plan_with_items
from tests.factories.clinic import (
    AppointmentFactory,
    AppointmentTypeFactory,
    LocationFactory,
    PatientUserFactory,
    TherapistFactory,
    UserFactory,
    WorkingHoursFactory,
)

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
TODAY = datetime.date(2026, 11, 30)
OCT, NOV = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)


def at(day: int, month: int = 11, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=CHICAGO)


@pytest.fixture
def practice(settings):
    """Two locations; Dr. One (Mondays 9–17 at the first) and Dr. Two (no hours) at the second.

    Hand-worked figures, November 2026, Dr. One at the first location:
      visits attended 3 (P1 Nov 2 and 9, P2 Nov 3); no-show 1 (P1 Nov 16); late cancel 1
      (P2 Nov 10, 2 h before); an early cancel (P2 Nov 17) is not due; P3 booked Nov 4.
      Due = 5 not cancelled + 1 late = 6 → no-show 1/6 = 16.7 %, late cancel 16.7 %.
      New patients 2 (P1, P2; P3 came in October). Booked 5 × 60 min = 300 min; working
      8 h × 5 Mondays = 2400 min → utilisation 12.5 %.
      Episode: P1's plan from Nov 5 (3 a week), 6 sessions; prescribed 3 × 26 days / 7 = 11.1
      → 11; adherence 6/11 = 54.5 %. Its visits: Oct 22–Nov 30, attended: Nov 2, 9 → 2.
      Outcomes (last measure in November): P1 ODI 40 → 28 (−12 ✓), pain 6 → 5 (−1 ✗);
      P2 ODI 30 → 25 (−5 ✗), pain 7 → 4 (−3 ✓) → Oswestry 1/2, pain 1/2.
      Band 50–79 %: P1 (improved) → 1/1; P2 has no plan, so no band.
    October: P3 Oct 20 completed: 1 visit, 1 new patient, 60 / (8 h × 4 Mondays) = 3.1 %.
    Dr. Two, second location, November: P4 Nov 5 completed (new); no working hours.
    """
    settings.TIME_ZONE = "America/Chicago"
    settings.BOOKING_LATE_CHANGE_HOURS = 24
    first, second = LocationFactory(), LocationFactory()
    one, two = TherapistFactory(locations=[first]), TherapistFactory(locations=[second])
    WorkingHoursFactory(
        therapist=one,
        location=first,
        weekday=0,
        start_time=datetime.time(9),
        end_time=datetime.time(17),
    )
    hour = AppointmentTypeFactory(duration_minutes=60, buffer_after_minutes=0)
    p1, p2, p3, p4 = (PatientUserFactory() for _ in range(4))

    def visit(patient, start, status, therapist=one, location=first, **extra):
        return AppointmentFactory(
            patient=patient,
            therapist=therapist,
            location=location,
            appointment_type=hour,
            start=start,
            status=status,
            **extra,
        )

    s = Appointment.Status
    visit(p1, at(2), s.COMPLETED)
    visit(p1, at(9), s.COMPLETED)
    visit(p1, at(16), s.NO_SHOW)
    visit(p2, at(3), s.ARRIVED)
    visit(p2, at(10), s.CANCELLED, cancelled_at=at(10) - datetime.timedelta(hours=2))
    visit(p2, at(17), s.CANCELLED, cancelled_at=at(17) - datetime.timedelta(days=3))
    visit(p3, at(20, month=10), s.COMPLETED)
    visit(p3, at(4), s.BOOKED)
    visit(p4, at(5), s.COMPLETED, therapist=two, location=second)

    plan = plan_with_items(
        patient=p1, author=one, status=CarePlan.Status.ACTIVE, start_date=datetime.date(2026, 11, 5)
    )
    plan.items.update(times_per_week=3)
    for day in (6, 8, 11, 13, 20, 27):
        SessionLogFactory(plan=plan, performed_on=datetime.date(2026, 11, day))

    def measure(patient, day, odi, nprs, source="reassessment"):
        OutcomeMeasure.objects.create(
            patient=patient, source=source, measured_at=at(day), odi_percent=odi, nprs=nprs
        )

    measure(p1, 2, 40, 6, "intake")
    measure(p1, 20, 28, 5)
    measure(p2, 3, 30, 7, "intake")
    measure(p2, 25, 25, 4)
    return {"first": first, "second": second, "one": one, "two": two}


def test_the_figures_match_the_hand_worked_practice(practice, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        board = outcomes.dashboard(months=2, today=TODAY)
    assert board.months == [OCT, NOV]
    cell = board.cells[(NOV, practice["first"].pk, practice["one"].pk)]
    assert (cell.visits, cell.no_shows, cell.late_cancels, cell.due) == (3, 1, 1, 6)
    assert (cell.no_show_rate, cell.late_cancel_rate) == (16.7, 16.7)
    assert cell.new_patients == 2
    assert (cell.booked_minutes, cell.working_minutes, cell.utilisation) == (300, 2400, 12.5)
    assert (cell.episodes, cell.episode_visits, cell.visits_per_episode) == (1, 2, 2.0)
    assert (cell.logged, cell.prescribed, cell.adherence) == (6, 11, 54.5)
    assert (cell.odi_improved, cell.odi_measured, cell.odi_improved_share) == (1, 2, 50.0)
    assert (cell.nprs_improved, cell.nprs_measured, cell.nprs_improved_share) == (1, 2, 50.0)

    october = board.cells[(OCT, practice["first"].pk, practice["one"].pk)]
    assert (october.visits, october.new_patients, october.utilisation) == (1, 1, 3.1)

    other = board.cells[(NOV, practice["second"].pk, practice["two"].pk)]
    assert (other.visits, other.new_patients, other.utilisation) == (1, 1, None)

    assert board.by_month[NOV].visits == 4
    assert board.total.visits == 5
    bands = {band.label: (band.patients, band.improved) for band in board.bands}
    assert bands == {"Under 50%": (0, 0), "50–79%": (1, 1), "80% or more": (0, 0)}


def test_a_therapist_and_a_location_see_their_own_figures(practice):
    mine = outcomes.dashboard(months=2, therapist_id=practice["one"].pk, today=TODAY)
    assert mine.by_month[NOV].visits == 3
    assert mine.by_month[NOV].odi_measured == 2
    second = outcomes.dashboard(months=2, location_id=practice["second"].pk, today=TODAY)
    assert second.by_month[NOV].visits == 1
    assert second.by_month[NOV].odi_measured == 0
    assert second.by_month[NOV].episodes == 0


def test_the_query_count_does_not_grow_with_the_practice(practice, django_assert_max_num_queries):
    for n in range(20):
        AppointmentFactory(
            therapist=practice["one"],
            location=practice["first"],
            start=at(1 + n % 28, hour=8) + datetime.timedelta(minutes=n),
            status=Appointment.Status.COMPLETED,
        )
    with django_assert_max_num_queries(6):
        outcomes.dashboard(months=2, today=TODAY)


def test_the_admin_page_and_csv(client, practice, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(views_outcomes, "today", lambda: TODAY)
    client.force_login(UserFactory(role="admin", is_staff=True))
    with django_assert_max_num_queries(17):  # 16, and the second factor's device (admins)
        page = client.get(reverse("careplans:outcomes"), {"months": "3"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html
    for text in outcomes.DEFINITIONS.values():  # each figure's definition is on the page
        assert text[:30] in html
    response = client.get(reverse("careplans:outcomes_csv"), {"months": "3"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Month", "Location", "Therapist", "Visits"]
    nov = [r for r in rows if r[:3] == ["2026-11", practice["first"].name, practice["one"].name]]
    assert nov[0][3:6] == ["3", "2", "16.7"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 1


def test_a_therapist_sees_only_their_own(client, practice, monkeypatch):
    monkeypatch.setattr(views_outcomes, "today", lambda: TODAY)
    client.force_login(practice["two"].user)
    response = client.get(reverse("careplans:outcomes_csv"), {"months": "3"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    therapists = {r[2] for r in rows[1:] if r and r[0].startswith("2026-")}
    assert therapists == {practice["two"].name}
    page = client.get(reverse("careplans:outcomes"), {"therapist": practice["one"].pk})
    assert 'name="therapist"' not in page.content.decode()


# --- The patient's own progress ------------------------------------------------------------------


def test_my_care_shows_the_patients_own_progress(client, care, django_assert_max_num_queries):
    patient = care["patient"]
    plan = plan_with_items(
        patient=patient,
        status=CarePlan.Status.ACTIVE,
        start_date=timezone.localdate() - datetime.timedelta(days=13),
    )
    plan.items.update(times_per_week=3)
    for days_ago in (1, 4, 8):
        SessionLogFactory(
            plan=plan, performed_on=timezone.localdate() - datetime.timedelta(days=days_ago)
        )
    now = datetime.datetime.now(tz=CHICAGO)
    for days_ago, odi, nprs in ((30, 44, 7), (2, 30, 4)):
        OutcomeMeasure.objects.create(
            patient=patient,
            source="reassessment",
            measured_at=now - datetime.timedelta(days=days_ago),
            odi_percent=odi,
            nprs=nprs,
        )
    OutcomeMeasure.objects.create(  # someone else's scores never show here
        patient=care["other_patient"], source="intake", measured_at=now, odi_percent=88, nprs=9
    )
    client.force_login(patient.user)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("account:home")).content.decode()
    assert 'id="my-progress"' in page
    assert "Sessions done on this plan: <strong>3</strong> of 6 so far" in page
    assert page.count("<svg") >= 2
    assert "44" in page and "30" in page
    assert ">88<" not in page and "88%" not in page
