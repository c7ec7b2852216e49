import os

import pytest

IN_CI = bool(os.environ.get("CI"))


def missing_service(reason: str):
    """A test that needs something absent fails under CI and is skipped elsewhere."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)
