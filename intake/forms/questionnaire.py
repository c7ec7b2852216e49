"""The patient's questionnaire: one form per step, and the map from step to form.

Used by the questionnaire pages (intake/views/questionnaire.py), the re-assessment form and
the demo data. A step's cleaned data, made JSON-safe, is what gets stored; the steps, their
order, their choices and the stored shape are intake/schema.py's.
"""

import datetime
from decimal import Decimal

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from django import forms
from django.utils import timezone

from intake import schema, scoring
from intake.instruments import ODI_STATEMENTS, START_BACK_ITEM9, START_BACK_ITEMS
from intake.schema import (
    AGREE,
    AGREE_DISAGREE,
    DISAGREE,
    IMAGING,
    LEG_SIDES,
    NO,
    NPRS_CHOICES,
    ONSET,
    PAIN_AREAS,
    PAIN_TIMES,
    SURFACES,
    TRAINING_CHANGES,
    UNITS,
    YES,
    YES_NO,
)

BEST_ABOVE_WORST = "Your best can't be higher than your worst."
ONSET_IN_FUTURE = "The start date can't be in the future."


def nprs_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=NPRS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"data-inline": "scale"}),
        error_messages={"required": "Choose a number from 0 (no pain) to 10 (worst imaginable)."},
    )


class StepForm(forms.Form):
    """Base: turns cleaned data into JSON-safe values for storage; lays itself out for phones."""

    title = ""
    intro = ""

    @property
    def helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        inline = [
            name for name, field in self.fields.items() if "data-inline" in field.widget.attrs
        ]
        for name in inline:
            helper[name].wrap(InlineRadios)
        return helper

    def to_json(self) -> dict:
        def safe(value):
            if isinstance(value, datetime.date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return float(value)
            if isinstance(value, list | tuple):
                return [safe(v) for v in value]
            return value

        return {name: safe(value) for name, value in self.cleaned_data.items()}


class PainForm(StepForm):
    title = "Your pain"
    intro = "0 means no pain and 10 the worst pain you can imagine."

    nprs_now = nprs_field("How bad is your pain right now?")
    nprs_best = nprs_field("At its best in the last week?")
    nprs_worst = nprs_field("At its worst in the last week?")
    areas = forms.MultipleChoiceField(
        label="Where do you feel it?",
        choices=PAIN_AREAS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one place."},
    )
    legs = forms.ChoiceField(
        label="Does it go into your legs?", choices=LEG_SIDES, widget=forms.RadioSelect
    )
    times = forms.MultipleChoiceField(
        label="When do you notice it?",
        choices=PAIN_TIMES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    onset_date = forms.DateField(
        label="When did this episode start?",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Your best guess is fine.",
    )
    onset_how = forms.ChoiceField(
        label="How did it start?", choices=ONSET, widget=forms.RadioSelect
    )
    onset_story = forms.CharField(
        label="Anything that set it off?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_onset_date(self):
        onset = self.cleaned_data["onset_date"]
        if onset > timezone.localdate():
            raise forms.ValidationError(ONSET_IN_FUTURE)
        return onset

    def clean(self):
        cleaned = super().clean()
        best, worst = cleaned.get("nprs_best"), cleaned.get("nprs_worst")
        if best is not None and worst is not None and best > worst:
            self.add_error("nprs_best", BEST_ABOVE_WORST)
        return cleaned


ADVICE_SLOT = '{{% include "intake/_red_flag_advice_slot.html" with code="{code}" %}}'


class RedFlagsForm(StepForm):
    title = "Important health questions"
    intro = (
        "These questions help us spot the rare problems that need a doctor first. "
        "Please answer each one."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for flag in scoring.RED_FLAGS:
            self.fields[flag.code] = forms.ChoiceField(
                label=flag.question,
                choices=YES_NO,
                widget=forms.RadioSelect(attrs={"data-inline": "yes-no"}),
                error_messages={"required": "Please answer yes or no."},
            )

    @property
    def helper(self) -> FormHelper:
        """Each question followed by a slot where the advice appears, so that advice for a
        "yes" shows right under it, above the next question (intake/views/questionnaire.py
        fills the slot, and the autosave's response swaps it in)."""
        helper = super().helper
        helper.layout = Layout(
            *(
                item
                for flag in scoring.RED_FLAGS
                for item in (InlineRadios(flag.code), HTML(ADVICE_SLOT.format(code=flag.code)))
            )
        )
        return helper

    def to_json(self) -> dict:
        return schema.red_flags_step(
            {code: value == YES for code, value in self.cleaned_data.items()}
        )


class HistoryForm(StepForm):
    title = "Your history"

    previous_episodes = forms.ChoiceField(
        label="Have you had back pain like this before?", choices=YES_NO, widget=forms.RadioSelect
    )
    previous_details = forms.CharField(
        label="If so, when, and what helped?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    imaging = forms.MultipleChoiceField(
        label="Any scans of your back?",
        choices=IMAGING,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    imaging_findings = forms.CharField(label="What did they show?", required=False, max_length=500)
    surgery = forms.CharField(
        label="Any surgery (back or otherwise)?", required=False, max_length=500
    )
    medication = forms.CharField(label="Medicines you take now", required=False, max_length=500)
    other_conditions = forms.CharField(
        label="Other health conditions",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RunningForm(StepForm):
    title = "Your running"

    runs_per_week = forms.IntegerField(label="Runs per week", min_value=0, max_value=21)
    weekly_distance = forms.DecimalField(
        label="Weekly distance", min_value=0, max_value=300, decimal_places=1
    )
    distance_unit = forms.ChoiceField(
        label="Unit", choices=UNITS, initial="mi", widget=forms.RadioSelect
    )
    longest_run = forms.DecimalField(
        label="Longest run in the last month",
        min_value=0,
        max_value=150,
        decimal_places=1,
        required=False,
    )
    years_running = forms.IntegerField(label="Years running", min_value=0, max_value=80)
    recent_changes = forms.MultipleChoiceField(
        label="What changed in the 6 weeks before the pain?",
        choices=TRAINING_CHANGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    shoe_model = forms.CharField(label="Shoes you run in", required=False, max_length=100)
    shoe_miles = forms.IntegerField(
        label="Miles on those shoes (roughly)", min_value=0, max_value=5000, required=False
    )
    surfaces = forms.MultipleChoiceField(
        label="Where do you usually run?",
        choices=SURFACES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    cross_training = forms.CharField(
        label="Other training (swimming, cycling, gym…)", required=False, max_length=300
    )
    next_race = forms.CharField(label="Next race", required=False, max_length=100)
    next_race_date = forms.DateField(
        label="Its date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def to_json(self) -> dict:
        unit = self.cleaned_data["distance_unit"]
        longest = self.cleaned_data.get("longest_run")
        return schema.running_step(
            super().to_json(),
            weekly_km=schema.to_km(self.cleaned_data["weekly_distance"], unit),
            longest_run_km=None if longest is None else schema.to_km(longest, unit),
        )


class OswestryForm(StepForm):
    title = "How your back affects daily life"
    intro = (
        "For each section, choose the one statement that best describes you today. "
        "You may skip the section on sex life."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, (section, statements) in enumerate(ODI_STATEMENTS):
            self.fields[f"odi_{index}"] = forms.TypedChoiceField(
                label=section,
                choices=list(enumerate(statements)),
                coerce=int,
                widget=forms.RadioSelect,
                required=index not in scoring.ODI_SKIPPABLE,
                empty_value=None,
                error_messages={"required": "Please choose one statement."},
            )

    def to_json(self) -> dict:
        return schema.oswestry_step(
            [self.cleaned_data[f"odi_{i}"] for i in range(len(ODI_STATEMENTS))]
        )


class StartBackForm(StepForm):
    title = "Thinking about the last 2 weeks"
    intro = "Tick whether you agree or disagree with each statement."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, text in enumerate(START_BACK_ITEMS):
            self.fields[f"sb_{index}"] = forms.ChoiceField(
                label=text,
                choices=AGREE_DISAGREE,
                widget=forms.RadioSelect(attrs={"data-inline": "yes-no"}),
                error_messages={"required": "Please choose agree or disagree."},
            )
        self.fields["sb_8"] = forms.ChoiceField(
            label=START_BACK_ITEM9,
            choices=scoring.START_BACK_ITEM9_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": "Please choose one."},
        )

    def to_json(self) -> dict:
        items = [self.cleaned_data[f"sb_{i}"] == AGREE for i in range(len(START_BACK_ITEMS))]
        return schema.start_back_step(items, self.cleaned_data["sb_8"])


class GoalsForm(StepForm):
    title = "Your goals"
    intro = (
        "Name up to five activities you find hard because of your back — for example "
        "“run 5 km” or “sit through a work meeting” — and rate how well you can do each "
        "today: 0 = unable, 10 = as well as before."
    )
    SLOTS = 5

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(self.SLOTS):
            self.fields[f"activity_{n}"] = forms.CharField(
                label=f"Activity {n + 1}", required=False, max_length=120
            )
            self.fields[f"rating_{n}"] = forms.TypedChoiceField(
                label="How well today?",
                choices=[("", "—"), *NPRS_CHOICES],
                coerce=int,
                required=False,
                empty_value=None,
            )
        self.fields["get_back_to"] = forms.CharField(
            label="What would you most like to get back to?",
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def clean(self):
        cleaned = super().clean()
        named = 0
        for n in range(self.SLOTS):
            activity, rating = cleaned.get(f"activity_{n}"), cleaned.get(f"rating_{n}")
            if activity and rating is None:
                self.add_error(f"rating_{n}", "Rate this activity from 0 to 10.")
            if rating is not None and not activity:
                self.add_error(f"activity_{n}", "Name the activity you rated.")
            named += bool(activity)
        if not named:
            raise forms.ValidationError("Name at least one activity (three is ideal).")
        return cleaned

    def to_json(self) -> dict:
        activities = [
            schema.goal_of(self.cleaned_data[f"activity_{n}"], self.cleaned_data[f"rating_{n}"])
            for n in range(self.SLOTS)
            if self.cleaned_data.get(f"activity_{n}")
        ]
        return schema.goals_step(activities, self.cleaned_data["get_back_to"])


FORMS: dict[str, type[StepForm]] = {
    schema.PAIN: PainForm,
    schema.RED_FLAGS: RedFlagsForm,
    schema.HISTORY: HistoryForm,
    schema.RUNNING: RunningForm,
    schema.OSWESTRY: OswestryForm,
    schema.START_BACK: StartBackForm,
    schema.GOALS: GoalsForm,
}
STEPS: list[tuple[str, type[StepForm]]] = [(name, FORMS[name]) for name in schema.STEP_NAMES]


def initial_from_answers(step: str, answers: dict) -> dict:
    """A stored step as the initial values of its form (the reverse of ``to_json``)."""
    if step == schema.RED_FLAGS:
        flags = schema.red_flag_answers(answers)
        return {code: YES if value else NO for code, value in flags.items()}
    if step == schema.OSWESTRY:
        return {f"odi_{i}": v for i, v in enumerate(schema.oswestry_answers(answers))}
    if step == schema.START_BACK:
        start_back = schema.start_back(answers)
        initial = {f"sb_{i}": AGREE if v else DISAGREE for i, v in enumerate(start_back.items)}
        initial["sb_8"] = start_back.bothersome
        return initial
    if step == schema.GOALS:
        goals = schema.goals(answers)
        initial = {"get_back_to": goals.get_back_to}
        for n, goal in enumerate(goals.activities):
            initial[f"activity_{n}"] = goal["activity"]
            initial[f"rating_{n}"] = goal["rating"]
        return initial
    return dict(schema.step_answers(answers, step))
