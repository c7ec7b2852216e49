"""The plan as a PDF handout, drawn by xhtml2pdf (pure Python wheels, no system libraries).

The browser's own print (the plan page's print stylesheet) gives the same handout; this is for
people who want a file. Exercises go two to a row, and a row is never split across pages
(reportlab keeps a table row whole). Text is escaped by the template like any page.
"""

import io
from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from careplans import media, selectors
from careplans.models import CarePlan, PrescribedExercise

PAGE_SIZES = {"letter": "letter", "a4": "a4"}
DEFAULT_PAGE_SIZE = "letter"  # the clinic is in the United States


class PdfUnavailable(Exception):
    """xhtml2pdf is not installed."""


def pdf_available() -> bool:
    try:
        import xhtml2pdf  # noqa: F401
    except ImportError:
        return False
    return True


def handout_html(
    *, plan: CarePlan, items: Sequence[PrescribedExercise], page_size: str = DEFAULT_PAGE_SIZE
) -> str:
    """The handout's HTML, as the PDF draws it; "Stop and call us" gives the number of the
    location the patient is seen at (``selectors.contact_phone_for``); each exercise's still
    (a photo or a video's poster) is read from storage as a data URI."""
    items = list(items)
    stills = media.stills_for_pdf(items=items)
    for item in items:
        item.pdf_still = stills.get(item.pk, "")
    return render_to_string(
        "careplans/handout_pdf.html",
        {
            "plan": plan,
            "rows": [items[i : i + 2] for i in range(0, len(items), 2)],
            "page_size": PAGE_SIZES.get(page_size, DEFAULT_PAGE_SIZE),
            "clinic_name": settings.CLINIC_NAME,
            "printed_on": timezone.localdate(),
            "phone": selectors.contact_phone_for(patient=plan.patient),
        },
    )


def careplan_pdf(
    *, plan: CarePlan, items: Sequence[PrescribedExercise], page_size: str = DEFAULT_PAGE_SIZE
) -> bytes:
    """The handout for ``plan`` on Letter or A4 paper, as PDF bytes."""
    try:
        from xhtml2pdf import pisa
    except ImportError as missing:
        raise PdfUnavailable from missing
    html = handout_html(plan=plan, items=items, page_size=page_size)
    out = io.BytesIO()
    # No link_callback: stills are data URIs read from storage here, so nothing is fetched.
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise ValueError(f"The handout could not be drawn ({result.err} errors).")
    return out.getvalue()
