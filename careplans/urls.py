"""Care plans, mounted at /plans/: the therapist's workspace, then the patient's pages."""

from django.urls import path

from careplans import views, views_flares, views_patient

app_name = "careplans"
urlpatterns = [
    # Therapist workspace
    path("", views.PatientListView.as_view(), name="patients"),
    path("library/", views.LibraryView.as_view(), name="library"),
    path("library/<slug:slug>/", views.ExerciseDetailView.as_view(), name="exercise"),
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
    path("<int:pk>/publish/", views.PlanPublishView.as_view(), name="publish"),
    path("<int:pk>/revise/", views.PlanReviseView.as_view(), name="revise"),
    path("<int:pk>/discard/", views.PlanDiscardView.as_view(), name="discard"),
    # The patient's own plans
    path("mine/", views_patient.MyActivePlanView.as_view(), name="my_active_plan"),
    path("mine/<int:pk>/", views_patient.MyPlanView.as_view(), name="my_plan"),
    path("mine/<int:pk>/handout.pdf", views_patient.MyPlanPdfView.as_view(), name="my_plan_pdf"),
    path("mine/<int:pk>/log/", views_patient.SessionLogView.as_view(), name="session_log"),
    path(
        "mine/<int:pk>/sessions/<int:log_pk>/flare/",
        views_patient.SessionFlareView.as_view(),
        name="session_flare",
    ),
]
