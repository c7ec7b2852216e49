"""WSGI entry point of the peer site (``bench.peer.site_settings``), for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.site_settings")
application = get_wsgi_application()
