"""Booking for a caller (``clinic.admin.desk``): the form with what a caller gives on the phone.

Name, phone, email, date of birth, and the visit: type, location, therapist or any, day and
time on the location's clock. ``appointment_book`` (``source=front_desk``) checks and matches
or creates the patient exactly as online booking does (``PatientDetails``), so the desk never
sees the raw patient form or its "User" field. A refusal is the form's error; nothing typed is
lost.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from clinic.admin.common import booking_error_text
from clinic.models import Appointment
from clinic.selectors import (
    appointment_type_queryset_active,
    location_queryset_active,
    therapist_list_active,
)
from clinic.services import BookingError, appointment_book
from clinic.services.booker import PatientDetails, date_of_birth_check, phone_clean

SMS_CONSENT_LABEL = "The caller asked for text reminders (ask them; leave unticked if not)."


def _service_check(rule, value):
    try:
        return rule(value)
    except BookingError as error:
        raise ValidationError(error.message, code=error.code) from error


class BookCallerForm(forms.Form):
    """What a caller tells the desk, and the visit they want."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    phone = forms.CharField(label="Mobile phone", max_length=30)
    email = forms.EmailField(help_text="The confirmation and the patient's links go here.")
    date_of_birth = forms.DateField(
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="Helps match a returning patient.",
    )
    sms_consent = forms.BooleanField(required=False, label=SMS_CONSENT_LABEL)
    appointment_type = forms.ModelChoiceField(
        queryset=appointment_type_queryset_active(), label="Type"
    )
    location = forms.ModelChoiceField(queryset=location_queryset_active())
    therapist = forms.ModelChoiceField(
        queryset=therapist_list_active(), required=False, empty_label="Any therapist"
    )
    day = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    time = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "step": 300}),
        help_text="On the location's clock.",
    )
    reason_for_visit = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "cols": 40})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.appointment = None
        autocomplete = {
            "first_name": "off",
            "last_name": "off",
            "phone": "off",
            "email": "off",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    def clean_phone(self):
        return _service_check(phone_clean, self.cleaned_data["phone"])

    def clean_date_of_birth(self):
        return _service_check(date_of_birth_check, self.cleaned_data["date_of_birth"])

    def clean(self):
        cleaned = super().clean()
        if self.errors:  # the service only sees a complete, well-formed request
            return cleaned
        location = cleaned["location"]
        start = datetime.datetime.combine(cleaned["day"], cleaned["time"], location.zone)
        try:
            self.appointment = appointment_book(
                appointment_type=cleaned["appointment_type"],
                location=location,
                start=start,
                therapist=cleaned.get("therapist"),
                patient=PatientDetails(
                    first_name=cleaned["first_name"],
                    last_name=cleaned["last_name"],
                    email=cleaned["email"],
                    phone=cleaned["phone"],
                    date_of_birth=cleaned["date_of_birth"],
                    sms_consent=cleaned["sms_consent"],
                ),
                source=Appointment.Source.FRONT_DESK,
                reason_for_visit=cleaned.get("reason_for_visit", ""),
            )
        except BookingError as error:
            raise ValidationError(
                booking_error_text(error, zone=location.zone), code=error.code
            ) from error
        return cleaned
