import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail, signing
from django.urls import resolve, reverse
from django.utils.html import escape

from clinic import access, links
from intake import charts, presentation, scoring, selectors, services
from intake.models import OutcomeMeasure, ReassessmentRequest
from intake.services import reassessment as services_staff
from tests.helpers import another_visit, submitted_intake

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
INTAKE_ACTIVITIES = ["Run 10 miles", "Sit through a meeting", "Lift my kids"]


@pytest.fixture
def intake(intake_appointment):
    appointment, _ = intake_appointment
    return submitted_intake(appointment)


@pytest.fixture
def reassessment(intake):
    return services_staff.reassessment_request_create(
        patient=intake.patient, therapist=intake.appointment.therapist
    )


@pytest.fixture
def therapist_client(client, clinic_setup):
    client.force_login(clinic_setup["therapist"].user)
    return client


def token_of(reassessment):
    return services_staff.reassessment_token(reassessment)


def reassess_post(odi=1, nprs=2, psfs=(6, 8, 9)):
    data = {f"odi_{i}": str(odi) for i in range(10) if i != 7}
    data["nprs_now"] = str(nprs)
    data.update({f"psfs_{n}": str(rating) for n, rating in enumerate(psfs)})
    return data


# --- Asking for a re-assessment ---------------------------------------------------------------


