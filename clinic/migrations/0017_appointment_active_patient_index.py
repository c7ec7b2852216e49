"""A covering index of each patient's visits that were not cancelled, in time order (PostgreSQL
only, like 0015's plain indexes). The outcomes dashboard finds every patient's first visit in
one ordered pass over it (an index-only scan) instead of probing the table once per visit."""

from django.db import migrations

INDEX = "appointment_active_patient_start"
# Appointment.ACTIVE_STATUSES; a new active status needs a new index.
DEFINITION = (
    "clinic_appointment (patient_id, start) INCLUDE (id) "
    "WHERE status IN ('booked', 'confirmed', 'arrived', 'completed', 'no_show')"
)


def index_add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {DEFINITION}")


def index_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0016_audit_event_keeps_merged_patients"),
    ]

    operations = [
        migrations.RunPython(index_add, index_remove),
    ]
