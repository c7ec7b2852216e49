import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.models import User
from intake import presentation, scoring, services
from intake.models import OutcomeMeasure
from intake.views import review as views_staff
from tests.factories.clinic import TherapistFactory, UserFactory
from tests.helpers import another_visit, started_intake, submitted_intake

pytestmark = pytest.mark.django_db

# The intake with its red-flag answers and acknowledgements (two prefetches), outcomes, the
# signed-in user, and the one INSERT of the page view's audit event.
REVIEW_QUERY_LIMIT = 11
LIST_QUERY_LIMIT = 9


@pytest.fixture
def therapist_client(client, clinic_setup):
    client.force_login(clinic_setup["therapist"].user)
    return client


def review_url(intake):
    return reverse("intake:review", args=[intake.pk])


# --- The review screen -------------------------------------------------------------------------


def test_red_flags_come_first_in_the_patients_words_with_an_acknowledge_button(
    therapist_client, intake_appointment
):
    appointment, _ = intake_appointment
    intake = submitted_intake(appointment, red_flags=["bladder", "night_pain"])
    html = therapist_client.get(review_url(intake)).content.decode()

    flags = html.index('id="red-flags"')
    assert flags < html.index('id="scores"') < html.index('id="assessment"')
    for code in ("bladder", "night_pain"):
        flag = scoring.RED_FLAGS_BY_CODE[code]
        assert escape(flag.question) in html
        assert escape(flag.summary) in html
    # Cauda equina before the other serious causes, and the advice the patient was given.
    assert html.index('data-flag="bladder"') < html.index('data-flag="night_pain"')
    assert escape(scoring.RED_FLAG_ADVICE[scoring.CAUDA_EQUINA]) in html
    assert reverse("intake:acknowledge", args=[intake.pk]) in html


def test_acknowledging_records_who_and_removes_the_button(therapist_client, intake_appointment):
    appointment, _ = intake_appointment
    intake = submitted_intake(appointment, red_flags=["fever_unwell"])
    response = therapist_client.post(
        reverse("intake:acknowledge", args=[intake.pk]), {"action": "seen_in_clinic"}, follow=True
    )

    intake.refresh_from_db()
    assert intake.urgent_acknowledged_at is not None
    assert intake.urgent_acknowledged_by == appointment.therapist.user
    html = response.content.decode()
    assert views_staff.ACKNOWLEDGED in html
    assert reverse("intake:acknowledge", args=[intake.pk]) not in html


def test_scores_are_shown_with_their_bands_and_meaning(therapist_client, intake_appointment):
    appointment, _ = intake_appointment
    intake = submitted_intake(appointment)
    response = therapist_client.get(review_url(intake))
    html = response.content.decode()

    odi = scoring.oswestry([2, 2, 2, 2, 2, 2, 2, None, 2, 2])
    assert f"{odi.percent:g}%" in html
    assert escape(odi.band_label) in html
    assert escape(presentation.ODI_MEANING[odi.band]) in html
    assert "3/9" in html and "Psychosocial subscale 1/5" in html
    assert scoring.START_BACK_RISK_LABELS["low"] in html
    assert escape(presentation.START_BACK_MEANING["low"]) in html
    assert "4/10" in html and scoring.NPRS_BAND_LABELS[scoring.nprs_band(4)] in html
    assert f"Worst last week 7 ({scoring.NPRS_BAND_LABELS[scoring.nprs_band(7)]})" in html
    psfs = scoring.psfs([3, 6, 7])
    assert f"{psfs.mean:g}/10" in html
    for activity, rating in (("Run 10 miles", 3), ("Sit through a meeting", 6)):
        assert f"{activity}: {rating}/10" in html
    # Every score goes through the one partial.
    assert html.count('class="score card') == len(response.context["review"].scores) == 4


def test_pain_map_running_history_and_goals(therapist_client, intake_appointment):
    appointment, _ = intake_appointment
    intake = submitted_intake(appointment)
    html = therapist_client.get(review_url(intake)).content.decode()

    assert "<li>Lower back, centre</li>" in html and "<li>Buttock</li>" in html
    # 30 miles a week was stored as 48.3 km; both units are shown.
    assert "30 mi · 48.3 km" in html
    assert "Pegasus, about 450 mi (due for replacing at 300 mi or more)" in html
    assert "Ibuprofen as needed" in html
    assert "Racing the Twin Cities Marathon" in html


def test_the_page_is_printable_and_two_columns_on_desktop(therapist_client, intake_appointment):
    appointment, _ = intake_appointment
    html = therapist_client.get(review_url(submitted_intake(appointment))).content.decode()
    assert "css/pages/intake-staff-review.css" in html  # a static file: the CSP allows no <style>
    css = Path(__file__).resolve().parents[2] / "static/css/pages/intake-staff-review.css"
    assert "@media print" in css.read_text()
    assert 'class="col-12 col-lg-7"' in html and 'class="col-12 col-lg-5"' in html


def earlier_measure(patient, *, days_before, odi, nprs, psfs):
    return OutcomeMeasure.objects.create(
        patient=patient,
        source=OutcomeMeasure.Source.REASSESSMENT,
        measured_at=timezone.now() - datetime.timedelta(days=days_before),
        odi_percent=odi,
        nprs=nprs,
        psfs_mean=psfs,
    )


