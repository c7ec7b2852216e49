"""The patient's account (namespace ``account``), mounted at /account/ by ``clinic/urls.py``;
the pages are in ``clinic/views/account.py``."""

from django.urls import path

from clinic.views import account, records

app_name = "account"
urlpatterns = [
    path("", account.AccountHomeView.as_view(), name="home"),
    path("login/", account.LoginRequestView.as_view(), name="login"),
    path("login/sent/", account.LoginSentView.as_view(), name="login_sent"),
    path("login/<str:token>/", account.LoginLinkView.as_view(), name="login_link"),
    path("password/", account.SetPasswordView.as_view(), name="set_password"),
    path(
        "records/<int:patient_pk>/<str:fmt>/",
        records.RecordsDownloadView.as_view(),
        name="records",
    ),
    path("session/ping/", account.SessionPingView.as_view(), name="session_ping"),
]
