"""The patient's short re-assessment form: the Oswestry sections, pain now, and the PSFS
activities they named at intake, each rated again.

Used by the patient's signed re-assessment link (intake/views/reassessment.py). The form
type-checks input only; answering once and one rating per activity are the rules of
intake/services/reassessment.py.
"""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from intake.forms.questionnaire import OswestryForm, nprs_field
from intake.schema import NPRS_CHOICES, Goal


class ReassessmentForm(OswestryForm):
    """The short re-assessment: the same ten Oswestry sections, pain now, and the PSFS
    activities the patient named at intake, each rated again 0–10."""

    title = "How are you getting on?"
    intro = (
        "The same questions as before, so your therapist can see what has changed. "
        "For each Oswestry section choose the statement that best describes you today."
    )

    def __init__(self, *args, activities: list[Goal] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = list(activities)
        self.fields["nprs_now"] = nprs_field("How bad is your pain right now?")
        for n, goal in enumerate(self.activities):
            self.fields[f"psfs_{n}"] = forms.TypedChoiceField(
                label=goal["activity"],
                choices=NPRS_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"data-inline": "scale"}),
                help_text=f"At intake you rated this {goal['rating']}.",
                error_messages={"required": "Rate this activity from 0 (unable) to 10."},
            )

    @property
    def helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        sections = [
            Fieldset("Daily life", *self.odi_names),
            Fieldset("Pain", InlineRadios("nprs_now")),
        ]
        if self.activities:
            sections.append(
                Fieldset(
                    "Your activities: how well can you do each today? "
                    "0 = unable, 10 = as well as before",
                    *[InlineRadios(name) for name in self.psfs_names],
                )
            )
        helper.layout = Layout(*sections)
        return helper

    @property
    def odi_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("odi_")]

    @property
    def psfs_names(self) -> list[str]:
        return [f"psfs_{n}" for n in range(len(self.activities))]

    def odi_answers(self) -> list[int | None]:
        return self.to_json()["answers"]

    def psfs_ratings(self) -> list[int]:
        return [self.cleaned_data[name] for name in self.psfs_names]
