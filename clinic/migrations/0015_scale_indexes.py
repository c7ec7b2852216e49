"""Indexes for a chain's millions of rows: the texts' list order and phone lookup, a day's limit
on a visit's length (availability's lower bound), and on PostgreSQL only trigram indexes
(pg_trgm) for the admin's name, email and phone searches and two plain ones for the planner.
SQLite has no pg_trgm: its searches scan, as before."""

import django.db.models.expressions
from django.db import migrations, models

# The admin's ``icontains`` is UPPER(column::text) LIKE UPPER('%term%') on PostgreSQL; the
# phone's digits are matched with ``contains`` (column::text LIKE '%digits%').
TRIGRAM_INDEXES = {
    "patient_first_name_trgm": "UPPER(first_name::text) gin_trgm_ops",
    "patient_last_name_trgm": "UPPER(last_name::text) gin_trgm_ops",
    "patient_email_trgm": "UPPER(email::text) gin_trgm_ops",
    "patient_phone_upper_trgm": "UPPER(phone::text) gin_trgm_ops",
    "patient_phone_trgm": "phone gin_trgm_ops",
}


# Plain indexes the planner needs on a chain (PostgreSQL only, like the trigram ones): a
# searched patient's visits in date order; a therapist's patients (the care relationship).
OTHER_INDEXES = {
    "appointment_patient_start": "clinic_appointment (patient_id, start)",
    "appointment_therapist_patients": (
        "clinic_appointment (therapist_id, patient_id) WHERE status <> 'cancelled'"
    ),
}


def postgres_indexes_add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON clinic_patient USING gin ({expression})"
        )
    for name, definition in OTHER_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def postgres_indexes_remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*TRIGRAM_INDEXES, *OTHER_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0014_patient_guardian"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["-created_at", "-id"], name="message_newest_first"),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["to"], name="message_to"),
        ),
        migrations.AddConstraint(
            model_name="appointmenttype",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "duration_minutes__lte",
                        django.db.models.expressions.CombinedExpression(
                            models.Value(1440), "-", models.F("buffer_after_minutes")
                        ),
                    )
                ),
                name="appointmenttype_at_most_a_day",
            ),
        ),
        migrations.RunPython(postgres_indexes_add, postgres_indexes_remove, elidable=False),
    ]
