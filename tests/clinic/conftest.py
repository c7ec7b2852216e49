"""Fixtures for the practice's tests."""

import pytest

from tests.clinic import sms_fakes


@pytest.fixture
def scripted(settings):
    """An SMS backend that answers as ``sms_fakes.script`` says and records every call."""
    settings.SMS_BACKEND = "tests.clinic.sms_fakes.ScriptedBackend"
    sms_fakes.calls.clear()
    sms_fakes.script.clear()
    sms_fakes.before_send.clear()
    return sms_fakes
