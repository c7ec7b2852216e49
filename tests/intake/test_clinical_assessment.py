import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.models import AuditEvent, User
from intake import scoring
from intake.models import ClinicalAssessment
from intake.services import review as services_staff
from intake.views import review as views_staff
from tests.factories.clinic import UserFactory
from tests.helpers import submitted_intake

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 20)


def valid_data(**changes):
    data = {
        "assessed_on": DAY,
        "standing_posture": "Mild anterior pelvic tilt",
        "lumbar_lordosis": "increased",
        "pelvic_tilt": "anterior",
        "cadence_spm": 162,
        "overstriding": True,
        "forward_trunk_lean": False,
        "foot_strike": "heel",
        "thomas_test_left": True,
        "thomas_test_right": False,
        "slr_left_degrees": 70,
        "slr_right_degrees": 85,
        "hip_abductor_left": 4,
        "hip_abductor_right": 5,
        "hypotheses": ["running_form", "muscle_imbalance"],
        "notes": "Start with glute work.",
    }
    return {**data, **changes}


def post_data(**changes):
    """What the browser sends for a valid assessment."""
    data = {
        "assessed_on": DAY.isoformat(),
        "standing_posture": "Mild anterior pelvic tilt",
        "lumbar_lordosis": "increased",
        "pelvic_tilt": "anterior",
        "cadence_spm": "162",
        "overstriding": "true",
        "forward_trunk_lean": "unknown",
        "foot_strike": "heel",
        "pelvic_drop": "left",
        "thomas_test_left": "true",
        "thomas_test_right": "false",
        "slr_left_degrees": "70",
        "slr_right_degrees": "85",
        "hip_abductor_left": "4",
        "hip_abductor_right": "5",
        "single_leg_squat_left": "poor",
        "single_leg_squat_right": "good",
        "side_plank_left_seconds": "35",
        "side_plank_right_seconds": "50",
        "hypotheses": ["muscle_imbalance", "running_form"],
        "notes": "Weak left glute med; cue shorter stride.",
    }
    return {**data, **changes}


@pytest.fixture
def therapist_client(client, clinic_setup):
    client.force_login(clinic_setup["therapist"].user)
    return client


@pytest.fixture
def intake(intake_appointment):
    appointment, _ = intake_appointment
    return submitted_intake(appointment)


# --- The service --------------------------------------------------------------------------------


def test_saving_stores_the_assessment_and_marks_the_intake_reviewed(intake):
    therapist = intake.appointment.therapist
    assessment = services_staff.clinical_assessment_save(
        intake=intake, therapist=therapist, data=valid_data()
    )
    assessment.refresh_from_db()
    assert assessment.therapist == therapist
    assert (assessment.cadence_spm, assessment.thomas_test_left) == (162, True)
    # More than one hypothesis, stored in the list's own order.
    order = [code for code, _ in scoring.HYPOTHESES]
    assert assessment.hypotheses == sorted(["running_form", "muscle_imbalance"], key=order.index)
    intake.refresh_from_db()
    assert intake.reviewed_at is not None


def test_saving_again_updates_the_one_assessment(intake):
    therapist = intake.appointment.therapist
    services_staff.clinical_assessment_save(intake=intake, therapist=therapist, data=valid_data())
    services_staff.clinical_assessment_save(
        intake=intake, therapist=therapist, data=valid_data(cadence_spm=170, notes="")
    )
    assessment = ClinicalAssessment.objects.get()
    assert (assessment.cadence_spm, assessment.notes) == (170, "")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cadence_spm", 99, services_staff.CADENCE_RANGE),
        ("cadence_spm", 261, services_staff.CADENCE_RANGE),
        ("hip_abductor_left", 6, services_staff.HIP_ABDUCTOR_RANGE),
        ("hip_abductor_right", 6, services_staff.HIP_ABDUCTOR_RANGE),
        ("slr_left_degrees", 121, services_staff.SLR_RANGE),
        ("slr_right_degrees", 150, services_staff.SLR_RANGE),
        ("hypotheses", ["muscle_imbalance", "not_a_code"], services_staff.UNKNOWN_HYPOTHESIS),
    ],
)
def test_out_of_range_values_are_refused_with_a_clear_message(intake, field, value, message):
    with pytest.raises(ValidationError) as refused:
        services_staff.clinical_assessment_save(
            intake=intake, therapist=intake.appointment.therapist, data=valid_data(**{field: value})
        )
    assert refused.value.message_dict == {field: [message]}
    assert not ClinicalAssessment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cadence_spm", 100),
        ("cadence_spm", 260),
        ("hip_abductor_left", 0),
        ("slr_left_degrees", 120),
    ],
)
def test_range_limits_are_inclusive(intake, field, value):
    services_staff.clinical_assessment_save(
        intake=intake, therapist=intake.appointment.therapist, data=valid_data(**{field: value})
    )
    assert getattr(ClinicalAssessment.objects.get(), field) == value


def test_model_validation_runs_before_saving(intake):
    with pytest.raises(ValidationError) as refused:
        services_staff.clinical_assessment_save(
            intake=intake,
            therapist=intake.appointment.therapist,
            data=valid_data(gait_video_url="not a url"),
        )
    assert "gait_video_url" in refused.value.message_dict


# --- The page -----------------------------------------------------------------------------------


