"""Screenshots for the guides in ``docs/`` (``docs/img/``), taken by the journeys when asked.

``DOCS_IMAGES=1 pytest tests/e2e/...`` writes them (``make docs-images``); an ordinary run
writes nothing, so tests never change tracked files. Each is the visible part of the page at
the journey's size, saved as PNG and kept small (the guides link them).
"""

import os
from pathlib import Path

from tests.e2e.browser import size_name

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def docs_image(page, name: str, *, size: str = "desktop") -> Path | None:
    """Save ``docs/img/<name>.png`` when ``DOCS_IMAGES`` is set and the page is ``size``."""
    if not os.environ.get("DOCS_IMAGES") or size_name(page) != size:
        return None
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    path = DOCS_IMG / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled")
    return path
