"""The patient's exercise-reminder form: days, a local time, text or email, on or off.

The rules (quiet hours, who can be texted) are in ``careplans.reminders``; the view puts the
service's message next to the form, keeping what was chosen.
"""

import datetime

from django import forms

from careplans.models_reminders import WEEKDAY_LABELS, ExerciseReminder

DEFAULT_TIME = datetime.time(18, 0)


class ReminderForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        choices=list(enumerate(WEEKDAY_LABELS)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="On these days",
    )
    local_time = forms.TimeField(
        label="At",
        widget=forms.TimeInput(
            attrs={"type": "time", "class": "form-control w-auto"}, format="%H:%M"
        ),
        error_messages={"required": "Choose a time.", "invalid": "Enter a time such as 18:00."},
    )
    channel = forms.ChoiceField(
        choices=ExerciseReminder.Channel.choices,
        widget=forms.RadioSelect,
        initial=ExerciseReminder.Channel.SMS,
        label="By",
    )
    is_on = forms.BooleanField(required=False, initial=True, label="Remind me")

    @classmethod
    def for_reminder(cls, reminder: ExerciseReminder | None, data=None) -> "ReminderForm":
        if reminder is None:
            initial = {"days": [0, 2, 4], "local_time": DEFAULT_TIME, "is_on": True}
        else:
            initial = {
                "days": reminder.weekdays,
                "local_time": reminder.local_time,
                "channel": reminder.channel,
                "is_on": reminder.is_on,
            }
        return cls(data=data, initial=initial, prefix="reminder")
