"""The layers of DESIGN.md, checked from the source (import-linter checks them too, in `make test`)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PLANNER = Path(__file__).resolve().parents[1] / "planner"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_domain_imports_only_the_standard_library_and_itself():
    offenders = {}
    for path in (PLANNER / "domain").rglob("*.py"):
        for module in _imports(path):
            top = module.split(".")[0]
            if module.startswith("planner.domain") or top in sys.stdlib_module_names:
                continue
            offenders.setdefault(path.name, []).append(module)
    assert offenders == {}


def test_only_the_ui_imports_qt():
    offenders = [
        str(path.relative_to(PLANNER))
        for path in PLANNER.rglob("*.py")
        if "ui" not in path.relative_to(PLANNER).parts[:1]
        and any(m.split(".")[0] == "PySide6" for m in _imports(path))
    ]
    assert offenders == []


def test_the_ui_never_imports_storage_or_pdf_libraries():
    forbidden = ("planner.storage", "planner.reports", "sqlite_utils", "sqlite3", "reportlab")
    offenders = [
        (path.name, module)
        for path in (PLANNER / "ui").rglob("*.py")
        for module in _imports(path)
        if module.startswith(forbidden)
    ]
    assert offenders == []
