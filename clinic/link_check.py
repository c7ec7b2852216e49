"""The second factor of a patient's link: on a device that has not shown it before, the link
asks once for the patient's date of birth (a signed cookie remembers the device). Five wrong
answers revoke the link until the front desk re-issues it. Used by every link page's view
(manage, intake, re-assessment); off with ``PATIENT_LINK_BIRTH_DATE_CHECK``.
"""

import datetime

from django.conf import settings
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date

from clinic import links
from clinic.models import PatientLink

DEVICE_COOKIE = "stride_device"
DEVICE_SALT = "stride.device"
DEVICE_DAYS = 365
BIRTH_DATE_FIELD = "birth_date_check"
MAX_TRIES = 5
TEMPLATE = "clinic/link_birth_date.html"
BIRTH_DATE_WRONG = "That date of birth does not match our records. {left} tries left."


def _known_patients(request) -> list[str]:
    value = request.get_signed_cookie(
        DEVICE_COOKIE, default="", salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400
    )
    return [pk for pk in value.split(",") if pk]


def birth_date_check(request, link: PatientLink, *, skip: bool = False):
    """None when the page may open; else the response to give (the question, or the closed
    page once the link is locked)."""
    patient = link.patient
    if skip or not settings.PATIENT_LINK_BIRTH_DATE_CHECK or patient.date_of_birth is None:
        return None
    known = _known_patients(request)
    if str(patient.pk) in known:
        return None
    error = None
    if request.method == "POST" and BIRTH_DATE_FIELD in request.POST:
        try:
            typed = parse_date(request.POST.get(BIRTH_DATE_FIELD, ""))
        except ValueError:
            typed = None
        if typed == patient.date_of_birth:
            response = redirect(request.get_full_path())
            response.set_signed_cookie(
                DEVICE_COOKIE,
                ",".join([*known, str(patient.pk)][-20:]),
                salt=DEVICE_SALT,
                max_age=DEVICE_DAYS * 86400,
                httponly=True,
                secure=request.is_secure(),
                samesite="Lax",
            )
            return response
        PatientLink.objects.filter(pk=link.pk).update(failed_checks=F("failed_checks") + 1)
        link.refresh_from_db(fields=["failed_checks"])
        if link.failed_checks >= MAX_TRIES:
            PatientLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
            return links.closed_response(request)
        error = BIRTH_DATE_WRONG.format(left=MAX_TRIES - link.failed_checks)
    context = {"error": error, "field": BIRTH_DATE_FIELD, "today": datetime.date.today()}
    return render(request, TEMPLATE, context, status=400 if error else 200)
