"""Forms for the library, the plan builder, the patient's session log and handling a flare-up.

Forms collect and shape input; the rules are in ``careplans/services.py`` and the models'
``clean()``. The dose form is a ModelForm, so the model's “reps or hold, not both” check shows
next to the fields the therapist typed in.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from careplans.library_file import library_current
from careplans.models import (
    PAIN_MAX,
    CarePlan,
    CarePlanTemplate,
    Exercise,
    PrescribedExercise,
    region_label,
)
from careplans.selectors import careplan_items_this_week, exercise_filter_options
from careplans.services_flares import FLARE_NOTE_REQUIRED

PAIN_REQUIRED = "Tap a number for your pain now to save the session."
DATE_INPUT = {"type": "date"}


class LinesField(forms.CharField):
    """A list of strings edited as one line each (instructions, cues, mistakes, tags)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(line) for line in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return [str(line).strip() for line in value if str(line).strip()]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


def _region_choices() -> list[tuple[str, str]]:
    return [("", "---------"), *library_current().body_regions.items()]


class ExerciseAdminForm(forms.ModelForm):
    body_region = forms.ChoiceField(choices=_region_choices)
    video_url = forms.URLField(required=False, assume_scheme="https")
    instructions = LinesField(required=False, help_text="One step per line, in order.")
    cues = LinesField(required=False, help_text="One cue per line.")
    common_mistakes = LinesField(required=False, help_text="One per line.")
    contraindications = LinesField(
        required=False,
        help_text="One caution tag per line (see contraindication_tags in the library).",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Exercise
        fields = [
            "name",
            "slug",
            "category",
            "body_region",
            "difficulty",
            "is_active",
            "instructions",
            "cues",
            "common_mistakes",
            "default_sets",
            "default_reps",
            "default_hold_seconds",
            "per_side",
            "equipment",
            "contraindications",
            "image",
            "video_url",
            "easier",
            "harder",
        ]


class LibraryFilterForm(forms.Form):
    """The library's search box and filters (GET)."""

    q = forms.CharField(
        label="Search by name",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. bridge"}),
    )
    category = forms.ChoiceField(label="Category", required=False)
    region = forms.ChoiceField(label="Body region", required=False)
    equipment = forms.ChoiceField(label="Equipment", required=False)
    difficulty = forms.TypedChoiceField(
        label="Difficulty", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = exercise_filter_options()
        self.fields["category"].choices = [("", "All categories"), *options["categories"]]
        self.fields["region"].choices = [("", "All regions")] + [
            (region, region_label(region)) for region in options["regions"]
        ]
        self.fields["equipment"].choices = [("", "Any equipment"), *options["equipment"]]
        self.fields["difficulty"].choices = [("", "Any difficulty"), *options["difficulties"]]

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.exercise_list``; an invalid value is ignored."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "category": data.get("category") or "",
            "body_region": data.get("region") or "",
            "equipment": data.get("equipment") or "",
            "difficulty": data.get("difficulty"),
        }


class PlanStartForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=CarePlanTemplate.objects.filter(is_active=True),
        required=False,
        widget=forms.RadioSelect,
        empty_label="Blank plan",
        label="Start from",
    )
    title = forms.CharField(
        max_length=120, required=False, help_text="Leave empty to use the template's name."
    )
    start_date = forms.DateField(widget=forms.DateInput(attrs=DATE_INPUT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()


class PlanDetailsForm(forms.ModelForm):
    class Meta:
        model = CarePlan
        fields = ["title", "goals", "start_date", "review_date"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
            "review_date": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DoseForm(forms.ModelForm):
    """One exercise's dose in the builder; prefixed per item so many fit on one page."""

    class Meta:
        model = PrescribedExercise
        fields = ["sets", "reps", "hold_seconds", "times_per_week", "sides", "load", "notes"]
        labels = {
            "reps": "Reps",
            "hold_seconds": "Hold (s)",
            "times_per_week": "Times / week",
            "load": "Load or band",
            "notes": "Note to the patient",
        }
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "sets": forms.NumberInput(attrs={"min": 1, "max": 10, "inputmode": "numeric"}),
            "reps": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "hold_seconds": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "times_per_week": forms.NumberInput(
                attrs={"min": 1, "max": 14, "inputmode": "numeric"}
            ),
        }
        help_texts = {"load": "", "notes": ""}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", f"item-{kwargs['instance'].pk}")
        super().__init__(*args, **kwargs)


class SessionLogForm(forms.Form):
    """Quick on a phone: this week's exercises ticked, an optional note, one tap on the pain
    number saves."""

    exercises = forms.ModelMultipleChoiceField(
        queryset=PrescribedExercise.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="What did you do?",
        error_messages={"required": "Tick at least one exercise you did."},
    )
    note = forms.CharField(
        label="Anything to tell your therapist? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    performed_on = forms.DateField(
        label="Done on",
        widget=forms.DateInput(
            attrs={**DATE_INPUT, "class": "form-control form-control-sm w-auto"}, format="%Y-%m-%d"
        ),
    )
    pain_after = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(PAIN_MAX + 1)],
        coerce=int,
        error_messages={"required": PAIN_REQUIRED},
    )

    def __init__(self, *args, plan: CarePlan, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = plan.items.select_related("exercise").order_by("position")
        self.fields["exercises"].queryset = queryset
        self.fields["exercises"].label_from_instance = lambda item: (
            f"{item.exercise.name} · {item.dose}"
        )
        today = timezone.localdate()
        if items is None:
            items = careplan_items_this_week(plan=plan, items=list(queryset), on=today)
        self.fields["exercises"].initial = [item.pk for item in items]
        self.fields["performed_on"].initial = today
        self.fields["performed_on"].widget.attrs["max"] = today.isoformat()


class PainFlareHandleForm(forms.Form):
    """Mark a flare-up handled: what the therapist did about it, in a sentence or two."""

    note = forms.CharField(
        label="What did you do about it?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": FLARE_NOTE_REQUIRED},
    )
