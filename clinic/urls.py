from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import webhooks
from clinic.views import booking as views

admin.site.site_header = "Stride front desk"
admin.site.site_title = "Stride admin"
admin.site.index_title = "Today's work"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    # Online booking
    path("book/", views.BookStartView.as_view(), name="book"),
    path("book/times/", views.BookTimesView.as_view(), name="book_times"),
    path("book/details/", views.BookDetailsView.as_view(), name="book_details"),
    path("book/review/", views.BookReviewView.as_view(), name="book_review"),
    path("book/confirmed/<str:token>/", views.BookConfirmedView.as_view(), name="book_confirmed"),
    # A patient's signed link
    path("appointments/<str:token>/", views.ManageView.as_view(), name="appointment_manage"),
    path(
        "appointments/<str:token>/reschedule/",
        views.RescheduleView.as_view(),
        name="appointment_reschedule",
    ),
    path("appointments/<str:token>/cancel/", views.CancelView.as_view(), name="appointment_cancel"),
    path(
        "appointments/<str:token>/calendar.ics",
        views.CalendarFileView.as_view(),
        name="appointment_ics",
    ),
    # Therapist workspace
    path("workspace/schedule/", views.MyScheduleView.as_view(), name="my_schedule"),
    # Twilio callbacks
    path("webhooks/sms/inbound", webhooks.sms_inbound, name="sms_inbound"),
    path("webhooks/sms/status", webhooks.sms_status, name="sms_status"),
    # Elsewhere
    path("intake/", include("intake.urls")),
    path("plans/", include("careplans.urls")),
    path("account/", include("clinic.account_urls")),
    path("api/", include("clinic.api.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
