from django.urls import path

from intake.views import questionnaire as views
from intake.views import review as views_staff

app_name = "intake"
urlpatterns = [
    # Staff (therapist workspace)
    path("review/", views_staff.IntakeListView.as_view(), name="list"),
    path("review/<int:pk>/", views_staff.IntakeReviewView.as_view(), name="review"),
    path(
        "review/<int:pk>/acknowledge/",
        views_staff.IntakeAcknowledgeView.as_view(),
        name="acknowledge",
    ),
    path(
        "review/<int:pk>/reviewed/",
        views_staff.IntakeMarkReviewedView.as_view(),
        name="mark_reviewed",
    ),
    path(
        "review/<int:pk>/assessment/",
        views_staff.ClinicalAssessmentView.as_view(),
        name="assessment",
    ),
    path(
        "review/<int:pk>/reassess/",
        views_staff.ReassessmentCreateView.as_view(),
        name="reassess_create",
    ),
    path(
        "review/<int:pk>/reassess/<int:request_pk>/",
        views_staff.ReassessmentLinkView.as_view(),
        name="reassess_link",
    ),
    # The patient's signed re-assessment link
    path("reassess/<str:token>/", views_staff.ReassessmentView.as_view(), name="reassess"),
    path(
        "reassess/<str:token>/outcomes/",
        views_staff.ReassessmentOutcomesView.as_view(),
        name="reassess_outcomes",
    ),
    # The patient's signed intake link
    path("<str:token>/", views.IntakeStartView.as_view(), name="start"),
    path("<str:token>/review/", views.IntakeReviewAnswersView.as_view(), name="review_answers"),
    path("<str:token>/done/", views.IntakeDoneView.as_view(), name="done"),
    path("<str:token>/<slug:step>/", views.IntakeStepView.as_view(), name="step"),
    path(
        "<str:token>/<slug:step>/autosave/",
        views.IntakeAutosaveView.as_view(),
        name="autosave",
    ),
]
