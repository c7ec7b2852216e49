"""The Celery app: configured from Django settings (``CELERY_*``), tasks autodiscovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("stride")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Sending an email: a mail server that is down or slow (OSError) is tried again, backing off.
EMAIL_RETRIES = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": 5,
}
