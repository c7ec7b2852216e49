import pytest

from careplans import selectors
from careplans.models import CarePlanTemplate
from careplans.selectors import HYPOTHESIS_REASON, RED_FLAG_REASON, Caution, CautionContext
from intake.scoring import HYPOTHESIS_LABELS
from tests.factories.careplans import (
    CarePlanFactory,
    CarePlanTemplateFactory,
    ExerciseFactory,
    PrescribedExerciseFactory,
)
from tests.factories.intake import ClinicalAssessmentFactory, IntakeFactory

pytestmark = pytest.mark.django_db


def test_a_tag_clashing_with_a_hypothesis_warns(stand_in_library):
    sit_up = ExerciseFactory.build(contraindications=["loaded_lumbar_flexion"])
    context = CautionContext(hypotheses=("herniated_disc", "muscle_imbalance"))
    assert selectors.exercise_cautions(exercise=sit_up, context=context) == [
        Caution(
            tag="loaded_lumbar_flexion",
            label="Loaded lumbar flexion",
            reason=HYPOTHESIS_REASON.format(label=HYPOTHESIS_LABELS["herniated_disc"]),
        )
    ]


def test_no_warning_without_a_clash(stand_in_library):
    sit_up = ExerciseFactory.build(contraindications=["loaded_lumbar_flexion"])
    plain = ExerciseFactory.build(contraindications=[])
    facet = CautionContext(hypotheses=("facet_joint",))
    assert selectors.exercise_cautions(exercise=sit_up, context=facet) == []
    assert selectors.exercise_cautions(exercise=plain, context=facet) == []


def test_red_flag_tags_warn_when_the_intake_had_any_red_flag(stand_in_library):
    hops = ExerciseFactory.build(contraindications=["high_impact"])
    assert selectors.exercise_cautions(exercise=hops, context=CautionContext()) == []
    cautions = selectors.exercise_cautions(exercise=hops, context=CautionContext(red_flags=True))
    assert [(c.tag, c.reason) for c in cautions] == [("high_impact", RED_FLAG_REASON)]


def test_plan_cautions_come_from_its_assessment_and_intake(stand_in_library):
    assessment = ClinicalAssessmentFactory(
        hypotheses=["herniated_disc"], intake=IntakeFactory(red_flags=["saddle_anaesthesia"])
    )
    plan = CarePlanFactory(
        patient=assessment.intake.patient, intake=assessment.intake, assessment=assessment
    )
    sit_up = PrescribedExerciseFactory(
        plan=plan, exercise=ExerciseFactory(contraindications=["loaded_lumbar_flexion"])
    )
    hops = PrescribedExerciseFactory(
        plan=plan, exercise=ExerciseFactory(contraindications=["high_impact"])
    )
    fine = PrescribedExerciseFactory(plan=plan)
    found = selectors.careplan_cautions(plan=plan, items=[sit_up, hops, fine])
    assert set(found) == {sit_up.pk, hops.pk}
    assert found[hops.pk][0].reason == RED_FLAG_REASON


def test_urgent_intake_counts_as_a_red_flag():
    intake = IntakeFactory(is_urgent=True)
    assert selectors.caution_context_for(intake=intake, assessment=None).red_flags is True


def test_templates_written_for_the_hypotheses_come_first():
    CarePlanTemplate.objects.update(is_active=False)  # the real library's
    CarePlanTemplateFactory(name="A general", suggested_for=[])
    disc = CarePlanTemplateFactory(name="Z disc", suggested_for=["herniated_disc", "sciatica"])
    imbalance = CarePlanTemplateFactory(name="M glutes", suggested_for=["muscle_imbalance"])
    choices = selectors.template_choice_list(hypotheses=["sciatica", "herniated_disc"])
    assert choices[0].template == disc and choices[0].suggested
    assert choices[0].matched == (
        HYPOTHESIS_LABELS["sciatica"],
        HYPOTHESIS_LABELS["herniated_disc"],
    )
    assert imbalance in [c.template for c in choices if not c.suggested]


def test_the_real_library_suggests_a_template_for_every_treatable_hypothesis():
    suggested = {
        code
        for choice in selectors.template_choice_list(hypotheses=list(HYPOTHESIS_LABELS))
        for code in choice.template.suggested_for
    }
    assert {"muscle_imbalance", "herniated_disc"} <= suggested
