"""Settings for the page-weight benchmark's server: Stride's, with static files served as in
production (collected, hashed names, compressed copies, far-future caching by WhiteNoise)."""

import os

from clinic.settings import *  # noqa: F403
from clinic.settings import STORAGES

STATIC_ROOT = os.environ["STATIC_ROOT"]
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
