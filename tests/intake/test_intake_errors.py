"""Every intake service says no with an IntakeError whose code names the rule; the pages
branch on that code, never on the wording of the message."""

import pytest
from django.urls import reverse

from intake.demo import demo_answers
from intake.forms import FORMS
from intake.models import OutcomeMeasure
from intake.services import errors, questionnaire, reassessment, review
from intake.services.errors import IntakeError

pytestmark = pytest.mark.django_db

ODI = [1] * 10


def sent_intake(appointment, *, steps=None):
    """An intake with ``steps`` (default: all) saved through their forms, then sent if all."""
    intake = questionnaire.intake_for_appointment(appointment=appointment)
    for step, data in demo_answers().items():
        if steps is not None and step not in steps:
            continue
        form = FORMS[step](data)
        assert form.is_valid(), (step, form.errors)
        intake = questionnaire.intake_step_save(intake=intake, step=step, data=form.to_json())
    return intake if steps is not None else questionnaire.intake_submit(intake=intake)


@pytest.fixture
def request_for(intake_appointment):
    appointment, _ = intake_appointment
    intake = sent_intake(appointment)
    return reassessment.reassessment_request_create(
        patient=intake.patient, therapist=appointment.therapist
    )


def refusal(call, **kwargs) -> IntakeError:
    with pytest.raises(IntakeError) as refused:
        call(**kwargs)
    return refused.value


def test_an_error_carries_its_code_and_message():
    error = IntakeError(errors.LOCKED, questionnaire.INTAKE_LOCKED)
    assert (error.code, error.message, str(error)) == (
        errors.LOCKED,
        questionnaire.INTAKE_LOCKED,
        questionnaire.INTAKE_LOCKED,
    )


def test_an_unknown_code_is_refused_rather_than_never_matched():
    with pytest.raises(ValueError, match="Unknown intake error code"):
        IntakeError("lockd", questionnaire.INTAKE_LOCKED)


def test_the_questionnaire_services_name_their_rules(intake_appointment):
    appointment, _ = intake_appointment
    started = sent_intake(appointment, steps=["pain"])
    unknown = refusal(questionnaire.intake_step_save, intake=started, step="diet", data={})
    assert (unknown.code, unknown.message) == (errors.UNKNOWN_STEP, questionnaire.UNKNOWN_STEP)
    draft = refusal(questionnaire.intake_draft_save, intake=started, step="diet", raw={})
    assert draft.code == errors.UNKNOWN_STEP
    incomplete = refusal(questionnaire.intake_submit, intake=started)
    assert incomplete.code == errors.INCOMPLETE
    assert incomplete.message.startswith("Please finish these sections first: red flags")
    not_sent = refusal(review.intake_mark_reviewed, intake=started)
    assert (not_sent.code, not_sent.message) == (errors.NOT_SUBMITTED, review.NOT_SUBMITTED)

    sent = questionnaire.intake_submit(intake=sent_intake(appointment, steps=list(FORMS)))
    for call, kwargs in [
        (questionnaire.intake_step_save, {"step": "pain", "data": {}}),
        (questionnaire.intake_draft_save, {"step": "pain", "raw": {}}),
        (questionnaire.intake_submit, {}),
    ]:
        locked = refusal(call, intake=sent, **kwargs)
        assert (locked.code, locked.message) == (errors.LOCKED, questionnaire.INTAKE_LOCKED)


def test_the_reassessment_services_name_their_rules(request_for):
    short = refusal(
        reassessment.reassessment_submit,
        reassessment=request_for,
        odi_answers=ODI[:9],
        nprs_now=3,
        psfs_ratings=[5, 5, 5],
    )
    assert (short.code, short.message) == (
        errors.INVALID_ANSWERS,
        reassessment.REASSESSMENT_ODI_SECTIONS,
    )
    unrated = refusal(
        reassessment.reassessment_submit,
        reassessment=request_for,
        odi_answers=ODI,
        nprs_now=3,
        psfs_ratings=[5, 11, 5],
    )
    assert (unrated.code, unrated.message) == (
        errors.INVALID_ANSWERS,
        reassessment.REASSESSMENT_RATINGS,
    )
    answers = {"odi_answers": ODI, "nprs_now": 3, "psfs_ratings": [5, 5, 5]}
    reassessment.reassessment_submit(reassessment=request_for, **answers)
    again = refusal(reassessment.reassessment_submit, reassessment=request_for, **answers)
    assert (again.code, again.message) == (
        errors.ALREADY_ANSWERED,
        reassessment.REASSESSMENT_ALREADY_SENT,
    )


def reassess_post():
    data = {f"odi_{i}": "1" for i in range(10) if i != 7}
    data["nprs_now"] = "2"
    data.update({f"psfs_{n}": "6" for n in range(3)})
    return data


@pytest.mark.parametrize(
    ("code", "message", "outcomes_page"),
    [
        # The page goes by the code: any wording of "already answered" shows the outcomes...
        (errors.ALREADY_ANSWERED, "Answered on another phone a moment ago.", True),
        # ...and another refusal stays on the form, even worded like "already answered".
        (errors.INVALID_ANSWERS, reassessment.REASSESSMENT_ALREADY_SENT, False),
    ],
)
def test_the_reassessment_page_branches_on_the_code(
    client, request_for, monkeypatch, code, message, outcomes_page
):
    def refuse(**kwargs):
        raise IntakeError(code, message)

    monkeypatch.setattr(reassessment, "reassessment_submit", refuse)
    token = reassessment.reassessment_token(request_for)
    response = client.post(reverse("intake:reassess", args=[token]), reassess_post())
    if outcomes_page:
        assert response.status_code == 302
        assert response.url == reverse("intake:reassess_outcomes", args=[token])
    else:
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [message]
    assert not OutcomeMeasure.objects.filter(source=OutcomeMeasure.Source.REASSESSMENT).exists()