def test_the_request_emails_only_the_link(intake, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reassessment = services_staff.reassessment_request_create(
            patient=intake.patient, therapist=intake.appointment.therapist
        )
    assert reassessment.completed is None
    (email,) = mail.outbox
    assert email.to == [intake.patient.email]
    (link,) = re.findall(r"https?://\S+", email.body)
    assert link.startswith(links.absolute("/intake/reassess/"))
    token = link.rstrip("/").split("/")[-1]
    assert links.link_from_token(token, salt=links.REASSESSMENT_SALT).object_id == reassessment.pk
    # Nothing clinical: no activities, no scores (read around the link, whose random token
    # may hold any digits).
    words = email.body.replace(link, "")
    for text in [*INTAKE_ACTIVITIES, "Oswestry", f"{intake.odi_percent:g}"]:
        assert text not in words and text not in email.subject


def test_the_button_creates_the_request_and_shows_the_link_to_copy(
    therapist_client, intake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = therapist_client.post(
            reverse("intake:reassess_create", args=[intake.pk]), follow=True
        )
    reassessment = ReassessmentRequest.objects.get()
    assert reassessment.requested_by == intake.appointment.therapist
    assert response.redirect_chain[-1][0] == reverse(
        "intake:reassess_link", args=[intake.pk, reassessment.pk]
    )
    url = response.context["url"]
    token = url.rstrip("/").split("/")[-1]
    assert links.link_from_token(token, salt="stride.reassessment").object_id == reassessment.pk
    assert f'value="{url}"' in response.content.decode()
    assert len(mail.outbox) == 1
    # The review page lists it as awaiting answers.
    html = therapist_client.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert reverse("intake:reassess_link", args=[intake.pk, reassessment.pk]) in html


# --- Answering it -------------------------------------------------------------------------------


def test_the_patient_page_asks_odi_pain_and_the_same_activities(client, reassessment):
    response = client.get(reverse("intake:reassess", args=[token_of(reassessment)]))
    assert response.status_code == 200
    form = response.context["form"]
    assert len(form.odi_names) == 10
    assert "nprs_now" in form.fields
    assert [form.fields[name].label for name in form.psfs_names] == INTAKE_ACTIVITIES
    html = response.content.decode()
    for activity in INTAKE_ACTIVITIES:
        assert activity in html


def test_submitting_records_a_reassessment_measure_with_computed_scores(client, reassessment):
    token = token_of(reassessment)
    response = client.post(reverse("intake:reassess", args=[token]), reassess_post())
    assert response.url == reverse("intake:reassess_outcomes", args=[token])

    measure = OutcomeMeasure.objects.get(source=OutcomeMeasure.Source.REASSESSMENT)
    odi = scoring.oswestry([1, 1, 1, 1, 1, 1, 1, None, 1, 1])
    assert measure.odi_percent == odi.percent == 20.0
    assert measure.nprs == 2
    assert measure.psfs_mean == scoring.psfs([6, 8, 9]).mean
    assert measure.patient == reassessment.patient
    assert [item["activity"] for item in measure.answers["psfs"]] == INTAKE_ACTIVITIES
    assert [item["rating"] for item in measure.answers["psfs"]] == [6, 8, 9]
    reassessment.refresh_from_db()
    assert reassessment.completed == measure


def test_a_second_submit_is_refused_with_a_clear_message(client, reassessment):
    url = reverse("intake:reassess", args=[token_of(reassessment)])
    client.post(url, reassess_post())
    response = client.post(url, reassess_post(odi=5, nprs=9), follow=True)

    assert OutcomeMeasure.objects.filter(source=OutcomeMeasure.Source.REASSESSMENT).count() == 1
    assert escape(services_staff.REASSESSMENT_ALREADY_SENT) in response.content.decode()
    assert outcomes_page_of(response.redirect_chain[-1][0]) == reassessment
    # Opening the link again shows the outcomes, not the form.
    assert outcomes_page_of(client.get(url).url) == reassessment


def outcomes_page_of(path):
    """The reassessment whose outcomes page ``path`` is. Compared by what the token names: a
    token made in another second is another string for the same link."""
    match = resolve(path)
    assert match.view_name == "intake:reassess_outcomes"
    return access.reassessment_from_link(match.kwargs["token"])


def test_the_service_refuses_a_second_submit(reassessment):
    answers = {"odi_answers": [1] * 10, "nprs_now": 3, "psfs_ratings": [5, 5, 5]}
    services_staff.reassessment_submit(reassessment=reassessment, **answers)
    with pytest.raises(services.IntakeError) as refused:
        services_staff.reassessment_submit(reassessment=reassessment, **answers)
    assert refused.value.message == services_staff.REASSESSMENT_ALREADY_SENT


def test_the_service_wants_one_rating_per_intake_activity(reassessment):
    with pytest.raises(services.IntakeError) as refused:
        services_staff.reassessment_submit(
            reassessment=reassessment, odi_answers=[1] * 10, nprs_now=3, psfs_ratings=[5, 5]
        )
    assert refused.value.message == services_staff.REASSESSMENT_RATINGS
    assert not OutcomeMeasure.objects.filter(source=OutcomeMeasure.Source.REASSESSMENT).exists()


def test_a_missing_rating_is_an_error_on_the_page(client, reassessment):
    data = reassess_post()
    del data["psfs_1"]
    response = client.post(reverse("intake:reassess", args=[token_of(reassessment)]), data)
    assert response.status_code == 200
    assert "Rate this activity from 0 (unable) to 10." in response.content.decode()
    assert not ReassessmentRequest.objects.get().completed


@pytest.mark.parametrize("kind", ["garbage", "intake_salt", "deleted"])
def test_a_bad_link_is_not_found(client, intake, reassessment, kind):
    link = links.link_from_token(token_of(reassessment), salt=links.REASSESSMENT_SALT)
    token = {
        "garbage": "not-a-token",
        "intake_salt": signing.Signer(salt=links.INTAKE_SALT).sign_object({"l": link.pk}),
        "deleted": signing.Signer(salt=links.REASSESSMENT_SALT).sign_object({"l": link.pk + 100}),
    }[kind]
    response = client.get(reverse("intake:reassess", args=[token]))
    assert response.status_code == 410
    assert links.LINK_CLOSED_TEMPLATE in [t.name for t in response.templates]


def test_the_outcomes_page_draws_each_score_over_time(client, reassessment):
    token = token_of(reassessment)
    assert client.get(reverse("intake:reassess_outcomes", args=[token])).url == reverse(
        "intake:reassess", args=[token]
    )
    client.post(reverse("intake:reassess", args=[token]), reassess_post())
    response = client.get(reverse("intake:reassess_outcomes", args=[token]))
    html = response.content.decode()
    assert html.count("<svg") == 3
    assert presentation.CHART_CAPTION in html
    # ODI 40 → 20 and pain 4 → 2 are clinically important; PSFS 5.3 → 7.7 is too (≥ 2).
    assert html.count('class="point important"') == 3


def test_the_review_page_shows_the_charts(therapist_client, intake, reassessment):
    services_staff.reassessment_submit(
        reassessment=reassessment, odi_answers=[2] * 10, nprs_now=3, psfs_ratings=[4, 6, 7]
    )
    html = therapist_client.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert html.count("<svg") == 3
    assert 'id="outcome-table"' in html
    assert presentation.CHART_CAPTION in html


def test_the_activities_come_from_the_latest_intake_sent_before_the_request(intake, clinic_setup):
    reassessment = services_staff.reassessment_request_create(
        patient=intake.patient, therapist=intake.appointment.therapist
    )
    # A newer intake (a new episode) sent after the request does not change what is asked.
    submitted_intake(
        another_visit(clinic_setup, patient=intake.patient),
        changes={"goals": {"activity_0": "Hike the Superior Trail"}},
        now=reassessment.requested_at + datetime.timedelta(days=2),
    )
    activities = selectors.reassessment_activities(reassessment=reassessment)
    assert [a["activity"] for a in activities] == INTAKE_ACTIVITIES
    assert [a["rating"] for a in activities] == [3, 6, 7]


# --- The chart function -------------------------------------------------------------------------


def points(*values, start=datetime.date(2026, 3, 2), every=14, first_important_from=None):
    return [
        charts.Point(
            when=start + datetime.timedelta(days=every * n),
            value=value,
            important=first_important_from is not None and n >= first_important_from,
        )
        for n, value in enumerate(values)
    ]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own markup, parsed to prove it is well-formed)


def draw(pts, **kwargs):
    options = {
        "chart_id": "chart-odi-1",
        "title": "Oswestry Disability Index (%)",
        "points": pts,
        "y_max": 100,
        "y_step": 20,
        "mcid": scoring.ODI_MCID,
        "lower_is_better": True,
        "unit": "%",
    } | kwargs
    return charts.line_chart(**options)


def test_the_chart_is_valid_svg_with_one_dot_per_point_joined_by_a_line():
    svg = draw(points(52, 44, 30, 24))
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    circles = root.findall(f".//{SVG}circle")
    assert len(circles) == 4
    polyline = root.find(f"{SVG}polyline")
    assert len(polyline.get("points").split()) == 4
    labels = [t.text for t in root.findall(f"{SVG}text") if t.get("class") == "x-label"]
    assert labels[0] == "Mar 2" and labels[-1] == "Apr 13"


def test_lower_values_are_drawn_lower_on_the_axis():
    root = parse(draw(points(80, 20)))
    high, low = (float(c.get("cy")) for c in root.findall(f".//{SVG}circle"))
    assert low > high  # SVG y grows downwards


def test_the_mcid_band_surrounds_the_first_value_and_important_points_are_filled():
    root = parse(draw(points(50, 45, 30, first_important_from=2)))
    band = root.find(f"{SVG}rect")
    assert band.get("class") == "mcid-band"
    # ±10 points around 50 on a 0–100 axis is a fifth of the plot height.
    plot_height = charts.HEIGHT - charts.MARGIN_TOP - charts.MARGIN_BOTTOM
    assert float(band.get("height")) == pytest.approx(plot_height * 0.2, abs=0.2)
    classes = [c.get("class") for c in root.findall(f".//{SVG}circle")]
    assert classes == ["point", "point", "point important"]


def test_all_text_is_escaped():
    nasty = '<script>alert("x")</script> & "quotes"'
    svg = draw(points(10, 12), title=nasty, unit="<b>", chart_id='x" onload="alert(1)')
    root = parse(svg)  # still well-formed
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert root.find(f"{SVG}title").text == nasty
    assert 'onload="' not in svg


def test_an_empty_chart_and_a_single_point_are_drawn():
    empty = parse(draw([]))
    assert not empty.findall(f".//{SVG}circle")
    single = parse(draw(points(35)))
    assert len(single.findall(f".//{SVG}circle")) == 1
    assert single.find(f"{SVG}polyline") is None


def test_points_on_the_same_day_are_spread_out():
    same_day = points(40, 30, every=0)
    xs = [float(c.get("cx")) for c in parse(draw(same_day)).findall(f".//{SVG}circle")]
    assert xs[0] < xs[1]


def test_outcome_history_marks_important_change_by_the_scoring_rule(intake):
    OutcomeMeasure.objects.create(
        patient=intake.patient,
        source=OutcomeMeasure.Source.REASSESSMENT,
        measured_at=intake.submitted_at + datetime.timedelta(days=21),
        odi_percent=31.0,  # 40 → 31: 9 points, not important
        nprs=1,  # 4 → 1: important
        psfs_mean=7.3,  # 5.3 → 7.3: exactly 2, important
    )
    history = presentation.outcomes(selectors.outcome_history(patient=intake.patient))
    svg = {chart["key"]: chart["svg"] for chart in history.charts}
    assert svg["odi"].count('class="point important"') == 0
    assert svg["nprs"].count('class="point important"') == 1
    assert svg["psfs"].count('class="point important"') == 1
    assert not history.rows[0].scores[0].change
    assert history.rows[1].scores[1].change.important
