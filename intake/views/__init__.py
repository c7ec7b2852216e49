"""Intake pages, one module per part of the intake; intake/urls.py maps them."""
