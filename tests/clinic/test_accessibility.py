"""What the pages give assistive technology that axe-core cannot judge alone (the browser
journeys in tests/e2e/ run axe on every page they visit)."""

import re

import pytest
from django.urls import reverse

from tests.factories.clinic import LocationFactory, therapist_with_hours


@pytest.mark.django_db
def test_the_menu_marks_the_section_the_page_is_in(client):
    therapist = therapist_with_hours(location=LocationFactory())
    client.force_login(therapist.user)
    for url, current in [
        (reverse("careplans:patients"), "Care plans"),
        (reverse("careplans:library"), "Exercise library"),
        (reverse("intake:list"), "Intakes"),
    ]:
        html = client.get(url).content.decode()
        marked = re.findall(r'aria-current="page">([^<]+)</a>', html)
        assert marked == [current], (url, marked)


def test_the_error_summary_and_the_day_picker_are_wired():
    """The focus rules live in static files (the CSP runs no inline script)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    details = (root / "templates/clinic/book/details.html").read_text()
    step = (root / "templates/intake/step.html").read_text()
    assert 'tabindex="-1" data-error-summary' in details
    assert 'tabindex="-1" data-error-summary' in step
    picker = (root / "templates/clinic/book/_day_picker.html").read_text()
    assert "data-day-picker" in picker and "js/day-picker.js" in picker
