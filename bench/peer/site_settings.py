"""django-appointment served as a site, for the booking comparison (``bench/peer_booking.py``).

The models-only settings of ``bench.peer.settings`` plus what the package's public booking pages
need to run in a browser: sessions, authentication, messages and CSRF middleware, the template
engine (its templates load ``static``), database connections kept open as Stride keeps them,
and a URLconf that mounts its ``urls`` under ``/appointment/``. Mail stays in the worker's
memory: the load generator reads the verification code a new client is mailed from the
package's own table, as the client reads it from the email.
"""

from bench.peer.settings import *  # noqa: F403 - the base settings, extended below
from bench.peer.settings import DATABASES, INSTALLED_APPS

# Persistent connections with health checks, as Stride's settings have them.
DATABASES["default"].update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    *INSTALLED_APPS[:3],
    "django.contrib.messages",
    "django.contrib.staticfiles",
    *INSTALLED_APPS[3:],
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "bench.peer.site_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]
STATIC_URL = "/static/"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "booking@bench.example"
APPOINTMENT_WEBSITE_NAME = "Bench clinic"