def test_the_form_is_in_sections_with_left_and_right_side_by_side(therapist_client, intake):
    html = therapist_client.get(reverse("intake:assessment", args=[intake.pk])).content.decode()
    sections = [
        "Posture",
        "Running form",
        "Imbalance and flexibility tests",
        "Working hypotheses",
        "Notes",
    ]
    positions = [html.index(f"{title}</legend>") for title in sections]
    assert positions == sorted(positions)
    assert html.count('class="side-pair') == 5
    for code, _label in scoring.HYPOTHESES:
        assert f'value="{code}"' in html
    assert 'type="checkbox"' in html


def test_saving_goes_back_to_the_review_page(therapist_client, intake):
    response = therapist_client.post(
        reverse("intake:assessment", args=[intake.pk]), post_data(), follow=True
    )
    assert response.redirect_chain == [(reverse("intake:review", args=[intake.pk]), 302)]
    html = response.content.decode()
    assert views_staff.ASSESSMENT_SAVED in html
    assert "162 steps/min" in html
    assert scoring.HYPOTHESIS_LABELS["muscle_imbalance"] in html
    assessment = ClinicalAssessment.objects.get(intake=intake)
    assert assessment.forward_trunk_lean is None
    assert assessment.thomas_test_right is False
    assert assessment.single_leg_squat_left == "poor"


def test_an_error_keeps_everything_typed(therapist_client, intake):
    response = therapist_client.post(
        reverse("intake:assessment", args=[intake.pk]), post_data(cadence_spm="90")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert services_staff.CADENCE_RANGE in html
    assert 'value="90"' in html
    assert "Weak left glute med; cue shorter stride." in html
    assert 'value="muscle_imbalance"' in html
    ticked = html.split('value="muscle_imbalance"')[1].split(">")[0]
    assert "checked" in ticked
    assert not ClinicalAssessment.objects.exists()


def test_editing_shows_what_was_saved(therapist_client, intake):
    services_staff.clinical_assessment_save(
        intake=intake, therapist=intake.appointment.therapist, data=valid_data()
    )
    html = therapist_client.get(reverse("intake:assessment", args=[intake.pk])).content.decode()
    assert 'value="162"' in html
    assert "Start with glute work." in html


def test_an_admin_without_a_therapist_record_signs_as_themselves(client, intake):
    admin = UserFactory(role=User.Role.ADMIN, is_staff=True, first_name="Ada", last_name="Lead")
    client.force_login(admin)
    client.post(reverse("intake:assessment", args=[intake.pk]), post_data())
    assessment = ClinicalAssessment.objects.get()
    assert assessment.author == admin  # the signature is the admin's own
    assert assessment.therapist == intake.appointment.therapist  # the treating therapist
    html = client.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert "Signed by Ada Lead" in html


def test_an_edit_keeps_the_old_version_and_shows_who_edited(client, intake):
    therapist = intake.appointment.therapist
    services_staff.clinical_assessment_save(intake=intake, therapist=therapist, data=valid_data())
    editor = UserFactory(role=User.Role.ADMIN, is_staff=True, first_name="Eve", last_name="Edit")
    services_staff.clinical_assessment_save(
        intake=intake, therapist=therapist, author=editor, data={"cadence_spm": 170}
    )
    assessment = ClinicalAssessment.objects.get()
    first, second = assessment.versions.order_by("version")
    assert (first.version, first.author, first.data["cadence_spm"]) == (1, therapist.user, 162)
    assert (second.version, second.author, second.data["cadence_spm"]) == (2, editor, 170)
    assert second.changed_fields == ["cadence_spm"]
    assert (assessment.version, assessment.author) == (2, editor)

    events = AuditEvent.objects.filter(object_type="intake.clinicalassessment").order_by("pk")
    assert [(e.action, e.changed_values) for e in events] == [("create", {}), ("change", {})]
    assert events.last().changed_fields == ["cadence_spm"]

    client.force_login(editor)
    html = client.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert "Edited by Eve Edit" in html
    assert 'id="assessment-history"' in html
    assert "changed cadence_spm" in html


def test_a_superuser_cannot_overwrite_an_assessment_in_the_admin(client, intake):
    therapist = intake.appointment.therapist
    services_staff.clinical_assessment_save(intake=intake, therapist=therapist, data=valid_data())
    assessment = ClinicalAssessment.objects.get()
    superuser = UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(superuser)
    url = reverse("admin:intake_clinicalassessment_change", args=[assessment.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(url, {**post_data(cadence_spm="200"), "intake": intake.pk})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert (assessment.version, assessment.author, assessment.cadence_spm) == (
        1,
        therapist.user,
        162,
    )


def test_a_clinic_admin_editing_in_the_workspace_makes_a_version_signed_by_them(client, intake):
    therapist = intake.appointment.therapist
    services_staff.clinical_assessment_save(intake=intake, therapist=therapist, data=valid_data())
    admin = UserFactory(role=User.Role.ADMIN, is_staff=True, first_name="Ada", last_name="Lead")
    client.force_login(admin)
    response = client.post(
        reverse("intake:assessment", args=[intake.pk]), post_data(cadence_spm="170")
    )
    assert response.status_code == 302
    assessment = ClinicalAssessment.objects.get()
    assert (assessment.version, assessment.author, assessment.therapist) == (2, admin, therapist)
    latest = assessment.versions.order_by("-version").first()
    assert latest.author == admin and "cadence_spm" in latest.changed_fields
    html = client.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert "Edited by Ada Lead at" in html
    assert 'id="assessment-history"' in html
