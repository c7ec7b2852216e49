"""The practice's forms for patients: the booking pages' (``clinic.views.booking``) and the
patient's account pages' (``clinic.views.account``: asking for a sign-in link, setting a
password). Booking rules come from the booking service; the admin reuses
``service_field_check``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from phonenumber_field.phonenumber import to_python
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from clinic.selectors.catalog import (
    appointment_type_list_online,
    location_queryset_active,
    therapist_list_active,
)
from clinic.services.booker import (
    DependentDetails,
    date_of_birth_check,
    dependent_details_check,
    phone_clean,
)
from clinic.services.booking import BookingError, therapist_location_check

# --- Booking --------------------------------------------------------------------------------------

ANY_THERAPIST = "any"
FOR_SELF, FOR_DEPENDENT = "self", "dependent"


def service_field_check(rule, value):
    """One of the booking service's rules for a field: its refusal is the field's error."""
    try:
        return rule(value)
    except BookingError as error:
        raise forms.ValidationError(error.message, code=error.code) from error


class BookingChoiceForm(forms.Form):
    """Step one: what, where, and with whom ("any" merges every therapist there)."""

    type = forms.ModelChoiceField(
        queryset=appointment_type_list_online(),
        widget=forms.RadioSelect,
        label="What would you like to book?",
        to_field_name="slug",
        error_messages={"required": "Choose the kind of appointment."},
    )
    location = forms.ModelChoiceField(
        queryset=location_queryset_active(),
        widget=forms.RadioSelect,
        label="Which clinic?",
        to_field_name="slug",
        error_messages={"required": "Choose a clinic."},
    )
    therapist = forms.ChoiceField(label="Therapist", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        therapists = therapist_list_active()
        self.fields["therapist"].choices = [(ANY_THERAPIST, "Any therapist (first available)")] + [
            (str(t.pk), t.name) for t in therapists
        ]
        self._therapists = {str(t.pk): t for t in therapists}
        self.fields["type"].label_from_instance = lambda t: t.name
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False

    def clean_therapist(self):
        value = self.cleaned_data.get("therapist") or ANY_THERAPIST
        return None if value == ANY_THERAPIST else self._therapists[value]

    def clean(self):
        cleaned = super().clean()
        therapist, location = cleaned.get("therapist"), cleaned.get("location")
        if therapist and location:
            try:
                therapist_location_check(therapist=therapist, location=location)
            except BookingError as error:
                self.add_error("therapist", forms.ValidationError(error.message, code=error.code))
        return cleaned


class TypedPhoneWidget(RegionalPhoneNumberWidget):
    """A stored number in the national format; a number that is not valid exactly as it was
    typed, so the patient sees what they typed beside the message (never "555-12" as "55512")."""

    def format_value(self, value):
        if isinstance(value, str):
            number = to_python(value, region=settings.PHONENUMBER_DEFAULT_REGION)
            if not (number and number.is_valid()):
                return value
        return super().format_value(value)


class PatientDetailsForm(forms.Form):
    """About the patient, or about the booker and someone they care for. Everything typed
    survives an error or a lost race."""

    for_whom = forms.ChoiceField(
        label="Who is this appointment for?",
        choices=[(FOR_SELF, "Me"), (FOR_DEPENDENT, "Someone I care for")],
        initial=FOR_SELF,
        required=False,  # left out: the booker's own appointment
        widget=forms.RadioSelect(attrs={"data-for-whom": ""}),
    )
    dependent_first_name = forms.CharField(label="Their first name", max_length=100, required=False)
    dependent_last_name = forms.CharField(label="Their last name", max_length=100, required=False)
    dependent_date_of_birth = forms.DateField(
        label="Their date of birth",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A child, or an adult you care for. Their intake and plan are their own; "
        "the links and texts come to you.",
    )
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(help_text="We send your confirmation and links here.")
    phone = forms.CharField(
        label="Mobile phone",
        help_text="For the reminder text the day before.",
        widget=TypedPhoneWidget,
    )
    date_of_birth = forms.DateField(
        required=False,  # yours, when the appointment is yours (``clean``)
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Helps us find your records and screen for some conditions.",
    )
    # Never ticked for the patient: consent to texts is their own act.
    sms_consent = forms.BooleanField(
        required=False,
        label="Text me a confirmation and a reminder the day before. Reply STOP at any time.",
    )
    reason_for_visit = forms.CharField(
        label="What brings you in?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence or two is plenty.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {
            "first_name": "given-name",
            "last_name": "family-name",
            "email": "email",
            "phone": "tel",
            "date_of_birth": "bday",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("for_whom"),
            Fieldset(
                "The person you care for",
                Div(
                    Div("dependent_first_name", css_class="col-6"),
                    Div("dependent_last_name", css_class="col-6"),
                    css_class="row g-2",
                ),
                "dependent_date_of_birth",
                css_id="dependent-fields",
            ),
            Fieldset(
                "You",
                Div(
                    Div("first_name", css_class="col-6"),
                    Div("last_name", css_class="col-6"),
                    css_class="row g-2",
                ),
                "email",
                "phone",
                "date_of_birth",
                Field("sms_consent"),
                "reason_for_visit",
            ),
            HTML(""),
            Submit("submit", "Review booking", css_class="btn-stride btn-lg w-100 btn-lg-touch"),
        )

    def clean_phone(self):
        return service_field_check(phone_clean, self.cleaned_data["phone"])

    def clean_date_of_birth(self):
        return service_field_check(date_of_birth_check, self.cleaned_data["date_of_birth"])

    def clean_for_whom(self):
        return self.cleaned_data["for_whom"] or FOR_SELF

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("for_whom") == FOR_DEPENDENT:
            self._dependent_check(cleaned)
        elif "date_of_birth" in cleaned and cleaned["date_of_birth"] is None:
            required = self.fields["date_of_birth"].error_messages["required"]
            self.add_error("date_of_birth", forms.ValidationError(required, code="required"))
        return cleaned

    def _dependent_check(self, cleaned):
        if "dependent_date_of_birth" not in cleaned:
            return  # not a date: the field says so already
        try:
            dependent_details_check(self.dependent_details())
        except BookingError as error:
            field = "dependent_date_of_birth" if error.code == "date_of_birth" else None
            if field is None:
                names = ("dependent_first_name", "dependent_last_name")
                field = next((f for f in names if not cleaned.get(f, "").strip()), names[0])
            self.add_error(field, forms.ValidationError(error.message, code=error.code))

    def dependent_details(self) -> DependentDetails | None:
        """The person cared for, when the booking is for them (after ``is_valid``)."""
        data = self.cleaned_data
        if data.get("for_whom") != FOR_DEPENDENT:
            return None
        return DependentDetails(
            first_name=data.get("dependent_first_name", ""),
            last_name=data.get("dependent_last_name", ""),
            date_of_birth=data.get("dependent_date_of_birth"),
        )

    def to_session(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("date_of_birth", "dependent_date_of_birth"):
            data[name] = data[name].isoformat() if data.get(name) else None
        return data


# --- The patient's account -----------------------------------------------------------------------


class LoginLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        help_text="The one you gave when you booked. We'll email you a link to sign in.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PatientSetPasswordForm(SetPasswordForm):
    """Django's own rules (settings.AUTH_PASSWORD_VALIDATORS); laid out for crispy."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PatientChangePasswordForm(PasswordChangeForm):
    """As above, once a password exists: the current one first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CareTeamAddForm(forms.Form):
    """The therapist's care-team form: a colleague and the last day they cover
    (``clinic.services.care_team.care_team_add`` holds the rules)."""

    therapist = forms.ModelChoiceField(
        queryset=None, label="Colleague", empty_label="Choose a therapist"
    )
    until = forms.DateField(
        label="Covers until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=("The last day they may open this patient's record."),
    )

    def __init__(self, *args, therapists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["therapist"].queryset = therapists
        self.fields["therapist"].label_from_instance = lambda therapist: therapist.name
