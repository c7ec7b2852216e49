"""Every answer of the clinician's assessment survives an error and an edit.

The fields are read from ``ClinicalAssessmentForm`` itself, and each field's sample answer is
made from its kind (yes / no / not assessed, a choice, a number, text...), so a field added
to the form is covered here without touching this module. Pages are checked by reading the
HTML the browser gets: the radio checked, the option selected, the value filled in.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse

from intake.forms.assessment import ClinicalAssessmentForm, TriStateField
from intake.models import ClinicalAssessment
from intake.services import review as services
from tests.helpers import submitted_intake

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 20)
FORM_FIELDS = ClinicalAssessmentForm().fields
FIELDS = list(FORM_FIELDS)
TRI_STATE_FIELDS = [name for name, field in FORM_FIELDS.items() if isinstance(field, TriStateField)]
MULTIPLE = {n for n, field in FORM_FIELDS.items() if isinstance(field, forms.MultipleChoiceField)}
TRI_STATE = {"true": True, "false": False, "unknown": None}
# A value the service refuses after the form has accepted it, and one the form itself refuses.
INVALID = {
    "service": ("hip_abductor_left", "7", services.HIP_ABDUCTOR_RANGE),
    "form": ("slr_right_degrees", "a lot", "Enter a whole number."),
}


# --- Sample answers, made from each field's kind ----------------------------------------------


def sample(name: str, variant: int = 0) -> tuple[str | list[str], object]:
    """What the browser sends for ``name`` and what should then be stored.

    Two variants give a different answer for every field, so an edit can tell the typed
    answer from the stored one. Nothing is left at its default ("—", "Not assessed").
    """
    field = FORM_FIELDS[name]
    index = FIELDS.index(name)
    if isinstance(field, TriStateField):
        posted = ("true", "false")[(index + variant) % 2]
        return posted, TRI_STATE[posted]
    if isinstance(field, forms.MultipleChoiceField):
        codes = [code for code, _ in field.choices]
        chosen = codes[-2:] if variant == 0 else codes[:1]
        return chosen, [code for code in codes if code in chosen]
    if isinstance(field, forms.ChoiceField):
        codes = [code for code, _ in field.choices if code != ""]
        return codes[-1 - variant], codes[-1 - variant]
    if isinstance(field, forms.IntegerField):
        if name in services.ASSESSMENT_RANGES:
            _low, high, _ = services.ASSESSMENT_RANGES[name]
            number = high - variant - index % 3
        else:
            number = 20 + index + 7 * variant
        return str(number), number
    if isinstance(field, forms.DateField):
        day = DAY + datetime.timedelta(days=variant)
        return day.isoformat(), day
    if isinstance(field, forms.URLField):
        url = f"https://video.example.org/{name}/{variant}"
        return url, url
    if isinstance(field, forms.CharField):
        text = f'{name} #{variant}: Tom\'s "easy" run & <hills>'
        return text, text
    pytest.fail(f"No sample answer for {name} ({type(field).__name__}): add its kind to sample().")


def post_data(variant: int = 0, **changes) -> dict:
    """A complete, valid assessment as the browser sends it."""
    return {**{name: sample(name, variant)[0] for name in FIELDS}, **changes}


def stored(variant: int = 0) -> dict:
    return {name: sample(name, variant)[1] for name in FIELDS}


# --- Reading the page as the browser does -------------------------------------------------------


class _Answers(HTMLParser):
    """The value each named control of a page holds: what the browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") in ("radio", "checkbox"):
                self.values.setdefault(name, [])
                if "checked" in attrs:
                    self.values[name].append(attrs.get("value", "on"))
            else:
                self.values[name] = [attrs.get("value") or ""]
        elif tag == "select" and name:
            self._select = name
            self.values[name] = []
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the one line break that follows <textarea>.
            text = self.values[self._textarea][0]
            self.values[self._textarea] = [text.removeprefix("\r\n").removeprefix("\n")]
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data


def page_answers(response) -> dict[str, list[str]]:
    """The assessment form's answers as shown: ``name -> values`` (one value unless a list)."""
    parser = _Answers()
    parser.feed(response.content.decode())
    return {name: values for name, values in parser.values.items() if name in FIELDS}


def as_shown(posted) -> list[str]:
    return sorted(posted) if isinstance(posted, list) else [posted]


def resend(response) -> dict:
    """What the browser submits from ``response``'s form as it stands (nothing if unchosen)."""
    return {
        name: values if name in MULTIPLE else values[0]
        for name, values in page_answers(response).items()
        if values or name in MULTIPLE
    }


# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def therapist_client(client, clinic_setup):
    client.force_login(clinic_setup["therapist"].user)
    return client


@pytest.fixture
def intake(intake_appointment):
    appointment, _ = intake_appointment
    return submitted_intake(appointment)


@pytest.fixture
def url(intake):
    return reverse("intake:assessment", args=[intake.pk])


