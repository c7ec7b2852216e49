"""The red-flag groups and advice are computed once, by intake.scoring, and shown as computed.

The patient's done page and the therapist's review page each show exactly what
``scoring.red_flag_groups`` and ``scoring.advice_for`` return for the flags found, most urgent
first. The alert email names none of it: it carries no health information at all.
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from clinic.models import User
from intake import scoring
from intake.demo import demo_answers
from intake.models import IntakeAssessment
from intake.services import alerts
from tests.helpers import health_information_in

pytestmark = pytest.mark.django_db

CASES = {
    "none": ((), []),
    "cauda equina only": (("bladder", "saddle_numbness"), [scoring.CAUDA_EQUINA]),
    "serious only": (("night_pain", "trauma"), [scoring.SERIOUS]),
    # Asked in this order, a serious flag before a cauda equina one: still the most urgent first.
    "both": (("weight_loss", "bowel"), [scoring.CAUDA_EQUINA, scoring.SERIOUS]),
}


def expected_hits(codes, appointment) -> list[scoring.RedFlagHit]:
    """What the scoring rules find in the answers the patient sends, independently of storage."""
    pain = demo_answers(codes)["pain"]
    return scoring.red_flags_found(
        {flag.code: flag.code in codes for flag in scoring.RED_FLAGS},
        date_of_birth=appointment.patient.date_of_birth,
        onset=datetime.date.fromisoformat(pain["onset_date"]),
    )


def send(client, token, codes, capture) -> None:
    """Every step with Next, then Send; the alert goes out on commit of the step that holds
    the first flag."""
    with capture(execute=True):
        for step, data in demo_answers(codes).items():
            response = client.post(
                reverse("intake:step", args=[token, step]), {**data, "action": "next"}
            )
            assert response.status_code == 302, step
        assert client.post(reverse("intake:review_answers", args=[token])).status_code == 302


@pytest.fixture(params=list(CASES))
def case(request, client, intake_appointment, django_capture_on_commit_callbacks):
    """An intake sent with the case's flags; the desk and the therapist get any alert."""
    appointment, token = intake_appointment
    User.objects.create_user("desk@stride.example", role=User.Role.FRONT_DESK, is_staff=True)
    codes, groups = CASES[request.param]
    hits = expected_hits(codes, appointment)
    assert scoring.red_flag_groups(hits) == groups  # the case is what its name says
    send(client, token, codes, django_capture_on_commit_callbacks)
    intake = IntakeAssessment.objects.get(appointment=appointment)
    return {"intake": intake, "token": token, "hits": hits}


def test_the_done_page_shows_exactly_the_advice_for_the_flags(client, case):
    html = client.get(reverse("intake:done", args=[case["token"]])).content.decode()
    advice = scoring.advice_for(case["hits"])
    if not advice:
        assert 'id="red-flag-advice"' not in html
        for line in scoring.RED_FLAG_ADVICE.values():
            assert escape(line) not in html
        return
    block = html.split('id="red-flag-advice"', 1)[1].split("</div>", 1)[0]
    shown = re.findall(r'<p class="mb-2 fw-semibold">(.*?)</p>', block, flags=re.S)
    assert shown == [escape(line) for line in advice]
    emergency = scoring.CAUDA_EQUINA in scoring.red_flag_groups(case["hits"])
    alert_tag = html[: html.index('id="red-flag-advice"')].rsplit("<div", 1)[1]
    assert ("alert-danger" in alert_tag) == emergency
    assert ("alert-warning" in alert_tag) == (not emergency)


def test_the_review_page_shows_exactly_the_advice_the_patient_was_given(client, case):
    intake = case["intake"]
    client.force_login(intake.appointment.therapist.user)
    response = client.get(reverse("intake:review", args=[intake.pk]))
    html = response.content.decode()
    advice = scoring.advice_for(case["hits"])
    assert response.context["review"].red_flag_advice == advice
    told = re.findall(r"<em>The patient was told:</em> (.*?)</p>", html, flags=re.S)
    assert told == [escape(line) for line in advice]
    if not advice:
        assert 'id="red-flags"' not in html
        return
    # Each flag once, most urgent group first.
    flagged = re.findall(r'data-flag="([a-z_]+)"', html)
    assert sorted(flagged) == sorted(hit.code for hit in case["hits"])
    groups = [scoring.RED_FLAGS_BY_CODE[code].group for code in flagged]
    order = scoring.RED_FLAG_GROUP_ORDER
    assert groups == sorted(groups, key=order.index)


def test_the_alert_names_no_group_and_no_advice(case):
    groups = scoring.red_flag_groups(case["hits"])
    if not groups:
        assert mail.outbox == []
        return
    assert len(mail.outbox) == 2  # the therapist and the desk
    for message in mail.outbox:
        assert message.subject == alerts.ALERT_SUBJECT
        text = f"{message.subject}\n{message.body}"
        assert health_information_in(text, case["intake"].patient) == []


def test_stored_codes_read_back_as_the_hits_scoring_found(intake_appointment):
    appointment, _ = intake_appointment
    for codes, _groups in CASES.values():
        hits = expected_hits(codes, appointment)
        assert scoring.red_flag_hits([hit.code for hit in hits]) == hits


def test_the_computed_age_flag_and_a_retired_code_read_back_as_serious():
    hits = scoring.red_flag_hits(["retired_question", scoring.AGE_ONSET, "bladder"])
    assert [(hit.code, hit.group) for hit in hits] == [
        ("bladder", scoring.CAUDA_EQUINA),
        ("retired_question", scoring.SERIOUS),
        (scoring.AGE_ONSET, scoring.SERIOUS),
    ]
    assert hits[2].summary == scoring.AGE_ONSET_SUMMARY
    assert scoring.red_flag_groups(hits) == [scoring.CAUDA_EQUINA, scoring.SERIOUS]
    assert scoring.advice_for(hits) == [
        scoring.RED_FLAG_ADVICE[scoring.CAUDA_EQUINA],
        scoring.RED_FLAG_ADVICE[scoring.SERIOUS],
    ]
    assert scoring.red_flag_hits([]) == []
