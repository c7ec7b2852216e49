"""One-time sign-in links for patients, emailed on request.

A token is signed with its own salt and carries the user's id and their ``last_login`` at the
time it was made. It expires after ``LOGIN_LINK_MAX_AGE`` seconds, and it is single-use:
signing in updates ``last_login`` (Django's ``user_logged_in`` signal), after which the value in
the token no longer matches, so the link (and any older one) stops working.

Only active patient accounts get links; staff sign in with their password. A patient's account
is made the first time they ask for a link (booking leaves none). Whether an address has an
account is never revealed: the caller shows the same page either way.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from clinic import links
from clinic.models import Patient, email_normalized

logger = logging.getLogger(__name__)

LOGIN_LINK_SALT = "stride.account.login-link"
LOGIN_LINK_MAX_AGE = 15 * 60  # seconds
LOGIN_LINK_SUBJECT = "Your sign-in link for {clinic}"


def _stamp(user) -> str:
    # A timestamp, not isoformat, so the comparison does not depend on the time zone the
    # database hands the value back in.
    return f"{user.last_login.timestamp():.6f}" if user.last_login else ""


def login_link_token(user) -> str:
    return signing.dumps({"u": user.pk, "l": _stamp(user)}, salt=LOGIN_LINK_SALT)


def login_link_user(token: str):
    """The patient user a valid, unexpired, unused token names, else None."""
    try:
        data = signing.loads(token, salt=LOGIN_LINK_SALT, max_age=LOGIN_LINK_MAX_AGE)
        user_id, stamp = int(data["u"]), str(data["l"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    User = get_user_model()
    user = User.objects.filter(pk=user_id, is_active=True, role=User.Role.PATIENT).first()
    if user is None or _stamp(user) != stamp:
        return None
    return user


def login_link_used(user, *, now=None) -> None:
    """Signing in with an emailed link proves the patient reads that address."""
    Patient.objects.filter(user=user, email_verified_at__isnull=True).update(
        email_verified_at=now or timezone.now()
    )


def login_link_url(user, *, next_path: str = "") -> str:
    path = reverse("account:login_link", args=[login_link_token(user)])
    if next_path:
        path += "?" + urlencode({"next": next_path})
    return links.absolute(path)


def patient_account(*, email: str):
    """The active patient account for ``email``, made now for a patient who has none yet.

    None when the address is no patient's, or its account is a staff one or switched off.
    """
    User = get_user_model()
    email = email_normalized(email)
    # The patient first: read before the account, a patient whose account another request
    # is making still looks account-less, so this request tries too and then finds that one.
    # A possible duplicate sharing the address (``patient_match_or_create``) gets no account.
    patients = Patient.objects.alias(email_lower=Lower("email"))
    patient = patients.filter(email_lower=email, possible_duplicate_of__isnull=True).first()
    accounts = User.objects.filter(email__iexact=email)
    existing = accounts.first()
    if existing is not None:
        return existing if existing.is_active and existing.role == User.Role.PATIENT else None
    if patient is None or patient.user_id is not None:
        return None
    try:
        with transaction.atomic():  # asked twice at once: the other request makes it
            user = User.objects.create_user(
                email=patient.email,
                first_name=patient.first_name,
                last_name=patient.last_name,
                role=User.Role.PATIENT,
            )
            patient.user = user
            patient.save(update_fields=["user", "updated_at"])
    except IntegrityError:
        return accounts.filter(is_active=True, role=User.Role.PATIENT).first()
    logger.info("login link: made an account for patient %s", patient.pk)
    return user


def login_link_send(*, email: str, next_path: str = "") -> bool:
    """Email a sign-in link if ``email`` is an active patient account's, or a patient's (see above).

    Returns whether a link was sent, for tests; views must not show it to the visitor.
    ``next_path`` must already be checked as safe by the caller.
    """
    user = patient_account(email=email)
    if user is None:
        logger.info("login link: no patient account for the address given")
        return False
    body = render_to_string(
        "clinic/account/email/login_link.txt",
        {
            "user": user,
            "url": login_link_url(user, next_path=next_path),
            "minutes": LOGIN_LINK_MAX_AGE // 60,
            "clinic_name": settings.CLINIC_NAME,
        },
    )
    send_mail(
        subject=LOGIN_LINK_SUBJECT.format(clinic=settings.CLINIC_SHORT_NAME),
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    logger.info("login link: sent to user %s", user.pk)
    return True
