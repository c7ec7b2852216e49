"""Demo data for ``manage.py seed_demo``: the exercise library and the plan templates.

The same load as ``manage.py load_library`` (``careplans.library.library_load``), so a demo
database has the library from ``careplans/library.yaml`` and is brought up to date after the
content changes. It is idempotent, like every demo function.
"""

from careplans.library import LibraryLoadResult, library_load


def demo_seed_careplans() -> LibraryLoadResult:
    """Upsert the exercise library and templates from ``careplans/library.yaml``."""
    return library_load()
