"""Care plans, mounted at /plans/: the therapist's workspace, then the patient's pages."""

from django.urls import path

from careplans import views, views_flares, views_media, views_outcomes, views_patient, views_today

app_name = "careplans"
urlpatterns = [
    # Therapist workspace
    path("", views.PatientListView.as_view(), name="patients"),
    path("library/", views.LibraryView.as_view(), name="library"),
    path("outcomes/", views_outcomes.OutcomesView.as_view(), name="outcomes"),
    path("outcomes.csv", views_outcomes.OutcomesCsvView.as_view(), name="outcomes_csv"),
    path("library/<slug:slug>/", views.ExerciseDetailView.as_view(), name="exercise"),
    path(
        "library/<slug:slug>/media/",
        views_media.ExerciseMediaUploadView.as_view(),
        name="exercise_media_upload",
    ),
    path("patients/<int:patient_pk>/", views.PatientDetailView.as_view(), name="patient"),
    path("patients/<int:patient_pk>/new/", views.PlanStartView.as_view(), name="start"),
    path(
        "patients/<int:patient_pk>/flares/<int:flare_pk>/handled/",
        views_flares.PainFlareHandleView.as_view(),
        name="flare_handle",
    ),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/history/", views.PlanHistoryView.as_view(), name="history"),
    path("<int:pk>/handout.pdf", views.PlanPdfView.as_view(), name="pdf"),
    path("<int:pk>/edit/", views.BuilderView.as_view(), name="builder"),
    path("<int:pk>/edit/search/", views.ExerciseSearchView.as_view(), name="search"),
    path("<int:pk>/edit/items/", views.ItemAddView.as_view(), name="item_add"),
    path("<int:pk>/edit/items/<int:item_pk>/", views.ItemUpdateView.as_view(), name="item_update"),
    path("<int:pk>/edit/items/<int:item_pk>/move/", views.ItemMoveView.as_view(), name="item_move"),
    path(
        "<int:pk>/edit/items/<int:item_pk>/remove/",
        views.ItemRemoveView.as_view(),
        name="item_remove",
    ),
    path(
        "<int:pk>/items/<int:item_pk>/media/",
        views_media.ItemMediaUploadView.as_view(),
        name="item_media_upload",
    ),
    path(
        "media/<int:media_pk>/remove/", views_media.MediaRemoveView.as_view(), name="media_remove"
    ),
    # Photos and videos, for staff and patients alike: a signed, short-lived link
    path("media/<str:token>/", views_media.MediaFileView.as_view(), name="media_file"),
    path("<int:pk>/publish/", views.PlanPublishView.as_view(), name="publish"),
    path("<int:pk>/revise/", views.PlanReviseView.as_view(), name="revise"),
    path("<int:pk>/discard/", views.PlanDiscardView.as_view(), name="discard"),
    # The patient's own plans
    path("mine/", views_patient.MyActivePlanView.as_view(), name="my_active_plan"),
    path("mine/today/", views_today.MyTodayView.as_view(), name="my_today"),
    path("mine/<int:pk>/", views_patient.MyPlanView.as_view(), name="my_plan"),
    path("mine/<int:pk>/reminders/", views_today.ReminderSetView.as_view(), name="reminder_set"),
    path("mine/<int:pk>/handout.pdf", views_patient.MyPlanPdfView.as_view(), name="my_plan_pdf"),
    path("mine/<int:pk>/log/", views_patient.SessionLogView.as_view(), name="session_log"),
    path(
        "mine/<int:pk>/sessions/<int:log_pk>/flare/",
        views_patient.SessionFlareView.as_view(),
        name="session_flare",
    ),
]
