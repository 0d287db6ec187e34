"""The direction between payroll and invoicing (docs/architecture.md, "Dependencies between
apps"): invoicing's payment service calls the fund's services; the fund reads invoices only
through invoicing's selectors; and no module of the three apps hides an import inside a
function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
APPS = ("tenants/invoicing", "tenants/payroll", "tenants/expenses")


def _modules(app: str) -> list[Path]:
    return [p for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.parts]


def _imports(path: Path) -> list[tuple[str, bool]]:
    """``(module, at_top)`` for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, id(node) in top))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, id(node) in top) for alias in node.names)
    return found


def test_payroll_reaches_invoicing_only_through_its_selectors_and_errors():
    allowed = {"tenants.invoicing.selectors", "tenants.invoicing.exceptions"}
    reached = {
        (path.relative_to(ROOT).as_posix(), module)
        for path in _modules("tenants/payroll")
        for module, _top in _imports(path)
        if module.startswith("tenants.invoicing") and module not in allowed
    }
    assert reached == set()


@pytest.mark.parametrize("module", ["models", "selectors", "exceptions", "totals", "vat"])
def test_what_payroll_reads_of_invoicing_imports_nothing_of_payroll(module):
    path = ROOT / "tenants" / "invoicing" / f"{module}.py"
    assert [m for m, _top in _imports(path) if m.startswith("tenants.payroll")] == []


@pytest.mark.parametrize("app", APPS)
def test_imports_sit_at_the_top_of_each_module(app):
    hidden = [
        f"{path.relative_to(ROOT).as_posix()}: {module}"
        for path in _modules(app)
        for module, at_top in _imports(path)
        if not at_top and module != "__future__"
    ]
    assert hidden == []
