"""A session that flares reaches the patient's therapist through a real worker on Redis and
PostgreSQL, once, however many flaring sessions follow while the flare is open."""

import time

from django.core import mail
from django.utils import timezone

from careplans import services
from careplans.models import CarePlan, PainFlare
from careplans.services_flares import FLARE_EMAIL_SUBJECT
from tests.factories.careplans import plan_with_items
from tests.factories.clinic import PatientUserFactory


def _log(plan, pain):
    return services.session_log_create(
        plan=plan,
        patient=plan.patient,
        performed_on=timezone.localdate(),
        pain_after=pain,
        items_done=list(plan.items.all()),
    )


def test_a_flare_emails_the_plans_author_once_through_the_worker(celery_worker, settings):
    plan = plan_with_items(patient=PatientUserFactory(), status=CarePlan.Status.ACTIVE)

    _log(plan, 9)  # commits; the alert is queued on commit
    _log(plan, 10)  # the flare is still open: nothing more is queued

    deadline = time.monotonic() + 30
    flare = PainFlare.objects.get()
    while time.monotonic() < deadline and not mail.outbox:
        time.sleep(0.1)
    time.sleep(0.5)  # room for a second email, which must not come
    [email] = mail.outbox
    assert email.to == [plan.author.user.email]
    assert email.subject == FLARE_EMAIL_SUBJECT.format(clinic=settings.CLINIC_SHORT_NAME)
    assert plan.patient.last_name not in email.body
    flare.refresh_from_db()
    assert flare.therapist_notified_at is not None and flare.handled_at is None
