"""Once loaded the exercise library and plan templates; now does nothing.

The library is loaded by ``manage.py load_library`` (run after ``migrate``: the release step,
``make run`` and the test database all do), which reads careplans/library.yaml. A migration that
imported the live loader would break on a fresh database as soon as the models moved on, and
the content changes far more often than the schema. Databases that ran the old version keep
their rows; ``load_library`` brings them up to date.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("careplans", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
