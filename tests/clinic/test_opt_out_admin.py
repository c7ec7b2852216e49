"""The do-not-text list in the admin: the desk sees, searches, adds; removes only with a note."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditEvent, SmsOptOut, User
from clinic.services import opt_outs
from tests.factories.clinic import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("admin:clinic_smsoptout_changelist")
ADD = reverse("admin:clinic_smsoptout_add")


def remove_url(opt_out):
    return reverse("admin:clinic_smsoptout_remove", args=[opt_out.pk])


@pytest.fixture
def desk(client):
    user = StaffUserFactory(role=User.Role.FRONT_DESK)
    client.force_login(user)
    return user


def listed(phone, days_ago=3, source=SmsOptOut.Source.SMS):
    return SmsOptOut.objects.create(
        phone=phone, opted_out_at=timezone.now() - datetime.timedelta(days=days_ago), source=source
    )


def test_the_desk_sees_the_list_and_finds_a_number_however_typed(
    client, desk, django_assert_max_num_queries
):
    listed("+16125550123")
    listed("+17635550186")
    listed("+16515550100", source=SmsOptOut.Source.STAFF)
    with django_assert_max_num_queries(10):  # as many for any number of rows
        response = client.get(LIST)
    assert response.status_code == 200
    assert "+16125550123" in response.content.decode()
    assert "+17635550186" in response.content.decode()

    found = client.get(LIST, {"q": "(612) 555-0123"}).content.decode()
    assert "+16125550123" in found and "+17635550186" not in found


def test_the_desk_adds_a_callers_number_and_it_is_audited_with_the_note(client, desk):
    response = client.post(ADD, {"phone": "(612) 555-0123", "note": "Called; no texts please."})
    assert response.status_code == 302
    opt_out = SmsOptOut.objects.get()
    assert (opt_out.phone, opt_out.source) == ("+16125550123", SmsOptOut.Source.STAFF)
    assert opt_outs.opted_out_numbers(["+16125550123"]) == {"+16125550123"}
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_type="clinic.smsoptout")
    assert event.user == desk and event.reason == "Called; no texts please."
    assert event.changed_values == {"phone": "+16125550123"}


@pytest.mark.parametrize(
    ("typed", "message"),
    [("12", opt_outs.NOT_A_NUMBER), ("(612) 555-0123", opt_outs.ALREADY_LISTED)],
)
def test_a_bad_or_listed_number_is_refused_and_what_was_typed_stays(client, desk, typed, message):
    listed("+16125550123")
    response = client.post(ADD, {"phone": typed, "note": "Asked at the desk"})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Asked at the desk" in html and f'value="{typed}"' in html
    assert SmsOptOut.objects.count() == 1


def test_no_edit_and_no_bulk_delete(client, desk):
    opt_out = listed("+16125550123")
    change = client.post(
        reverse("admin:clinic_smsoptout_change", args=[opt_out.pk]), {"phone": "+16125550999"}
    )
    assert change.status_code == 403
    delete = client.post(
        reverse("admin:clinic_smsoptout_delete", args=[opt_out.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    bulk = client.post(
        LIST, {"action": "delete_selected", "_selected_action": [opt_out.pk], "post": "yes"}
    )
    assert SmsOptOut.objects.filter(pk=opt_out.pk).exists(), bulk.status_code


def test_removing_needs_a_note(client, desk):
    opt_out = listed("+16125550123")
    page = client.get(remove_url(opt_out))
    assert page.status_code == 200 and "+16125550123" in page.content.decode()

    for note in ("", "   "):
        response = client.post(remove_url(opt_out), {"note": note})
        assert response.status_code == 200
        assert opt_outs.NOTE_REQUIRED in response.content.decode()
    assert SmsOptOut.objects.filter(pk=opt_out.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).exists()


def test_removing_with_a_note_takes_the_number_off_and_audits_it(client, desk):
    opt_out = listed("+16125550123")
    response = client.post(remove_url(opt_out), {"note": "Patient phoned, wants reminders again"})
    assert response.status_code == 302
    assert not SmsOptOut.objects.exists()
    assert opt_outs.opted_out_numbers(["+16125550123"]) == set()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert event.user == desk and event.object_type == "clinic.smsoptout"
    assert event.reason == "Patient phoned, wants reminders again"
    assert event.changed_values == {"phone": "+16125550123", "source": "sms"}


def test_a_therapist_has_no_list_and_cannot_remove(client):
    opt_out = listed("+16125550123")
    therapist = StaffUserFactory(role=User.Role.THERAPIST)
    client.force_login(therapist)
    assert client.get(LIST).status_code == 403
    assert client.post(remove_url(opt_out), {"note": "why not"}).status_code == 403
    assert SmsOptOut.objects.filter(pk=opt_out.pk).exists()


def test_a_patient_cannot_reach_the_list(client):
    client.force_login(UserFactory())
    assert client.get(LIST).status_code == 302
