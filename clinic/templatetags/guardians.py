"""``{% load guardians %}``: whom to call or write to about a patient, for staff pages."""

from django import template

from clinic import guardians

register = template.Library()


@register.filter
def contact(patient):
    """The record whose phone and email reach the patient: their guardian's while one acts
    for them (``clinic.guardians.contact_for``), else their own."""
    return guardians.contact_for(patient)
