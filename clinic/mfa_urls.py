"""Staff's second factor (namespace ``mfa``), mounted at /accounts/mfa/ by ``clinic/urls.py``;
the pages are in ``clinic/views/mfa.py``."""

from django.urls import path

from clinic.views import mfa

app_name = "mfa"
urlpatterns = [
    path("", mfa.VerifyView.as_view(), name="verify"),
    path("setup/", mfa.SetupView.as_view(), name="setup"),
    path("recovery-codes/", mfa.RecoveryCodesView.as_view(), name="recovery_codes"),
]
