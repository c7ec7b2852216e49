"""The appointment admin's forms (``clinic.admin.appointments``): booking by phone and moving.

``AppointmentAddForm`` books through ``appointment_book`` and ``AppointmentChangeForm`` moves
through ``appointment_reschedule``; a refusal is the form's error. The start is entered on the
location's clock (``LocalSplitDateTimeField``) and given the location's zone here.
"""

import datetime

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError

from clinic.admin.common import booking_error_text, wall_clock
from clinic.models import Appointment
from clinic.services import BookingError, appointment_book, appointment_reschedule


class LocalSplitDateTimeField(forms.SplitDateTimeField):
    """A wall-clock date and time with no zone yet: the form applies the location's zone.

    Django's own field would read it in the server's zone, which is wrong for a location in
    another one.
    """

    widget = admin_widgets.AdminSplitDateTime

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = data_list
        if day in self.empty_values:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if time in self.empty_values:
            raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return datetime.datetime.combine(day, time)


class AppointmentAddForm(forms.ModelForm):
    """Books by phone: ``appointment_book(source=front_desk)`` validates and saves the row."""

    start = LocalSplitDateTimeField(label="Start", help_text="Local time at the chosen location.")

    class Meta:
        model = Appointment
        fields = [
            "patient",
            "appointment_type",
            "location",
            "therapist",
            "start",
            "reason_for_visit",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        therapist = self.fields.get("therapist")
        if therapist is not None:
            therapist.required = False
            therapist.empty_label = "Any therapist"
            therapist.help_text = "Leave as “Any therapist” to give the visit to whoever is free."

    def clean(self):
        cleaned = super().clean()
        if self.errors:  # the service only sees a complete, well-formed request
            return cleaned
        location = cleaned["location"]
        start = cleaned["start"].replace(tzinfo=location.zone)
        cleaned["start"] = start  # aware from here on, also for model validation
        try:
            appointment = appointment_book(
                appointment_type=cleaned["appointment_type"],
                location=location,
                start=start,
                patient=cleaned["patient"],
                therapist=cleaned.get("therapist"),
                source=Appointment.Source.FRONT_DESK,
                reason_for_visit=cleaned.get("reason_for_visit", ""),
            )
        except BookingError as error:
            raise ValidationError(
                booking_error_text(error, zone=location.zone), code=error.code
            ) from error
        # The booked row is the form's instance from here on; what the form copies onto it
        # in model validation must be what the service decided (the therapist it chose).
        self.instance = appointment
        cleaned.update(
            start=appointment.start,
            therapist=appointment.therapist,
            reason_for_visit=appointment.reason_for_visit,
        )
        return cleaned


class AppointmentChangeForm(forms.ModelForm):
    """Moving the start goes through ``appointment_reschedule``; the notes are plain edits."""

    start = LocalSplitDateTimeField(
        label="Start",
        help_text="Local time at the location. Changing it moves the visit if that time is free.",
    )

    class Meta:
        model = Appointment
        fields = ["start", "reason_for_visit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rescheduled = False
        if self.instance.pk:
            self.initial["start"] = wall_clock(self.instance.start, self.instance.location.zone)

    def clean(self):
        cleaned = super().clean()
        if self.errors or "start" not in self.fields:
            return cleaned
        zone = self.instance.location.zone
        start = cleaned["start"].replace(tzinfo=zone)
        cleaned["start"] = start
        if start == self.instance.start:
            return cleaned
        try:
            self.instance = appointment_reschedule(
                appointment=self.instance, start=start, by_patient=False
            )
        except BookingError as error:
            cleaned["start"] = self.instance.start  # leave the in-memory row as it is stored
            raise ValidationError(booking_error_text(error, zone=zone), code=error.code) from error
        self.rescheduled = True
        return cleaned
