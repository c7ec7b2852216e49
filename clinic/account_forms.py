"""Forms for the patient's account: asking for a sign-in link and setting a password."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import SetPasswordForm


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
