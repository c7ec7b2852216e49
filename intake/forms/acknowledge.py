"""The clinician's acknowledgement of an urgent intake: what was done, and a note.

Used by the review page (intake/views/review.py). The rule that "other" needs a note is the
service's (``intake.services.review.intake_urgent_acknowledge``); its errors come back onto
this form by field.
"""

from django import forms

from intake.models import UrgentAcknowledgement


class UrgentAcknowledgeForm(forms.Form):
    action = forms.ChoiceField(
        label="What was done",
        choices=UrgentAcknowledgement.Action.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what was done."},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed for “Other”; anything the next person should know.",
    )
