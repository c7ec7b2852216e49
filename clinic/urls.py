"""The root URLconf: the practice's pages (``clinic/views/``, by who uses them), the SMS
provider's callbacks, and the other apps' URLconfs, included by name."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import webhooks
from clinic.admin.desk import admin_home
from clinic.views import booking, manage, series, series_manage, site, waitlist, workspace

admin.site.site_header = "Stride front desk"
admin.site.site_title = "Stride admin"
admin.site.index_title = "Today's work"

urlpatterns = [
    path("", site.HomeView.as_view(), name="home"),
    path("signed-in/", site.landing, name="landing"),
    path("healthz", site.healthz, name="healthz"),
    path("favicon.ico", site.favicon),
    # Online booking
    path("book/", booking.BookStartView.as_view(), name="book"),
    path("book/times/", booking.BookTimesView.as_view(), name="book_times"),
    path("book/details/", booking.BookDetailsView.as_view(), name="book_details"),
    path("book/review/", booking.BookReviewView.as_view(), name="book_review"),
    path("book/confirmed/<str:token>/", booking.BookConfirmedView.as_view(), name="book_confirmed"),
    path("book/waitlist/", waitlist.WaitlistJoinView.as_view(), name="waitlist_join"),
    path(
        "waitlist/offers/<str:token>/", waitlist.WaitlistOfferView.as_view(), name="waitlist_offer"
    ),
    # A patient's signed link
    path("appointments/<str:token>/", manage.ManageView.as_view(), name="appointment_manage"),
    path(
        "appointments/<str:token>/reschedule/",
        manage.RescheduleView.as_view(),
        name="appointment_reschedule",
    ),
    path(
        "appointments/<str:token>/cancel/", manage.CancelView.as_view(), name="appointment_cancel"
    ),
    path(
        "appointments/<str:token>/cancel-series/",
        series_manage.SeriesCancelView.as_view(),
        name="appointment_cancel_series",
    ),
    path(
        "appointments/<str:token>/calendar.ics",
        manage.CalendarFileView.as_view(),
        name="appointment_ics",
    ),
    # Therapist workspace
    path("workspace/schedule/", workspace.MyScheduleView.as_view(), name="my_schedule"),
    path("workspace/series/", series.SeriesPlanView.as_view(), name="series_plan"),
    path(
        "workspace/patients/<int:patient_pk>/break-glass/",
        workspace.BreakGlassView.as_view(),
        name="break_glass",
    ),
    path(
        "workspace/patients/<int:patient_pk>/care-team/",
        workspace.CareTeamView.as_view(),
        name="care_team",
    ),
    path(
        "workspace/patients/<int:patient_pk>/care-team/<int:member_pk>/remove/",
        workspace.CareTeamRemoveView.as_view(),
        name="care_team_remove",
    ),
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
    path("accounts/mfa/", include("clinic.mfa_urls")),
    # The admin's home: the front desk lands on "Today" (``clinic.admin.desk``).
    path("admin/", admin_home),
    path("admin/", admin.site.urls),
]

# The site's error pages when DEBUG is off (clinic/views/errors.py).
handler404 = "clinic.views.errors.page_not_found"
handler500 = "clinic.views.errors.server_error"
