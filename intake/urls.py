"""The intake's URLs: the staff review, re-assessment (the therapist's request and the
patient's signed link), and the patient's signed questionnaire link, in that order, so that
``review/`` and ``reassess/`` are matched before a questionnaire token."""

from django.urls import path

from intake.views import questionnaire, reassessment, review

app_name = "intake"
urlpatterns = [
    # Staff (therapist workspace)
    path("review/", review.IntakeListView.as_view(), name="list"),
    path("review/<int:pk>/", review.IntakeReviewView.as_view(), name="review"),
    path(
        "review/<int:pk>/acknowledge/",
        review.IntakeAcknowledgeView.as_view(),
        name="acknowledge",
    ),
    path(
        "review/<int:pk>/reviewed/",
        review.IntakeMarkReviewedView.as_view(),
        name="mark_reviewed",
    ),
    path(
        "review/<int:pk>/assessment/",
        review.ClinicalAssessmentView.as_view(),
        name="assessment",
    ),
    path(
        "review/<int:pk>/reassess/",
        reassessment.ReassessmentCreateView.as_view(),
        name="reassess_create",
    ),
    path(
        "review/<int:pk>/reassess/<int:request_pk>/",
        reassessment.ReassessmentLinkView.as_view(),
        name="reassess_link",
    ),
    # The patient's signed re-assessment link
    path("reassess/<str:token>/", reassessment.ReassessmentView.as_view(), name="reassess"),
    path(
        "reassess/<str:token>/outcomes/",
        reassessment.ReassessmentOutcomesView.as_view(),
        name="reassess_outcomes",
    ),
    # The patient's signed intake link
    path("<str:token>/", questionnaire.IntakeStartView.as_view(), name="start"),
    path(
        "<str:token>/review/",
        questionnaire.IntakeReviewAnswersView.as_view(),
        name="review_answers",
    ),
    path("<str:token>/done/", questionnaire.IntakeDoneView.as_view(), name="done"),
    path("<str:token>/<slug:step>/", questionnaire.IntakeStepView.as_view(), name="step"),
    path(
        "<str:token>/<slug:step>/autosave/",
        questionnaire.IntakeAutosaveView.as_view(),
        name="autosave",
    ),
]
