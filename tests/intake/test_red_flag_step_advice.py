"""The advice for a red-flag "yes" is shown on the red-flag step itself, under the question,
before anything else is asked: swapped in by the autosave as the answer is tapped, and, without
JavaScript, on the step again after Next or Back. The done page and the appointment card then
say that the clinic will call."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from clinic import links
from intake import scoring
from intake.models import IntakeAssessment
from intake.views import questionnaire as views
from tests.helpers import answers

pytestmark = pytest.mark.django_db

EMERGENCY = scoring.RED_FLAG_ADVICE[scoring.CAUDA_EQUINA]
CLINIC_CALLS = scoring.RED_FLAG_ADVICE[scoring.SERIOUS]


def step_url(token, step="red_flags"):
    return reverse("intake:step", args=[token, step])


def red_flag_step(*yes) -> dict:
    return {**answers()["red_flags"], **{code: "yes" for code in yes}}


def advice_block(html: str) -> str:
    """The advice block's markup, from its opening tag to its hidden field (or its end)."""
    start = html.rindex("<div", 0, html.index('id="red-flag-advice"'))
    return html[start : html.index("</div>\n</div>", start) + 12]


def advice_lines(html: str) -> list[str]:
    return re.findall(r'<p class="mb-2 fw-semibold">(.*?)</p>', advice_block(html), flags=re.S)


def position(html: str, code: str) -> int:
    return html.index(f'name="{code}"')


@pytest.fixture
def sent_to_step(client, intake_appointment):
    """POST the red-flag step (Next, no advice seen yet) and return the page it leads to."""
    _, token = intake_appointment

    def post(*yes, **extra):
        return client.post(step_url(token), {**red_flag_step(*yes), "action": "next", **extra})

    return post


# --- On the step, without JavaScript ------------------------------------------------------------


def test_a_cauda_equina_yes_brings_the_patient_back_to_the_step_with_the_advice(
    client, intake_appointment, sent_to_step
):
    appointment, token = intake_appointment
    response = sent_to_step("saddle_numbness")
    assert response.url == step_url(token) + "#red-flag-advice"  # not on to the next step

    html = client.get(step_url(token)).content.decode()
    assert advice_lines(html) == [escape(EMERGENCY)]
    block = advice_block(html)
    assert "alert-danger" in block.split(">", 1)[0]
    assert 'href="tel:911"' in block
    assert f'href="tel:{appointment.location.phone}"' in block
    assert views.CLINIC_TOLD in block
    # Right under the question answered yes, above the next one.
    advice = html.index('id="red-flag-advice"')
    assert position(html, "saddle_numbness") < advice < position(html, "both_legs")


def test_next_after_reading_the_advice_goes_on(client, intake_appointment, sent_to_step):
    _, token = intake_appointment
    sent_to_step("bladder")
    html = client.get(step_url(token)).content.decode()
    seen = re.search(r'name="advice_seen" value="([a-z_,]*)"', html).group(1)
    assert seen == scoring.CAUDA_EQUINA
    response = sent_to_step("bladder", advice_seen=seen)
    assert response.url == step_url(token, "history")


def test_a_serious_cause_says_the_clinic_will_call_without_911(
    client, intake_appointment, sent_to_step
):
    appointment, token = intake_appointment
    assert sent_to_step("night_pain").url.endswith("#red-flag-advice")
    html = client.get(step_url(token)).content.decode()
    assert advice_lines(html) == [escape(CLINIC_CALLS)]
    block = advice_block(html)
    assert "alert-warning" in block.split(">", 1)[0]
    assert "tel:911" not in block
    assert f'href="tel:{appointment.location.phone}"' in block
    assert position(html, "night_pain") < html.index('id="red-flag-advice"')


def test_both_groups_show_the_most_urgent_first_under_the_first_yes(
    client, intake_appointment, sent_to_step
):
    _, token = intake_appointment
    sent_to_step("weight_loss", "both_legs")
    html = client.get(step_url(token)).content.decode()
    assert advice_lines(html) == [escape(EMERGENCY), escape(CLINIC_CALLS)]
    assert html.count('id="red-flag-advice"') == 1
    assert position(html, "both_legs") < html.index('id="red-flag-advice"')
    assert html.index('id="red-flag-advice"') < position(html, "leg_weakness")


def test_a_new_group_after_the_advice_seen_is_shown_before_going_on(
    intake_appointment, sent_to_step
):
    _, token = intake_appointment
    response = sent_to_step("bladder", "trauma", advice_seen=scoring.CAUDA_EQUINA)
    assert response.url == step_url(token) + "#red-flag-advice"


def test_back_with_a_yes_shows_the_advice_before_leaving_the_step(client, intake_appointment):
    _, token = intake_appointment
    back = {"bowel": "yes", "action": "back"}
    assert client.post(step_url(token), back).url == step_url(token) + "#red-flag-advice"
    assert advice_lines(client.get(step_url(token)).content.decode()) == [escape(EMERGENCY)]
    seen = {**back, "advice_seen": scoring.CAUDA_EQUINA}
    assert client.post(step_url(token), seen).url == step_url(token, "pain")


