"""Test-only tweaks on top of the real settings."""

import os

from clinic.settings import *  # noqa: F403
from clinic.settings import CELERY_TASK_DEFAULT_QUEUE

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "clinic.sms.backends.locmem.SmsBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = False
# Parallel test processes share one Redis: each consumes its own queue.
CELERY_TASK_DEFAULT_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-test-{os.getpid()}"
# Outside tests/integration/ tasks run inline, so a page test sees the email its booking sends.
# The integration tests switch this off and use a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Every test comes from 127.0.0.1: no limits by default; the tests of a limit set a low one.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "anon": "100000/min",
        "booking": "100000/min",
        "login_link": "100000/hour",
        "intake_autosave": "100000/min",
        "signed_link": "100000/min",
    },
}

# Tests open patients' links directly; the tests of the date-of-birth check switch it on.
PATIENT_LINK_BIRTH_DATE_CHECK = False
