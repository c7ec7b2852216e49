"""The front desk revokes a visit's links, or re-issues them by email or text."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from clinic import links
from clinic.models import Message, PatientLink
from clinic.services.patient_links import NO_INTAKE, LinkError, appointment_links_reissue
from tests.factories.clinic import PatientFactory, StaffUserFactory
from tests.helpers import another_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(clinic_setup):
    patient = PatientFactory(phone="+16125550155", sms_consent=True, email="jo@example.com")
    return another_visit(clinic_setup, patient=patient)


def actions_post(client, action, visit):
    changelist = reverse("admin:clinic_appointment_changelist")
    return client.post(changelist, {"action": action, "_selected_action": [visit.pk]})


def test_resending_the_intake_link_by_email_closes_the_old_one(
    client, visit, django_capture_on_commit_callbacks
):
    old = links.appointment_token(visit, salt=links.INTAKE_SALT)
    client.force_login(StaffUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = actions_post(client, "resend_intake_email", visit)
    assert response.status_code == 302
    assert client.get(reverse("intake:start", args=[old])).status_code == 410
    (email,) = mail.outbox
    assert email.to == ["jo@example.com"]
    (url,) = re.findall(r"https?://\S+/intake/\S+", email.body)
    assert url == links.intake_url(visit)
    assert client.get(url).status_code in (200, 302)


def test_resending_the_confirmation_by_text_sends_a_fresh_manage_link(
    visit, sms_outbox, django_capture_on_commit_callbacks
):
    old = links.appointment_token(visit, salt=links.MANAGE_SALT)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_links_reissue(appointment=visit, what="confirmation", channel="text")
    (sms,) = sms_outbox
    assert links.manage_url(visit) in sms["body"]
    assert old not in sms["body"]
    stored = Message.objects.get(kind=Message.Kind.LINK_RESENT)
    assert "http" not in stored.body and links.LINK_PLACEHOLDER in stored.body


def test_revoking_closes_every_link_and_a_fresh_one_is_issued_on_demand(client, visit):
    manage = links.appointment_token(visit, salt=links.MANAGE_SALT)
    client.force_login(StaffUserFactory())
    actions_post(client, "revoke_links", visit)
    assert PatientLink.objects.filter(revoked_at__isnull=True).count() == 0
    assert client.get(reverse("appointment_manage", args=[manage])).status_code == 410
    fresh = links.appointment_token(visit, salt=links.MANAGE_SALT)
    assert fresh != manage
    assert client.get(reverse("appointment_manage", args=[fresh])).status_code == 200


def test_a_visit_without_intake_has_no_intake_link_to_resend(clinic_setup, booked_follow_up):
    with pytest.raises(LinkError) as caught:
        appointment_links_reissue(appointment=booked_follow_up, what="intake", channel="email")
    assert caught.value.message == NO_INTAKE


@pytest.fixture
def booked_follow_up(clinic_setup):
    visit = another_visit(clinic_setup)
    visit.appointment_type.needs_intake = False
    visit.appointment_type.save()
    return visit
