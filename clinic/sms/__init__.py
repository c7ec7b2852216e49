"""Text messages through a pluggable backend, chosen like Django's email backends.

``SMS_BACKEND`` names a class with ``send(to, body) -> provider_id``: console (development),
locmem (tests), Twilio (production).
"""

from django.conf import settings
from django.utils.module_loading import import_string


def get_backend():
    return import_string(settings.SMS_BACKEND)()
