"""Settings for the load benchmark's server: Stride's own, with the reference views added.

Only the URL configuration differs, so the ping, the booking and the reference requests are
answered by the same processes with the same middleware, database connection handling and rate
limiting.
"""

from clinic.settings import *  # noqa: F403

ROOT_URLCONF = "bench.server_urls"
