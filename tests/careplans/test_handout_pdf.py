import re

import pytest
from django.urls import reverse

from careplans import pdf, services
from careplans.models import CarePlan, CarePlanTemplate
from tests.factories.clinic import PatientUserFactory
from tests.helpers import missing_service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _needs_xhtml2pdf():
    if not pdf.pdf_available():
        missing_service("xhtml2pdf is not installed (pyproject dependency)")


def _media_box(content: bytes) -> tuple[float, float]:
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", content)
    return float(box.group(1)), float(box.group(2))


def test_every_template_prints_on_letter_and_a4():
    """The real library's templates, so a long exercise never breaks the layout."""
    patient = PatientUserFactory()
    for template in CarePlanTemplate.objects.filter(is_active=True):
        plan = services.careplan_create(patient=patient, author=None, template=template)
        items = list(plan.items.select_related("exercise"))
        letter = pdf.careplan_pdf(plan=plan, items=items, page_size="letter")
        a4 = pdf.careplan_pdf(plan=plan, items=items, page_size="a4")
        assert letter.startswith(b"%PDF") and a4.startswith(b"%PDF")
        assert _media_box(letter) == (612, 792)
        assert [round(v) for v in _media_box(a4)] == [595, 842]
        services.careplan_discard(plan=plan)


def test_patient_downloads_their_handout(client):
    patient = PatientUserFactory()
    template = CarePlanTemplate.objects.filter(is_active=True).first()
    plan = services.careplan_create(patient=patient, author=None, template=template)
    CarePlan.objects.filter(pk=plan.pk).update(status=CarePlan.Status.ACTIVE)
    client.force_login(patient.user)
    response = client.get(reverse("careplans:my_plan_pdf", args=[plan.pk]), {"size": "a4"})
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    page = client.get(reverse("careplans:my_plan", args=[plan.pk]))
    assert reverse("careplans:my_plan_pdf", args=[plan.pk]) in page.content.decode()
