"""Load the exercise library and the plan templates, so every database has them.

The content is plain data (careplans/library_data.py), imported here at migration time; the
upsert is careplans.services.library_load, run with this migration's historical models.
Reversing leaves the rows in place: plans may already point at the exercises.
"""

from django.db import migrations


def load(apps, schema_editor):
    from careplans import library_data
    from careplans.services import library_load

    library_load(data=library_data, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("careplans", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
