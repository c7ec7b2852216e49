"""One-time sign-in links for patients, emailed on request.

Each link names a stored ``PatientLink`` row (purpose sign-in) of the patient's record, like
their other links (``clinic.links``): the token is the row's signed id under the sign-in salt.
The row expires ``LOGIN_LINK_MAX_AGE`` seconds after it was made and is single-use: signing in
revokes it and every other open sign-in link of the patient.

Only active patient accounts get links; staff sign in with their password. A patient's account
is made the first time they ask for a link (booking leaves none). Whether an address has an
account is never revealed: the caller shows the same page either way.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from clinic import links
from clinic.models import Patient, PatientLink, email_normalized

logger = logging.getLogger(__name__)

LOGIN_LINK_SALT = links.SIGN_IN_SALT
LOGIN_LINK_MAX_AGE = 15 * 60  # seconds
LOGIN_LINK_SUBJECT = "Your sign-in link for {clinic}"


def login_link_token(user, *, now: datetime.datetime | None = None) -> str:
    """A new sign-in link's token: a stored row of the user's patient record."""
    now = now or timezone.now()
    link = PatientLink.objects.create(
        purpose=PatientLink.Purpose.SIGN_IN,
        patient=user.patient,
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=LOGIN_LINK_MAX_AGE),
    )
    return links.token_for_link(link)


def _open_link(token: str, now: datetime.datetime) -> PatientLink | None:
    link = links.link_from_token(token, salt=LOGIN_LINK_SALT)
    if link is None or not link.is_open(now):
        return None
    return link


def _patient_user(link: PatientLink):
    User = get_user_model()
    users = User.objects.filter(is_active=True, role=User.Role.PATIENT)
    return users.filter(patient__pk=link.patient_id).first()


def login_link_user(token: str, *, now: datetime.datetime | None = None):
    """The patient user an open (unexpired, unused, unrevoked) link names, else None."""
    link = _open_link(token, now or timezone.now())
    return None if link is None else _patient_user(link)


@transaction.atomic
def login_link_use(token: str, *, now: datetime.datetime | None = None):
    """Use a sign-in link once: the user it signs in, else None.

    The row is revoked by a conditional update, so of two requests with one link only one signs
    in; the patient's other open sign-in links close with it. Using it proves the patient reads
    the address it was sent to (``links.link_use`` records that).
    """
    now = now or timezone.now()
    link = _open_link(token, now)
    user = None if link is None else _patient_user(link)
    if user is None:
        return None
    if not PatientLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now):
        return None  # used a moment ago by another request
    links.link_use(link, now=now)
    PatientLink.objects.filter(
        patient_id=link.patient_id, purpose=PatientLink.Purpose.SIGN_IN, revoked_at__isnull=True
    ).update(revoked_at=now)
    return user


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
