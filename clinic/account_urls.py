"""The patient's account, mounted at /account/."""

from django.urls import path

from clinic.views import account as account_views

app_name = "account"
urlpatterns = [
    path("", account_views.AccountHomeView.as_view(), name="home"),
    path("login/", account_views.LoginRequestView.as_view(), name="login"),
    path("login/sent/", account_views.LoginSentView.as_view(), name="login_sent"),
    path("login/<str:token>/", account_views.LoginLinkView.as_view(), name="login_link"),
    path("password/", account_views.SetPasswordView.as_view(), name="set_password"),
]
