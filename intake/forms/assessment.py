"""The clinician's assessment form: posture, running form, tests and working hypotheses.

Used by the staff review pages (intake/views/review.py). The form collects and type-checks
input only; the rules (ranges, allowed hypotheses) live in intake/services/review.py, whose
ValidationError the view puts back on the form.
"""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row
from django import forms
from django.forms.models import fields_for_model, model_to_dict

from intake import scoring
from intake.models import ClinicalAssessment
from intake.services.review import ASSESSMENT_FIELDS, ASSESSMENT_RANGES


class TriStateField(forms.NullBooleanField):
    """A yes / no / not-assessed answer stored as True / False / None, shown as radios.

    The radios' values are "true", "false" and "unknown". ``prepare_value`` gives one of them
    for anything the field can hold: the stored True / False / None when editing, or the
    submitted text when the form comes back with an error. So the answer given is the radio
    checked either way.
    """

    def prepare_value(self, value):
        return {True: "true", False: "false"}.get(self.to_python(value), "unknown")


def tri_state(label: str, *, yes: str = "Yes", no: str = "No", unknown: str = "Not assessed"):
    return TriStateField(
        label=label,
        required=False,
        widget=forms.RadioSelect(choices=[("unknown", unknown), ("false", no), ("true", yes)]),
    )


def _number(name: str, label: str, **attrs) -> forms.IntegerField:
    """An optional whole number; the browser gets the service's range as a hint only."""
    if name in ASSESSMENT_RANGES:
        low, high, _ = ASSESSMENT_RANGES[name]
        attrs = {"min": low, "max": high, **attrs}
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", **attrs}),
    )


def _side_by_side(title: str, left, right) -> Fieldset:
    return Fieldset(
        title,
        Row(Column(left, css_class="col-6"), Column(right, css_class="col-6")),
        css_class="side-pair",
    )


class ClinicalAssessmentForm(forms.Form):
    """The evaluation in sections: posture, running form, tests (left | right), hypotheses."""

    def __init__(self, *args, instance: ClinicalAssessment | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(instance, fields=ASSESSMENT_FIELDS)
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                ClinicalAssessment,
                fields=[
                    "standing_posture",
                    "lumbar_lordosis",
                    "pelvic_tilt",
                    "leg_length_notes",
                    "foot_strike",
                    "pelvic_drop",
                    "arm_swing",
                    "single_leg_squat_left",
                    "single_leg_squat_right",
                    "notes",
                ],
                widgets={
                    "standing_posture": forms.Textarea(attrs={"rows": 2}),
                    "notes": forms.Textarea(attrs={"rows": 4, "aria-label": "Notes"}),
                },
                labels={
                    "leg_length_notes": "Leg length",
                    "pelvic_drop": "Pelvic drop (side that drops)",
                    "single_leg_squat_left": "Left",
                    "single_leg_squat_right": "Right",
                    "notes": "",
                },
            )
        )
        for field in self.fields.values():
            # One way of saying "not recorded" across the form.
            if isinstance(field, forms.ChoiceField) and field.choices and field.choices[0][0] == "":
                field.choices = [("", "—"), *field.choices[1:]]
        self.fields["gait_video_url"] = forms.URLField(
            label="Gait video link", required=False, assume_scheme="https"
        )
        self.fields["assessed_on"] = forms.DateField(
            label="Assessed on", widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["cadence_spm"] = _number("cadence_spm", "Cadence (steps/min, easy pace)")
        self.fields["overstriding"] = tri_state("Overstriding")
        self.fields["forward_trunk_lean"] = tri_state("Forward trunk lean")
        for side in ("left", "right"):
            title = side.capitalize()
            self.fields[f"thomas_test_{side}"] = tri_state(
                title, yes="Positive (tight)", no="Negative", unknown="Not tested"
            )
            self.fields[f"slr_{side}_degrees"] = _number(f"slr_{side}_degrees", f"{title} (°)")
            self.fields[f"side_plank_{side}_seconds"] = _number(
                f"side_plank_{side}_seconds", f"{title} (s)"
            )
            self.fields[f"hip_abductor_{side}"] = _number(f"hip_abductor_{side}", f"{title} (0–5)")
        self.fields["prone_plank_seconds"] = _number("prone_plank_seconds", "Prone plank (s)")
        self.fields["hypotheses"] = forms.MultipleChoiceField(
            label="Tick all that apply",
            choices=scoring.HYPOTHESES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "Posture",
                Row(
                    Column("assessed_on", css_class="col-12 col-md-4"),
                    Column("lumbar_lordosis", css_class="col-6 col-md-4"),
                    Column("pelvic_tilt", css_class="col-6 col-md-4"),
                ),
                "standing_posture",
                "leg_length_notes",
            ),
            Fieldset(
                "Running form",
                Row(
                    Column("cadence_spm", css_class="col-12 col-md-4"),
                    Column("foot_strike", css_class="col-6 col-md-4"),
                    Column("pelvic_drop", css_class="col-6 col-md-4"),
                ),
                Row(
                    Column(InlineRadios("overstriding"), css_class="col-12 col-md-6"),
                    Column(InlineRadios("forward_trunk_lean"), css_class="col-12 col-md-6"),
                ),
                "arm_swing",
                "gait_video_url",
            ),
            Fieldset(
                "Imbalance and flexibility tests",
                HTML('<p class="small text-muted">Left and right side by side.</p>'),
                _side_by_side(
                    "Thomas test (hip flexor length)",
                    InlineRadios("thomas_test_left"),
                    InlineRadios("thomas_test_right"),
                ),
                _side_by_side("Straight-leg raise", "slr_left_degrees", "slr_right_degrees"),
                _side_by_side(
                    "Hip abductor strength (manual muscle test)",
                    "hip_abductor_left",
                    "hip_abductor_right",
                ),
                _side_by_side(
                    "Single-leg squat", "single_leg_squat_left", "single_leg_squat_right"
                ),
                _side_by_side("Side plank", "side_plank_left_seconds", "side_plank_right_seconds"),
                Row(Column("prone_plank_seconds", css_class="col-6")),
            ),
            Fieldset("Working hypotheses", Field("hypotheses")),
            Fieldset("Notes", "notes"),
        )

    def service_data(self) -> dict:
        """The cleaned values, named as the service expects them ("" for empty text)."""
        data = {}
        for name in ASSESSMENT_FIELDS:
            value = self.cleaned_data.get(name)
            if value is None and isinstance(self.fields[name], forms.CharField):
                value = ""
            data[name] = value
        data["hypotheses"] = list(data["hypotheses"] or [])
        return data
