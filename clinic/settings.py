"""Stride settings: one module, configured from the environment (see .env.example).

Development needs no configuration at all: a SQLite file and a filesystem broker under
``var/``. Production is the same code with ``DJANGO_ENV=production`` and real URLs.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
# With DEBUG on, Django's technical 404 page (every URL listed) instead of the site's own.
DEBUG_TECHNICAL_404 = env.bool("DEBUG_TECHNICAL_404", default=False)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "phonenumber_field",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "clinic",
    "intake",
    "careplans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their long cache headers.
    "clinic.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The request of the audit trail's events written by services (address, user agent).
    "clinic.audit_context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "clinic.middleware.SessionTimeoutMiddleware",
    # In development too, a page not found is the site's own 404, not a list of every URL.
    "clinic.middleware.BrandedNotFoundMiddleware",
    "clinic.mfa.StaffMfaMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.clinic",
                "intake.context_processors.urgent_intakes",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'stride.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two bookings are serialised
    # instead of both reading "free" and failing on commit; WAL lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # No JIT compilation: Stride's queries are short, and on the outcomes dashboard's reports
    # PostgreSQL spent 0.35–0.45 s compiling each one that ran in 0.2 s (docs/benchmarks.md §5).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "clinic.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "clinic.access.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Signed out after this many idle minutes (staff, patients), and at most this long after
# sign-in whatever happens (clinic/middleware.py; a page warns a minute before).
SESSION_IDLE_MINUTES_STAFF = env.int("SESSION_IDLE_MINUTES_STAFF", default=15)
SESSION_IDLE_MINUTES_PATIENT = env.int("SESSION_IDLE_MINUTES_PATIENT", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"  # each role's first page (clinic.views.site.landing)
LOGOUT_REDIRECT_URL = "home"
# How many proxies (load balancer, TLS proxy) stand in front of the web processes: the client's
# address is read from their X-Forwarded-For entries by clinic.client_ip, for the API's and
# the pages' rate limits and for the sign-in lockout alike. 0: REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("API_NUM_PROXIES", default=0))
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
# Locked per address (one address guessing many accounts) and per username (many addresses
# guessing one account). A locked-out patient can still sign in with an emailed link.
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "clinic.client_ip.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
# Staff's second factor (clinic/mfa.py): an authenticator app (TOTP) with recovery codes.
# Clinic admins always need it; other staff when this is on (the default in production).
# Patients are never asked. Wrong codes count toward the lockout above.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Stride")

# --- Locale and time ------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "US"
# Django's own date formats in the house style (clinic.formatting), for the admin and any
# value shown without a filter.
FORMAT_MODULE_PATH = ["clinic.formats"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = not PRODUCTION  # development serves straight from static/
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded files (the clinic's exercise photos and videos) go through Django's storage API: the
# filesystem under MEDIA_ROOT by default, or an S3-compatible bucket with
# MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage (install the `s3` extra) and the AWS_*
# settings below. Never served as static files: only careplans.views_media hands them out.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_STORAGE_BACKEND = env.str(
    "MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
)
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="") or None
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
AWS_DEFAULT_ACL = None  # private objects: the bucket's own policy, never public-read
AWS_S3_FILE_OVERWRITE = False
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE_BACKEND},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email and SMS --------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
# Production sends over TLS by default (STARTTLS on 587); EMAIL_USE_SSL is implicit TLS (465).
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=PRODUCTION and not EMAIL_USE_SSL)
EMAIL_PORT = env.int("EMAIL_PORT", default=465 if EMAIL_USE_SSL else 587 if PRODUCTION else 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Stride PT <care@stride.example>")
SMS_BACKEND = env.str("SMS_BACKEND", default="clinic.sms.backends.console.SmsBackend")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
TWILIO_STATUS_CALLBACK_URL = env.str("TWILIO_STATUS_CALLBACK_URL", default="")
TWILIO_VALIDATE_WEBHOOKS = env.bool("TWILIO_VALIDATE_WEBHOOKS", default=True)
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms-outbox.jsonl"))
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=6)
# Day-before reminders go from this local hour, never in quiet hours (local, [start, end)).
REMINDER_LOCAL_HOUR = env.int("REMINDER_LOCAL_HOUR", default=10)
SMS_QUIET_START_HOUR = env.int("SMS_QUIET_START_HOUR", default=21)
SMS_QUIET_END_HOUR = env.int("SMS_QUIET_END_HOUR", default=8)
REMINDER_SWEEP_SECONDS = env.int("REMINDER_SWEEP_SECONDS", default=300)
# A text still queued this long after it was queued lost its task (a worker or Redis
# restarted): the sweep dispatches it again; sending is idempotent.
SMS_REDISPATCH_AFTER_SECONDS = env.int("SMS_REDISPATCH_AFTER_SECONDS", default=120)

# --- Urgent intakes ------------------------------------------------------------------------
# An urgent intake (a red flag) nobody has acknowledged after this many minutes of the
# location's opening hours is escalated to clinic admins and the front desk; again at twice
# that (intake/services/escalation.py). Beat runs the sweep every minute.
URGENT_ACK_MINUTES = env.int("URGENT_ACK_MINUTES", default=30)

# --- The practice ---------------------------------------------------------------------------
CLINIC_NAME = env.str("CLINIC_NAME", default="Stride Physical Therapy")
CLINIC_SHORT_NAME = env.str("CLINIC_SHORT_NAME", default="Stride PT")
CLINIC_PHONE = env.str("CLINIC_PHONE", default="+16125550142")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Access and audit (docs/access.md) ------------------------------------------------------
# A therapist who opens a record outside a care relationship ("break the glass") may read it
# for this many hours; clinic admins are emailed each time.
BREAK_GLASS_HOURS = env.int("BREAK_GLASS_HOURS", default=12)
# Audit events older than this are archived to a file by `manage.py audit_archive`.
AUDIT_RETENTION_YEARS = env.int("AUDIT_RETENTION_YEARS", default=6)

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Redis's password (requirepass): put in REDIS_URL (redis://:password@host:6379/0) or here.
REDIS_PASSWORD = env.str("REDIS_PASSWORD", default="")
if REDIS_URL and REDIS_PASSWORD and "@" not in REDIS_URL:
    from urllib.parse import quote

    _scheme, _rest = REDIS_URL.split("://", 1)
    REDIS_URL = f"{_scheme}://:{quote(REDIS_PASSWORD, safe='')}@{_rest}"
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # The embedded broker: kombu's filesystem transport, no server to run.
    BROKER_DIR.mkdir(exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
# Rate-limit counters must be shared by every web process: Redis when there is one.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# A task is acknowledged only after it ran, and goes back to the queue when its worker dies,
# so nothing is lost; every task is therefore written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 30
CELERY_TASK_TIME_LIMIT = 60
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="stride")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Keep a worker's database connection across tasks (Celery closes it after each by default).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "clinic.tasks.heartbeat", "schedule": 60.0},
    "reminder-sweep": {
        "task": "clinic.tasks.reminder_sweep",
        "schedule": float(env.int("REMINDER_SWEEP_SECONDS", default=300)),
    },
    # Escalates urgent intakes nobody acknowledged, and sends again any alert whose task was lost.
    "urgent-intake-sweep": {"task": "intake.tasks.urgent_sweep", "schedule": 60.0},
    # Sends the next round of a lapsed waitlist offer, and offers times that came free.
    "waitlist-sweep": {
        "task": "clinic.tasks.waitlist_sweep",
        "schedule": float(env.int("WAITLIST_SWEEP_SECONDS", default=60)),
    },
    # "Today's exercises" on the days and at the time each patient chose.
    "exercise-reminder-sweep": {
        "task": "careplans.tasks.exercise_reminder_sweep",
        "schedule": float(env.int("EXERCISE_REMINDER_SWEEP_SECONDS", default=300)),
    },
}

# --- Logging --------------------------------------------------------------------------------
# Clinical answers never reach a log: code logs ids and statuses only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Content-Security-Policy and Permissions-Policy (every environment) ----------------------
# Scripts and style sheets come from our own static files only: no inline <script>, on...=
# handler or <style> block anywhere (htmx's injected indicator style is off, see base.html).
# Style attributes stay allowed (progress bars' widths); they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), interest-cohort=()"
)

# --- Production hardening -------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# --- Refuse an unsafe production start ----------------------------------------------------
# A misconfigured production start fails here, at settings load, rather than serving patients'
# data with a debug page, a guessable key or forgeable Twilio webhooks.
SECRET_KEY_MIN_LENGTH = 50


def production_problems() -> list[str]:
    problems = []
    if DEBUG:
        problems.append("DEBUG is on: set DEBUG=false (or leave it unset).")
    if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
        problems.append(
            f"SECRET_KEY is missing or shorter than {SECRET_KEY_MIN_LENGTH} characters: set a long "
            "random value (secrets.token_urlsafe(64))."
        )
    if EMAIL_BACKEND.endswith("smtp.EmailBackend") and not (EMAIL_USE_TLS or EMAIL_USE_SSL):
        problems.append(
            "Email would go over plaintext SMTP: set EMAIL_USE_TLS=true (or EMAIL_USE_SSL=true)."
        )
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        problems.append("Set only one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
    if SMS_BACKEND.startswith("clinic.sms.backends.twilio"):
        if not TWILIO_AUTH_TOKEN:
            problems.append("SMS_BACKEND is Twilio but TWILIO_AUTH_TOKEN is empty.")
        if not TWILIO_VALIDATE_WEBHOOKS:
            problems.append(
                "SMS_BACKEND is Twilio but TWILIO_VALIDATE_WEBHOOKS is off: anyone could post "
                "forged replies and delivery reports."
            )
    return problems


if PRODUCTION and (_problems := production_problems()):
    raise ImproperlyConfigured(
        "Refusing to start with DJANGO_ENV=production: " + " ".join(_problems)
    )

# --- Booking rules --------------------------------------------------------------------------
BOOKING_MIN_NOTICE_HOURS = env.int("BOOKING_MIN_NOTICE_HOURS", default=12)
BOOKING_HORIZON_DAYS = env.int("BOOKING_HORIZON_DAYS", default=60)
BOOKING_SLOT_STEP_MINUTES = env.int("BOOKING_SLOT_STEP_MINUTES", default=15)
BOOKING_LATE_CHANGE_HOURS = env.int("BOOKING_LATE_CHANGE_HOURS", default=24)
BOOKING_MAX_RANGE_DAYS = env.int("BOOKING_MAX_RANGE_DAYS", default=31)
# A patient's manage and intake links stop working this many days after the visit ends (and at
# once when it is cancelled); a re-assessment link this many days after it was sent.
PATIENT_LINK_DAYS_AFTER_VISIT = env.int("PATIENT_LINK_DAYS_AFTER_VISIT", default=14)
PATIENT_LINK_REASSESSMENT_DAYS = env.int("PATIENT_LINK_REASSESSMENT_DAYS", default=30)
# On a device that has not shown it before, a link asks once for the patient's date of birth.
PATIENT_LINK_BIRTH_DATE_CHECK = env.bool("PATIENT_LINK_BIRTH_DATE_CHECK", default=True)
# A dependent booked before this age is a child: their guardian acts for them until they reach
# it, then they are a patient in their own right. One booked at or past it (an adult someone
# cares for) keeps their carer until the front desk ends it (clinic/guardians.py).
DEPENDENT_ADULT_AGE = env.int("DEPENDENT_ADULT_AGE", default=18)
# A plan of care booked as a series: at most this many visits in one step.
SERIES_MAX_VISITS = env.int("SERIES_MAX_VISITS", default=24)
# The waitlist: a freed time is offered to this many matching entries at once (oldest first),
# each offer holds this many minutes before the next round goes out; times starting sooner than
# WAITLIST_MIN_NOTICE_HOURS are not offered. Beat looks for lapsed offers and freed times.
WAITLIST_ROUND_SIZE = env.int("WAITLIST_ROUND_SIZE", default=3)
WAITLIST_OFFER_MINUTES = env.int("WAITLIST_OFFER_MINUTES", default=20)
WAITLIST_MIN_NOTICE_HOURS = env.int("WAITLIST_MIN_NOTICE_HOURS", default=2)
WAITLIST_SWEEP_SECONDS = env.int("WAITLIST_SWEEP_SECONDS", default=60)

# --- Care plans -----------------------------------------------------------------------------
# The exercise library's content: read by the pages (region labels, caution rules) and loaded
# into the database by `manage.py load_library`. Tests point it at a small file of their own.
CAREPLANS_LIBRARY_FILE = BASE_DIR / "careplans" / "library.yaml"
# A session is a pain flare-up when the pain afterwards is at least the threshold (0-10), or at
# least the rise above the mean of the patient's previous three sessions (careplans/flare.py).
PAIN_FLARE_THRESHOLD = env.int("PAIN_FLARE_THRESHOLD", default=7)
PAIN_FLARE_RISE = env.int("PAIN_FLARE_RISE", default=2)
# Exercise photos and videos: largest upload of each kind (bytes), longest edge a photo is
# stored at (pixels), and how long a link to one works (seconds; links are signed).
MEDIA_IMAGE_MAX_BYTES = env.int("MEDIA_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
MEDIA_VIDEO_MAX_BYTES = env.int("MEDIA_VIDEO_MAX_BYTES", default=60 * 1024 * 1024)
MEDIA_IMAGE_MAX_EDGE = env.int("MEDIA_IMAGE_MAX_EDGE", default=1600)
MEDIA_LINK_SECONDS = env.int("MEDIA_LINK_SECONDS", default=900)

# --- Public API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["clinic.api.throttles.ReadRateThrottle"],
    # Unused by the throttles, which read clinic.client_ip (TRUSTED_PROXY_COUNT); kept in step.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_RATE_READ", default="120/min"),
        "booking": env.str("API_RATE_BOOKING", default="10/min"),
        # Sign-in links, per client address and per email address asked for.
        "login_link": env.str("LOGIN_LINK_RATE", default="5/hour"),
        # The intake's autosave as the patient types, and opening any signed link.
        "intake_autosave": env.str("INTAKE_AUTOSAVE_RATE", default="120/min"),
        "signed_link": env.str("SIGNED_LINK_RATE", default="60/min"),
    },
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stride booking API",
    "DESCRIPTION": "Public API for online booking: locations, appointment types, therapists, "
    "free times and booking.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