@pytest.fixture
def saved(intake):
    """An assessment stored with the first variant's answers, through the form and service."""
    form = ClinicalAssessmentForm(post_data(0))
    assert form.is_valid(), form.errors
    return services.clinical_assessment_save(
        intake=intake, therapist=intake.appointment.therapist, data=form.service_data()
    )


def posted_with_error(client, url, kind, variant=0):
    name, value, message = INVALID[kind]
    response = client.post(url, post_data(variant, **{name: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    return response


# --- The sample answers are what they claim -----------------------------------------------------


def test_the_form_asks_for_every_assessment_field_the_service_stores():
    assert sorted(FIELDS) == sorted(services.ASSESSMENT_FIELDS)


def test_the_samples_are_valid_complete_and_differ_between_variants():
    for variant in (0, 1):
        form = ClinicalAssessmentForm(post_data(variant))
        assert form.is_valid(), form.errors
    for name in FIELDS:
        assert sample(name, 0)[0] != sample(name, 1)[0], name
    assert set(TRI_STATE_FIELDS) == {
        "overstriding",
        "forward_trunk_lean",
        "thomas_test_left",
        "thomas_test_right",
    }


# --- A new assessment with an error -------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(INVALID))
@pytest.mark.parametrize("name", FIELDS)
def test_an_error_keeps_the_answer_to_every_field(therapist_client, url, kind, name):
    response = posted_with_error(therapist_client, url, kind)
    invalid_name, invalid_value, _ = INVALID[kind]
    posted = invalid_value if name == invalid_name else sample(name)[0]
    assert page_answers(response)[name] == as_shown(posted)
    assert not ClinicalAssessment.objects.exists()


@pytest.mark.parametrize("posted", sorted(TRI_STATE))
@pytest.mark.parametrize("name", TRI_STATE_FIELDS)
def test_an_error_keeps_each_yes_no_not_assessed_answer(therapist_client, url, name, posted):
    response = therapist_client.post(url, post_data(**{name: posted, "hip_abductor_left": "7"}))
    assert services.HIP_ABDUCTOR_RANGE in response.content.decode()
    assert page_answers(response)[name] == [posted]


def test_saving_after_an_error_stores_every_answer_the_page_kept(therapist_client, url, intake):
    response = posted_with_error(therapist_client, url, "service")
    data = {**resend(response), "hip_abductor_left": sample("hip_abductor_left")[0]}
    response = therapist_client.post(url, data)
    assert response.status_code == 302
    assessment = ClinicalAssessment.objects.get(intake=intake)
    assert {name: getattr(assessment, name) for name in FIELDS} == stored(0)


@pytest.mark.parametrize("posted", sorted(TRI_STATE))
@pytest.mark.parametrize("name", TRI_STATE_FIELDS)
def test_saving_after_an_error_stores_true_false_or_none(
    therapist_client, url, intake, name, posted
):
    response = therapist_client.post(url, post_data(**{name: posted, "hip_abductor_left": "7"}))
    assert response.status_code == 200
    data = {**resend(response), "hip_abductor_left": "4"}
    assert therapist_client.post(url, data).status_code == 302
    assert getattr(ClinicalAssessment.objects.get(intake=intake), name) is TRI_STATE[posted]


# --- Editing a stored assessment ----------------------------------------------------------------


@pytest.mark.parametrize("name", FIELDS)
def test_editing_shows_every_stored_answer(therapist_client, url, saved, name):
    response = therapist_client.get(url)
    assert page_answers(response)[name] == as_shown(sample(name, 0)[0])


@pytest.mark.parametrize("value", [True, False, None])
@pytest.mark.parametrize("name", TRI_STATE_FIELDS)
def test_editing_shows_a_stored_yes_no_or_not_assessed(therapist_client, url, saved, name, value):
    ClinicalAssessment.objects.filter(pk=saved.pk).update(**{name: value})
    posted = {True: "true", False: "false", None: "unknown"}[value]
    assert page_answers(therapist_client.get(url))[name] == [posted]


@pytest.mark.parametrize("kind", sorted(INVALID))
@pytest.mark.parametrize("name", FIELDS)
def test_an_error_on_edit_keeps_every_new_answer(therapist_client, url, saved, kind, name):
    response = posted_with_error(therapist_client, url, kind, variant=1)
    invalid_name, invalid_value, _ = INVALID[kind]
    posted = invalid_value if name == invalid_name else sample(name, 1)[0]
    assert page_answers(response)[name] == as_shown(posted)
    saved.refresh_from_db()
    assert {n: getattr(saved, n) for n in FIELDS} == stored(0)


def test_saving_an_edit_after_an_error_stores_the_new_answers(therapist_client, url, saved):
    response = posted_with_error(therapist_client, url, "service", variant=1)
    data = {**resend(response), "hip_abductor_left": sample("hip_abductor_left", 1)[0]}
    assert therapist_client.post(url, data).status_code == 302
    saved.refresh_from_db()
    assert {name: getattr(saved, name) for name in FIELDS} == stored(1)
