"""Forms for plan-of-care scheduling: joining the waitlist (patients, from the times page) and
planning a series of visits (the therapist's workspace and the admin). Rules come from the
services (``clinic.services.waitlist``, ``clinic.services.series``)."""

import datetime

from django import forms
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from clinic.forms import service_field_check
from clinic.models import Patient, WorkingHours
from clinic.models_scheduling import AppointmentSeries, WaitlistEntry
from clinic.selectors.catalog import (
    appointment_type_queryset_active,
    location_queryset_active,
    therapist_list_active,
)
from clinic.services.booker import phone_clean
from clinic.services.series import SeriesPlan

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class WaitlistJoinForm(forms.Form):
    """ "Tell me if something opens up": when suits, and how to reach the patient."""

    earliest_date = forms.DateField(label="From", widget=DATE_INPUT)
    latest_date = forms.DateField(label="Until", widget=DATE_INPUT)
    times_of_day = forms.MultipleChoiceField(
        label="Times that suit",
        choices=WaitlistEntry.TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked if any time suits.",
    )
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(help_text="We email each offer here too.")
    phone = forms.CharField(
        label="Mobile phone",
        help_text="We text you when a time opens up.",
        widget=RegionalPhoneNumberWidget,
    )
    sms_consent = forms.BooleanField(
        required=False,
        initial=True,
        label="Text me when a time opens up. Reply STOP at any time.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in {
            "first_name": "given-name",
            "last_name": "family-name",
            "email": "email",
            "phone": "tel",
        }.items():
            self.fields[name].widget.attrs["autocomplete"] = value

    def clean_phone(self):
        return service_field_check(phone_clean, self.cleaned_data["phone"])


class SeriesPlanForm(forms.Form):
    """A plan of care: how many visits, how often, which day(s) and time, with whom, where."""

    patient = forms.ModelChoiceField(queryset=Patient.objects.none())
    appointment_type = forms.ModelChoiceField(
        queryset=appointment_type_queryset_active(), label="Visit type"
    )
    location = forms.ModelChoiceField(queryset=location_queryset_active())
    therapist = forms.ModelChoiceField(queryset=therapist_list_active())
    count = forms.IntegerField(label="Number of visits", min_value=1, max_value=99, initial=8)
    frequency = forms.ChoiceField(choices=AppointmentSeries.Frequency.choices)
    weekdays = forms.TypedMultipleChoiceField(
        label="Day(s) of the week",
        choices=WorkingHours.Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    time = forms.TimeField(widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))
    first_date = forms.DateField(label="From", widget=DATE_INPUT)

    def __init__(self, *args, patients=None, therapist=None, **kwargs):
        super().__init__(*args, **kwargs)
        if patients is not None:
            self.fields["patient"].queryset = patients
        if therapist is not None:  # the therapist's own workspace: their own visits only
            self.fields["therapist"].queryset = therapist_list_active().filter(pk=therapist.pk)
            self.fields["therapist"].initial = therapist.pk
        self.fields["first_date"].initial = datetime.date.today() + datetime.timedelta(days=1)

    def plan(self) -> SeriesPlan:
        data = self.cleaned_data
        return SeriesPlan(
            patient=data["patient"],
            appointment_type=data["appointment_type"],
            location=data["location"],
            therapist=data["therapist"],
            frequency=data["frequency"],
            weekdays=tuple(data["weekdays"]),
            time=data["time"],
            first_date=data["first_date"],
            count=data["count"],
        )
