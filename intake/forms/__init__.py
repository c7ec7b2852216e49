"""Intake forms, one module per part of the intake; ``FORMS`` maps each step to its form."""

from intake.forms.questionnaire import FORMS

__all__ = ["FORMS"]
