import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from careplans import services
from careplans.models import CarePlan
from careplans.services import (
    LOG_IN_FUTURE,
    LOG_MAX_DAYS_BACK,
    LOG_NOT_IN_PLAN,
    LOG_NOTHING_DONE,
    LOG_TOO_OLD,
    NOT_ACTIVE_PLAN,
    CarePlanError,
)
from tests.factories.careplans import plan_with_items
from tests.factories.clinic import PatientFactory

pytestmark = pytest.mark.django_db


def _log(plan, **overrides):
    values = {
        "plan": plan,
        "patient": plan.patient,
        "performed_on": timezone.localdate(),
        "pain_after": 2,
        "items_done": list(plan.items.all()),
        "note": "Felt fine",
    }
    return services.session_log_create(**{**values, **overrides})


def test_a_session_is_logged_with_what_was_done():
    plan = plan_with_items(status=CarePlan.Status.ACTIVE)
    first = plan.items.order_by("position").first()
    log = _log(plan, items_done=[first.pk], pain_after=0)
    assert list(log.exercises_done.all()) == [first]
    assert (log.patient, log.pain_after, log.note) == (plan.patient, 0, "Felt fine")


@pytest.mark.parametrize(
    ("overrides", "message", "code"),
    [
        ({"performed_on": datetime.timedelta(days=1)}, LOG_IN_FUTURE, "log_in_future"),
        (
            {"performed_on": -datetime.timedelta(days=LOG_MAX_DAYS_BACK + 1)},
            LOG_TOO_OLD.format(days=LOG_MAX_DAYS_BACK),
            "log_too_old",
        ),
        ({"items_done": []}, LOG_NOTHING_DONE, "log_nothing_done"),
    ],
)
def test_session_rules(overrides, message, code):
    plan = plan_with_items(status=CarePlan.Status.ACTIVE)
    if "performed_on" in overrides:
        overrides["performed_on"] = timezone.localdate() + overrides["performed_on"]
    with pytest.raises(CarePlanError) as error:
        _log(plan, **overrides)
    assert error.value.message == message
    assert error.value.code == code


def test_only_the_patients_active_plan_takes_sessions():
    draft = plan_with_items()
    with pytest.raises(CarePlanError) as error:
        _log(draft)
    assert error.value.message == NOT_ACTIVE_PLAN
    assert error.value.code == "not_active_plan"
    active = plan_with_items(status=CarePlan.Status.ACTIVE)
    with pytest.raises(CarePlanError):
        _log(active, patient=PatientFactory())


def test_exercises_of_another_plan_are_refused():
    plan = plan_with_items(status=CarePlan.Status.ACTIVE)
    other = plan_with_items()
    with pytest.raises(CarePlanError) as error:
        _log(plan, items_done=list(other.items.all()))
    assert error.value.message == LOG_NOT_IN_PLAN
    assert error.value.code == "log_not_in_plan"


def test_pain_above_ten_is_refused():
    plan = plan_with_items(status=CarePlan.Status.ACTIVE)
    with pytest.raises(ValidationError):
        _log(plan, pain_after=11)
