"""Stride's URLs plus the reference requests of the load benchmark, under ``/bench/``.

The reference requests show what the framework itself costs per request, between the ping and
a booking: each is a ``POST`` of a booking's JSON body to a view configured like the booking
endpoint (no authentication, the booking rate limit, the JSON parser), answering 409 as a lost
race does. They differ only in the database work they do, none of which is a booking:

- ``/bench/parse``: reads the body, no database.
- ``/bench/queries/N``: reads the body, then fetches the appointment type by primary key through
  the ORM N times.
- ``/bench/sql/N``: the same N lookups as hand-written SQL on Django's cursor, without the ORM.

They exist only in the benchmark's server (``bench.server_settings``), never in Stride's.
"""

from django.db import connection
from django.urls import path
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.api.throttles import BookingRateThrottle
from clinic.api.views import PublicMixin
from clinic.models import AppointmentType
from clinic.urls import urlpatterns as stride_urlpatterns

SQL_LOOKUP = f"SELECT * FROM {AppointmentType._meta.db_table} WHERE id = %s"  # noqa: S608


class ReferenceView(PublicMixin, APIView):
    """Parse a booking's body, make ``queries`` primary-key lookups, answer 409."""

    schema = None
    throttle_classes = [BookingRateThrottle]

    sql = False

    def post(self, request, queries: int = 0):
        body = request.data
        if self.sql:
            with connection.cursor() as cursor:
                for _ in range(queries):
                    cursor.execute(SQL_LOOKUP, [body["appointment_type"]])
                    cursor.fetchone()
        else:
            for _ in range(queries):
                AppointmentType.objects.get(pk=body["appointment_type"])
        return Response({"detail": "reference request"}, status=status.HTTP_409_CONFLICT)


urlpatterns = [
    path("bench/parse", ReferenceView.as_view()),
    path("bench/queries/<int:queries>", ReferenceView.as_view()),
    path("bench/sql/<int:queries>", ReferenceView.as_view(sql=True)),
    *stride_urlpatterns,
]
