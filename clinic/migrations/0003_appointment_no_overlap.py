"""No double booking, enforced by PostgreSQL.

An exclusion constraint refuses two active appointments of one therapist whose half-open
ranges [start, blocked_until) overlap (blocked_until includes the buffer). SQLite has no such
constraint; there the booking service's IMMEDIATE transaction serialises writers instead.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE clinic_appointment ADD CONSTRAINT appointment_no_overlap
    EXCLUDE USING gist (therapist_id WITH =, tstzrange(start, blocked_until, '[)') WITH &&)
    WHERE (status <> 'cancelled');
"""
DROP = "ALTER TABLE clinic_appointment DROP CONSTRAINT IF EXISTS appointment_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0002_scheduling")]
    operations = [migrations.RunPython(forwards, backwards)]
