"""The patient's right of access: everything the practice holds about one patient, gathered
as plain data (JSON-ready) for the JSON and PDF downloads (``clinic.services.records``).

The practice's own part (the patient's details, appointments, texts sent and received) is
gathered here. The apps built on clinic add theirs through their ``AppConfig``, as with the
"My care" sections, so this module imports neither:

- ``patient_records``: the dotted path of a function called as ``f(patient=...)`` that returns
  a list of sections, each ``{"key": ..., "title": ..., "items": [{field: value, ...}, ...]}``
  with JSON values only (strings, numbers, booleans, None, lists and dicts of them).

Sections come in the order of INSTALLED_APPS (the layers). Nothing here checks who asks:
the views look the patient up through ``clinic.access.patients_for_records`` first.
"""

import datetime

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string

from clinic.models import InboundMessage, Message, Patient

RECORD_FORMAT = "stride-patient-record/1"


def when(moment) -> str | None:
    """A date or an instant as ISO 8601 (instants in UTC), or None."""
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return moment.astimezone(datetime.UTC).isoformat()
    return moment.isoformat()


def section(key: str, title: str, items: list[dict]) -> dict:
    return {"key": key, "title": title, "items": items}


def _details(patient: Patient) -> dict:
    return {
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "email": patient.email,
        "phone": str(patient.phone) if patient.phone else "",
        "date_of_birth": when(patient.date_of_birth),
        "sms_consent": patient.sms_consent,
        "sms_consent_at": when(patient.sms_consent_at),
        "record_created_at": when(patient.created_at),
    }


def _appointments(patient: Patient) -> list[dict]:
    rows = patient.appointments.select_related(
        "appointment_type", "location", "therapist__user"
    ).order_by("start")
    return [
        {
            "start": when(a.start),
            "end": when(a.end),
            "type": a.appointment_type.name,
            "location": a.location.name,
            "therapist": a.therapist.user.get_full_name(),
            "status": a.get_status_display(),
            "reason_for_visit": a.reason_for_visit,
            "cancellation_reason": a.cancellation_reason,
            "booked_at": when(a.created_at),
        }
        for a in rows
    ]


def _messages(patient: Patient) -> list[dict]:
    sent = [
        {
            "direction": "sent",
            "at": when(m.sent_at or m.created_at),
            "kind": m.get_kind_display(),
            "number": m.to,
            "text": m.body,
            "status": m.get_status_display(),
        }
        for m in Message.objects.filter(patient=patient).order_by("created_at", "pk")
    ]
    received = [
        {
            "direction": "received",
            "at": when(m.received_at),
            "kind": "Reply",
            "number": m.from_number,
            "text": m.body,
            "status": m.action,
        }
        for m in InboundMessage.objects.filter(patient=patient).order_by("received_at", "pk")
    ]
    return sorted(sent + received, key=lambda row: row["at"] or "")


def patient_record(*, patient: Patient, now: datetime.datetime | None = None) -> dict:
    """One patient's records, every app's part included."""
    sections = [
        section("appointments", "Appointments", _appointments(patient)),
        section("messages", "Texts sent and received", _messages(patient)),
    ]
    for config in apps.get_app_configs():
        if path := getattr(config, "patient_records", None):
            sections += import_string(path)(patient=patient)
    return {
        "format": RECORD_FORMAT,
        "generated_at": when(now or timezone.now()),
        "patient": _details(patient),
        "sections": sections,
    }
