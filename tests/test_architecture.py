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


LONG_MODULE_LINES = 500
WHY_ONE_MODULE = "Why one module:"
# Modules other work is changing now (issues 16 and 19): their split or reason is written once that
# work has landed, and the name is removed from here then. Nothing else may be added.
REASON_PENDING: frozenset[str] = frozenset()


def _why_one_module(path: Path) -> bool:
    """True when the module docstring's first lines give the reason (issue 18: "at its top")."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return any(line.startswith(WHY_ONE_MODULE) for line in docstring.splitlines()[:12])


def test_a_long_module_says_why_it_is_one_module():
    long_without_reason = sorted(
        f"{path.relative_to(PLANNER.parent).as_posix()} ({lines} lines)"
        for path in PLANNER.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONG_MODULE_LINES
        and path.relative_to(PLANNER.parent).as_posix() not in REASON_PENDING
        and not _why_one_module(path)
    )
    assert long_without_reason == [], (
        "split these modules where there is a seam, or start their docstring with "
        f"a '{WHY_ONE_MODULE} ...' paragraph saying what holds them together"
    )
