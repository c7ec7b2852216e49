"""The unacknowledged urgent intakes (the banner's count on every staff page), and the staff's
review list in the order it is shown (urgent and unacknowledged first, then newest), over the
intakes it holds: a page of it reads 50 index entries, not every intake.

The second is PostgreSQL only (SQLite cannot index NULLS LAST); its expressions are those of
``intake.models.REVIEW_*``, which the list orders by.
"""

from django.db import migrations, models
from django.db.models.functions import Coalesce

REVIEW_ORDER = models.Index(
    models.Case(
        models.When(is_urgent=True, urgent_acknowledged_at__isnull=True, then=models.Value(True)),
        default=models.Value(False),
        output_field=models.BooleanField(),
    ).desc(),
    Coalesce("submitted_at", "urgent_since").desc(nulls_last=True),
    models.F("id").desc(),
    condition=models.Q(status="submitted") | models.Q(is_urgent=True),
    name="intake_review_order",
)


def review_order_add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("intake", "IntakeAssessment"), REVIEW_ORDER)


def review_order_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("intake", "IntakeAssessment"), REVIEW_ORDER)


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_assessment_versions")]

    operations = [
        migrations.AddIndex(
            model_name="intakeassessment",
            index=models.Index(
                condition=models.Q(is_urgent=True, urgent_acknowledged_at__isnull=True),
                fields=["patient"],
                name="intake_urgent_open",
            ),
        ),
        migrations.RunPython(review_order_add, review_order_remove, elidable=False),
    ]