def test_change_since_the_previous_measure_is_marked_when_clinically_important(
    therapist_client, intake_appointment
):
    appointment, _ = intake_appointment
    earlier_measure(appointment.patient, days_before=60, odi=70.0, nprs=9, psfs=1.0)
    earlier_measure(appointment.patient, days_before=30, odi=45.0, nprs=7, psfs=4.0)
    intake = submitted_intake(appointment)  # ODI 40, pain 4, PSFS 5.3
    response = therapist_client.get(review_url(intake))
    changes = {score.key: score.change for score in response.context["review"].scores}

    # Compared with the most recent earlier measure (30 days ago), not the first.
    odi = changes["odi"]
    assert (odi.before, odi.after) == (45.0, 40.0)
    assert odi.improved and not odi.important
    assert odi.important == scoring.change_is_important("odi", 45.0, 40.0)
    assert changes["nprs"].important and changes["nprs"].improved
    assert not changes["psfs"].important and changes["psfs"].improved
    assert changes["start_back"] is None
    html = response.content.decode()
    assert "★ clinically important" in html
    assert "below the clinically important change" in html


def test_a_first_intake_shows_no_change(therapist_client, intake_appointment):
    appointment, _ = intake_appointment
    response = therapist_client.get(review_url(submitted_intake(appointment)))
    assert all(score.change is None for score in response.context["review"].scores)


def test_review_page_queries_are_bounded(
    therapist_client, intake_appointment, django_assert_max_num_queries
):
    appointment, _ = intake_appointment
    intake = submitted_intake(appointment, red_flags=["trauma"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert therapist_client.get(review_url(intake)).status_code == 200
        return len(queries)

    few = count()
    for days in range(1, 11):
        earlier_measure(appointment.patient, days_before=days, odi=50.0, nprs=5, psfs=4.0)
    with django_assert_max_num_queries(REVIEW_QUERY_LIMIT):
        therapist_client.get(review_url(intake))
    assert count() == few


# --- The list ---------------------------------------------------------------------------------


def test_list_puts_unacknowledged_urgent_first_then_newest(
    therapist_client, clinic_setup, intake_appointment
):
    now = timezone.now()
    appointment, _ = intake_appointment
    oldest_urgent = submitted_intake(
        appointment, red_flags=["weight_loss"], now=now - datetime.timedelta(days=3)
    )
    acknowledged = submitted_intake(
        another_visit(clinic_setup), red_flags=["trauma"], now=now - datetime.timedelta(hours=1)
    )
    services.intake_urgent_acknowledge(
        intake=acknowledged, user=clinic_setup["therapist"].user, action="seen_in_clinic"
    )
    newest = submitted_intake(another_visit(clinic_setup), now=now)
    older = submitted_intake(another_visit(clinic_setup), now=now - datetime.timedelta(days=1))
    in_progress = started_intake(another_visit(clinic_setup))

    response = therapist_client.get(reverse("intake:list"))
    assert [row["intake"] for row in response.context["rows"]] == [
        oldest_urgent,  # urgent and not acknowledged: on top, however old
        newest,
        acknowledged,  # an hour old: acknowledged urgent ones sort by time like the rest
        older,
    ]
    assert list(response.context["started"]) == [in_progress]
    html = response.content.decode()
    assert html.count("URGENT · red flag") == 1
    assert "Not reviewed" in html
    sent, started = html.split('id="started-title"')
    assert f'data-intake="{in_progress.pk}"' in started
    assert f'data-intake="{in_progress.pk}"' not in sent
    odi_badge = presentation.odi_score(newest.odi_percent, newest.odi_band)
    assert f"ODI {odi_badge.value} · {odi_badge.band}" in sent
    assert scoring.START_BACK_RISK_LABELS["low"] in sent


def test_a_therapist_lists_only_their_own_patients_and_an_admin_all(client, clinic_setup):
    mine = submitted_intake(another_visit(clinic_setup))
    theirs = submitted_intake(another_visit(clinic_setup, therapist=TherapistFactory()))

    client.force_login(clinic_setup["therapist"].user)
    rows = client.get(reverse("intake:list")).context["rows"]
    assert [row["intake"] for row in rows] == [mine]

    client.force_login(UserFactory(role=User.Role.ADMIN, is_staff=True))
    rows = client.get(reverse("intake:list")).context["rows"]
    assert {row["intake"] for row in rows} == {mine, theirs}


def test_list_queries_are_bounded(therapist_client, clinic_setup, django_assert_max_num_queries):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert therapist_client.get(reverse("intake:list")).status_code == 200
        return len(queries)

    for _ in range(2):
        submitted_intake(another_visit(clinic_setup), red_flags=["trauma"])
        started_intake(another_visit(clinic_setup))
    few = count()
    for _ in range(8):
        submitted_intake(another_visit(clinic_setup))
        started_intake(another_visit(clinic_setup))
    with django_assert_max_num_queries(LIST_QUERY_LIMIT):
        response = therapist_client.get(reverse("intake:list"))
    assert len(response.context["rows"]) == 10
    assert count() == few
