from django.urls import path

from intake import views, views_staff

app_name = "intake"
urlpatterns = [
    # Staff (therapist workspace)
    path("review/", views_staff.IntakeListView.as_view(), name="list"),
    path("review/<int:pk>/", views_staff.IntakeReviewView.as_view(), name="review"),
    # The patient's signed link
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
