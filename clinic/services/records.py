"""The patient's right of access: one patient's records as a download, JSON or PDF, and the
audit event of each export (``AuditEvent`` action ``export``).

What goes in is gathered by ``clinic.selectors.records.patient_record`` (each app adds its
part); who may ask is ``clinic.access.patients_for_records``. The PDF is drawn by xhtml2pdf,
as the plan handout is, from the same data as the JSON, so the two never differ.
"""

import datetime
import io
import json
import zoneinfo

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from clinic.formatting import local_time, long_date
from clinic.models import AuditEvent, Patient
from clinic.selectors.records import patient_record
from clinic.services.audit import audit_record

FORMATS = {"json": "application/json", "pdf": "application/pdf"}
EMPTY = "—"


def record_export(*, request, patient: Patient, fmt: str, now=None) -> tuple[bytes, str, str]:
    """The record as ``(content, content type, file name)``; the export is audited first, so a
    failure while drawing cannot skip the trail. ``ValueError`` for an unknown format."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}.")
    audit_record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        patient_id=patient.pk,
        obj=patient,
        changed_values={"format": fmt},
        now=now,
    )
    record = patient_record(patient=patient, now=now)
    if fmt == "json":
        content = json.dumps(record, indent=2, ensure_ascii=False).encode()
    else:
        content = record_pdf(record)
    day = (record["generated_at"] or "")[:10]
    return content, FORMATS[fmt], f"stride-record-{patient.pk}-{day}.{fmt}"


def record_response(*, request, patient: Patient, fmt: str) -> HttpResponse:
    """The export as a download (patients' page and the admin alike)."""
    content, content_type, filename = record_export(request=request, patient=patient, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The PDF ---------------------------------------------------------------------------------


def _readable_moment(text: str) -> str | None:
    """An ISO date or instant of the record as the house writes it, with the year (a record
    spans years); None when ``text`` is neither."""
    if len(text) < 10 or text[4:5] != "-" or text[7:8] != "-":
        return None
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            return f"{long_date(day)}, {day.year}"
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    local = moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return f"{long_date(local.date())}, {local.year}, {local_time(moment, settings.TIME_ZONE)}"


def label(key) -> str:
    return str(key).replace("_", " ").capitalize()


def readable(value) -> str:
    """One value of the record as text for the PDF (nested lists and dicts on their lines)."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return _readable_moment(value) or value
    if isinstance(value, dict):
        return "\n".join(f"{label(k)}: {readable(v)}" for k, v in value.items())
    if isinstance(value, list):
        if all(isinstance(v, dict) for v in value):
            return "\n\n".join(readable(v) for v in value)
        return ", ".join(readable(v) for v in value)
    return str(value)


def record_pdf(record: dict) -> bytes:
    from xhtml2pdf import pisa

    sections = [
        {
            "title": s["title"],
            "items": [[(label(k), readable(v)) for k, v in item.items()] for item in s["items"]],
        }
        for s in record["sections"]
    ]
    html = render_to_string(
        "clinic/records_pdf.html",
        {
            "clinic_name": settings.CLINIC_NAME,
            "generated_at": readable(record["generated_at"]),
            "patient": [(label(k), readable(v)) for k, v in record["patient"].items()],
            "sections": sections,
        },
    )
    out = io.BytesIO()
    # No link_callback: the record has no images or links to fetch, so nothing is loaded.
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise ValueError(f"The record could not be drawn ({result.err} errors).")
    return out.getvalue()
