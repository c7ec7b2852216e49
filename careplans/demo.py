"""Demo data for ``manage.py seed_demo``: the exercise library and the plan templates.

Migration 0002 loads the library into every database already; calling this again brings a
demo database up to date with ``careplans/library_data.py`` after the content changes. It is
idempotent, like every demo function.
"""

from careplans.services import LibraryLoadResult, library_load


def demo_seed_careplans() -> LibraryLoadResult:
    """Upsert the exercise library and templates from ``careplans/library_data.py``."""
    return library_load()
