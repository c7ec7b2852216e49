"""The layout rules of docs/architecture.md, checked on the source so they stay true.

- The apps are layered: ``clinic`` (the practice: people, schedule, booking, texts, access) at
  the base, ``intake`` on it, ``careplans`` on both. An app imports only the apps below it, so
  the import graph between apps has no circle.
- No app imports another app's views.
- No module of an app passes 600 lines (migrations aside; content lives in data files).
- Within intake: the patient's pages import no staff page or form, selectors return data (no
  presentation), and the answers' schema and the scoring rules stand alone (no Django).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("clinic", "intake", "careplans")
MAY_IMPORT = {"clinic": set(), "intake": {"clinic"}, "careplans": {"clinic", "intake"}}
MAX_LINES = 600


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield app, path


def _imported_names(path: Path) -> set[str]:
    """Every module name ``path`` imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


MODULES = list(_modules())


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports_of(module: str, prefixes: tuple[str, ...]) -> list[str]:
    """What ``module`` imports of the modules named by ``prefixes`` (or below them)."""
    (path,) = [path for _, path in MODULES if _module_name(path) == module]
    return sorted(
        name
        for name in _imported_names(path)
        if any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)
    )


def _id(item) -> str:
    return str(item[1].relative_to(ROOT))


@pytest.mark.parametrize("item", MODULES, ids=_id)
def test_an_app_imports_only_the_apps_below_it(item):
    app, path = item
    for name in _imported_names(path):
        other = name.split(".")[0]
        if other in APPS and other != app:
            assert other in MAY_IMPORT[app], f"{_id(item)} imports {name}: {app} is below {other}"


@pytest.mark.parametrize("item", MODULES, ids=_id)
def test_no_app_imports_another_apps_views(item):
    app, path = item
    for name in _imported_names(path):
        parts = name.split(".")
        if parts[0] in APPS and parts[0] != app:
            assert "views" not in parts, f"{_id(item)} imports another app's views: {name}"


@pytest.mark.parametrize("item", MODULES, ids=_id)
def test_no_module_passes_the_line_limit(item):
    lines = len(item[1].read_text().splitlines())
    assert lines <= MAX_LINES, f"{_id(item)} has {lines} lines; split it by who uses it"


def test_the_layers_have_no_circle():
    """The allowed imports themselves form no circle (so the checks above forbid every one)."""
    seen: set[str] = set()
    for app in APPS:  # listed bottom-up: each may import only apps already seen
        assert MAY_IMPORT[app] <= seen, app
        seen.add(app)


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
def test_the_patients_side_of_intake_imports_no_staff_page_or_form(module):
    assert _imports_of(module, ("intake.views.review", "intake.forms.assessment")) == []


def test_intake_selectors_return_data():
    presentation = ("intake.presentation", "intake.charts", "django.utils.safestring")
    assert _imports_of("intake.selectors", presentation) == []


@pytest.mark.parametrize("module", ["intake.schema", "intake.scoring"])
def test_the_answers_schema_and_the_scoring_rules_stand_alone(module):
    assert _imports_of(module, ("django", "intake", "clinic", "careplans")) == []
