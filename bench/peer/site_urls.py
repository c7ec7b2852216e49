"""The peer site's URLs: django-appointment's own, under ``/appointment/``."""

from django.urls import include, path

urlpatterns = [path("appointment/", include("appointment.urls"))]
