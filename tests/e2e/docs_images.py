"""Screenshots for the guides in ``docs/`` (``docs/img/``), taken by the journeys when asked.

``DOCS_IMAGES=1 pytest tests/e2e/...`` writes them (``make doc-images``); an ordinary run
writes nothing, so tests never change tracked files. Each is the visible part of the page at
the journey's size, saved as a PNG of at most 256 colours, under 150 KB.
"""

import os
from pathlib import Path

from PIL import Image

from tests.e2e.browser import size_name

LIMIT = 150 * 1024

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def docs_image(page, name: str, *, size: str = "desktop") -> Path | None:
    """Save ``docs/img/<name>.png`` when ``DOCS_IMAGES`` is set and the page is ``size``."""
    if not os.environ.get("DOCS_IMAGES") or size_name(page) != size:
        return None
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    path = DOCS_IMG / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled")
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)
    assert path.stat().st_size < LIMIT, (name, path.stat().st_size)
    return path
