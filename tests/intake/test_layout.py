"""The intake app's layout: small files, split by who uses them, with one-way dependencies.

The patient's pages import no staff page; intake imports no other app's pages and nothing
of care plans (care plans read intake, not the other way round); selectors return data and
leave presentation to intake/presentation.py.
"""

import ast
from pathlib import Path

import pytest

import intake

ROOT = Path(intake.__file__).parent
MODULES = sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts)
MAX_LINES = 600


def name_of(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(module: str) -> set[str]:
    """Every module (and module.name) ``module`` imports, at the top or inside a function."""
    path = next(p for p in MODULES if name_of(p) == module)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def imports_any(module: str, prefixes: tuple[str, ...]) -> list[str]:
    return sorted(
        name
        for name in imports_of(module)
        if any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)
    )


@pytest.mark.parametrize("path", MODULES, ids=name_of)
def test_no_module_is_long(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("path", MODULES, ids=name_of)
def test_intake_imports_no_other_apps_pages_and_nothing_of_care_plans(path):
    forbidden = ("careplans", "clinic.views", "clinic.account_views", "clinic.webhooks")
    assert imports_any(name_of(path), forbidden) == []


@pytest.mark.parametrize(
    "module",
    [
        "intake.views.questionnaire",
        "intake.views.reassessment",
        "intake.forms.questionnaire",
        "intake.forms.reassessment",
        "intake.services.questionnaire",
    ],
)
def test_the_patients_side_imports_no_staff_page_or_form(module):
    staff = ("intake.views.review", "intake.forms.assessment")
    assert imports_any(module, staff) == []


def test_selectors_return_data():
    presentation = ("intake.presentation", "intake.charts", "django.utils.safestring")
    assert imports_any("intake.selectors", presentation) == []


def test_the_answers_schema_and_the_scoring_rules_stand_alone():
    for module in ("intake.schema", "intake.scoring"):
        assert imports_any(module, ("django", "intake", "clinic")) == []