def test_an_unfinished_step_with_a_yes_shows_the_advice_with_its_errors(client, intake_appointment):
    _, token = intake_appointment
    response = client.post(step_url(token), {"leg_weakness": "yes", "action": "next"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please answer yes or no." in html
    assert advice_lines(html) == [escape(EMERGENCY)]


def test_no_yes_no_advice_and_on_to_the_next_step(client, intake_appointment, sent_to_step):
    _, token = intake_appointment
    assert sent_to_step().url == step_url(token, "history")
    assert 'id="red-flag-advice"' not in client.get(step_url(token)).content.decode()


def test_the_step_page_has_no_inline_script_or_handler(client, intake_appointment, sent_to_step):
    _, token = intake_appointment
    sent_to_step("bladder")
    html = client.get(step_url(token)).content.decode()
    assert 'id="red-flag-advice"' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\son[a-z]+\s*=", html) == []


# --- As the answer is tapped (the autosave's answer, swapped in by htmx) ------------------------


def autosave(client, token, data):
    return client.post(reverse("intake:autosave", args=[token, "red_flags"]), data)


def slots(html: str) -> dict[str, str]:
    """Each out-of-band slot of the autosave's answer (what follows its tag), by question code."""
    found = {}
    for part in html.split('<div id="advice-after-')[1:]:
        tag, body = part.split(">", 1)
        assert 'hx-swap-oob="true"' in tag
        found[tag.split('"', 1)[0]] = body
    return found


def test_tapping_yes_answers_with_the_advice_in_the_slot_under_the_question(
    client, intake_appointment
):
    appointment, token = intake_appointment
    response = autosave(client, token, {"bladder": "no", "bowel": "yes"})
    assert response.status_code == 200
    html = response.content.decode()
    filled = {code: body for code, body in slots(html).items() if not body.startswith("</div>")}
    assert set(slots(html)) == {flag.code for flag in scoring.RED_FLAGS}
    assert list(filled) == ["bowel"]
    assert escape(EMERGENCY) in filled["bowel"]
    assert 'href="tel:911"' in filled["bowel"]
    assert f'href="tel:{appointment.location.phone}"' in filled["bowel"]
    assert 'name="advice_seen" value="cauda_equina"' in filled["bowel"]


def test_tapping_no_answers_with_empty_slots(client, intake_appointment):
    _, token = intake_appointment
    html = autosave(client, token, {"bladder": "no"}).content.decode()
    assert len(slots(html)) == len(scoring.RED_FLAGS)
    assert all(body.startswith("</div>") for body in slots(html).values())


def test_the_advice_seen_is_not_kept_as_an_answer(client, intake_appointment):
    appointment, token = intake_appointment
    autosave(client, token, {"bladder": "yes", "advice_seen": "cauda_equina"})
    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.drafts["red_flags"] == {"bladder": "yes"}


def test_other_steps_autosave_with_no_content(client, intake_appointment):
    _, token = intake_appointment
    response = client.post(reverse("intake:autosave", args=[token, "history"]), {"surgery": "x"})
    assert response.status_code == 204


# --- After the step: the done page and the appointment card -------------------------------------


def send_all(client, token, red_flags=(), corrected=()):
    """Every step with Next (a yes in ``corrected`` is tapped first, then changed to No)."""
    for code in corrected:
        autosave(client, token, {code: "yes"})
    for step, data in answers(red_flags).items():
        seen = {"advice_seen": "cauda_equina,serious"} if step == "red_flags" else {}
        client.post(step_url(token, step), {**data, **seen, "action": "next"})
    assert client.post(reverse("intake:review_answers", args=[token])).status_code == 302


def test_after_emergency_advice_the_done_page_says_the_clinic_will_call(client, intake_appointment):
    _, token = intake_appointment
    send_all(client, token, red_flags=["bladder"])
    html = client.get(reverse("intake:done", args=[token])).content.decode()
    assert advice_lines(html) == [escape(EMERGENCY)]
    assert 'href="tel:911"' in html
    assert views.CLINIC_WILL_CALL in html
    assert "who will go through them with you" not in html


def test_a_corrected_yes_is_not_advised_again_but_the_clinic_still_calls(
    client, intake_appointment
):
    _, token = intake_appointment
    send_all(client, token, corrected=["saddle_numbness"])
    html = client.get(reverse("intake:done", args=[token])).content.decode()
    assert 'id="red-flag-advice"' not in html
    assert views.CLINIC_WILL_CALL in html


def test_without_a_red_flag_the_done_page_reads_as_before(client, intake_appointment):
    _, token = intake_appointment
    send_all(client, token)
    html = client.get(reverse("intake:done", args=[token])).content.decode()
    assert 'id="red-flag-advice"' not in html
    assert views.CLINIC_WILL_CALL not in html
    assert "who will go through them with you" in html
    assert 'id="appointment-clinic-will-call"' not in html


def test_the_appointment_card_says_the_clinic_will_call(client, intake_appointment):
    appointment, token = intake_appointment
    manage = reverse(
        "appointment_manage", args=[links.appointment_token(appointment, salt=links.MANAGE_SALT)]
    )
    assert 'id="appointment-clinic-will-call"' not in client.get(manage).content.decode()
    autosave(client, token, {"bladder": "yes"})  # never sent
    html = client.get(manage).content.decode()
    assert 'id="appointment-clinic-will-call"' in html
    assert "The clinic will call you about your questionnaire" in html
    assert f'href="tel:{appointment.location.phone}"' in html
