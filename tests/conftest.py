"""Shared test set-up: Qt offscreen, the `gui` marker, rule tables, sample cases, records."""

from __future__ import annotations

import ast
import copy
import functools
import gc
import inspect
import json
import os
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

# Before any Qt import: no display is needed, in CI or here.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
EXAMPLE_CASE = DATA / "cases" / "example.json"


# ---- the `gui` marker ---------------------------------------------------------------------
# A test is a GUI test when it needs Qt: it uses pytest-qt's `qtbot` or `qapp` (directly or through
# a fixture), or it or its module imports PySide6 or planner.ui (the only package that imports
# PySide6). Marked here, never by hand, so `pytest -m "not gui"` runs the pure tests, and runs
# them where PySide6 cannot even be imported (a module that imports Qt when it loads is then not
# collected at all).
QT_FIXTURES = frozenset({"qtbot", "qapp"})
QT_MODULES = ("PySide6", "planner.ui")


def _imports_qt(tree: ast.AST, *, top_level_only: bool) -> bool:
    nodes = ast.iter_child_nodes(tree) if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(n == m or n.startswith(m + ".") for n in names for m in QT_MODULES):
            return True
    return False


@functools.cache
def _module_imports_qt(path: Path) -> bool:
    """Whether loading the test module (or conftest) imports Qt."""
    return _imports_qt(ast.parse(path.read_bytes(), str(path)), top_level_only=True)


def _gui_deselected(config: pytest.Config) -> bool:
    """Whether `-m EXPR` leaves out every test marked gui, whatever its other markers."""
    expression = config.getoption("markexpr", "") or ""
    if not expression.strip():
        return False
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return False

    def holds(node: ast.AST, others: bool) -> bool:
        if isinstance(node, ast.Expression):
            return holds(node.body, others)
        if isinstance(node, ast.BoolOp):
            parts = (holds(v, others) for v in node.values)
            return all(parts) if isinstance(node.op, ast.And) else any(parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not holds(node.operand, others)
        if isinstance(node, ast.Name):
            return True if node.id == "gui" else others
        raise ValueError(expression)  # keyword matching and the like: collect as usual

    try:
        return not holds(tree, False) and not holds(tree, True)
    except ValueError:
        return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    is_test_module = collection_path.suffix == ".py" and collection_path.name.startswith("test_")
    if is_test_module and _gui_deselected(config) and _module_imports_qt(collection_path):
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _needs_qt(item):
            item.add_marker(pytest.mark.gui)


def _needs_qt(item: pytest.Item) -> bool:
    if QT_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    if item.get_closest_marker("gui") is not None:
        return True
    module = getattr(item, "module", None)
    if module is not None and module.__file__ and _module_imports_qt(Path(module.__file__)):
        return True
    function = getattr(item, "function", None)
    if function is None:
        return False
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return False
    return _imports_qt(ast.parse(source), top_level_only=False)


@pytest.fixture(scope="session")
def rules():
    from planner.rules import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def limits(rules):
    return rules.limits


#: Safety rule 8's guard: openings of licensed questionnaire items (EORTC QLQ-C30/BR23, FACT-B)
#: that must never appear in anything the program ships or prints.
LICENSED_ITEM_OPENINGS = (
    "Have you had",
    "During the past week",
    "I have a lack of energy",
    "I feel",
    "Do you have any trouble",
    "Were you limited",
    "Did you need to rest",
    "How would you rate your overall",
    "I have nausea",
    "I am able to work",
)


@pytest.fixture(scope="session")
def licensed_item_openings() -> tuple[str, ...]:
    return LICENSED_ITEM_OPENINGS


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE_CASE


@pytest.fixture
def example_raw() -> dict[str, Any]:
    """The contract's sample case as a fresh, mutable JSON object."""
    return copy.deepcopy(_example())


_cache: dict[str, Any] = {}


def _example() -> dict[str, Any]:
    if "example" not in _cache:
        _cache["example"] = json.loads(EXAMPLE_CASE.read_text(encoding="utf-8"))
    return _cache["example"]


ESAS_ITEMS = (
    "pain",
    "tiredness",
    "drowsiness",
    "nausea",
    "lack_of_appetite",
    "shortness_of_breath",
    "depression",
    "anxiety",
    "wellbeing",
)


def _quiet_example() -> dict[str, Any]:
    """The example case with every supportive trigger switched off: no symptoms, no distress,
    eating as usual, independent, stable weight, bilirubin and albumin normal, no bone or liver
    pain sites beyond the liver metastases."""
    raw = copy.deepcopy(_example())
    raw["symptoms"] = {
        "esas": dict.fromkeys(ESAS_ITEMS, 0),
        "pruritus": False,
        "jaundice": False,
        "constipation": False,
    }
    raw["psychosocial"] = {
        "distress_thermometer": 0,
        "problems": [],
        "phq9": [0] * 9,
        "gad7": [0] * 7,
        "lives_alone": False,
        "caregiver_strain": False,
    }
    raw["nutrition"] = {"intake": "unchanged", "pgsga_sf": None, "must": None}
    raw["function"] = {"falls_past_3_months": 0, "mobility": "independent", "pps_percent": 80}
    raw["body"]["weight_6_months_ago_kg"] = raw["body"]["weight_kg"]
    raw["labs"]["bilirubin"]["value"] = 15  # 0.71 x ULN
    raw["labs"]["albumin"]["value"] = 40
    raw["disease"]["other_sites"] = ["lung"]
    raw["clinical"]["surprise_question_no"] = False
    return raw


@pytest.fixture
def quiet_raw() -> dict[str, Any]:
    """A fresh quiet baseline (see `_quiet_example`) for a test to switch one trigger on."""
    return _quiet_example()


@pytest.fixture(scope="session")
def new_quiet_case() -> Callable[[], dict[str, Any]]:
    """Makes a fresh quiet baseline each call, for helpers that build several cases."""
    return _quiet_example


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of resources/rules for a test to edit and load."""
    import shutil

    from planner.rules.loader import default_rules_dir

    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


@pytest.fixture
def record_path(tmp_path: Path) -> Path:
    return tmp_path / "record.sqlite3"


@pytest.fixture
def record(record_path: Path) -> Iterator[Any]:
    """A new patient record, opened as "test-nurse" and closed after the test."""
    from planner.services.patient_record import PatientRecord

    with PatientRecord(record_path, who="test-nurse") as opened:
        yield opened


CASE_CRCL = object()  # `crcl` not given: the case's own Cockcroft-Gault value


def _supportive_part(
    rules: Any,
    raw: dict[str, Any],
    options: Sequence[Any] = (),
    supportive: dict[str, Any] | None = None,
    instrument_choices: dict[str, str] | None = None,
    crcl: Any = CASE_CRCL,
    **screen_overrides: Any,
) -> Any:
    """The supportive part (`SupportivePart`) of a raw case, built as the engine builds it:
    `supportive` and `instrument_choices` are clinic settings, `crcl` a CrCl in mL/min to use
    instead of the case's (None: unknown), `screen_overrides` replace fields of the screens."""
    import dataclasses

    from planner.domain.hepatic import assess_liver
    from planner.domain.kidney import assess_kidney
    from planner.domain.screens import screen_case
    from planner.domain.settings import ClinicSettings
    from planner.domain.supportive import build_supportive
    from planner.domain.supportive_tables import SupportiveSettings
    from planner.domain.symptoms import KidneyFunction
    from planner.services.case_commands import check_case

    checked = check_case(copy.deepcopy(raw), rules)
    settings = ClinicSettings(
        supportive=supportive or {}, instrument_choices=instrument_choices or {}
    )
    hepatic = assess_liver(
        checked.case, rules.limits, settings, checked.doubts, instruments=rules.instruments
    )
    instrument_settings = settings.instrument_settings(rules.instruments)
    resolved = SupportiveSettings.resolve(rules.supportive, settings.supportive)
    screens = screen_case(checked.case, rules.instruments, instrument_settings, resolved)
    if screen_overrides:
        screens = dataclasses.replace(screens, **screen_overrides)
    if crcl is CASE_CRCL:
        kidney: Any = assess_kidney(
            checked.case, rules.limits, checked.doubts, instruments=rules.instruments
        )
    else:
        kidney = KidneyFunction(crcl, False, () if crcl is not None else ("labs.creatinine",), ())
    return build_supportive(
        checked.case,
        hepatic,
        options,
        rules.supportive,
        settings,
        instruments=rules.instruments,
        instrument_settings=instrument_settings,
        doubts=checked.doubts,
        screens=screens,
        regimen_monitoring=rules.regimens.monitoring.values(),
        kidney=kidney,
    )


@pytest.fixture(scope="session")
def supportive_part(rules) -> Callable[..., Any]:
    """Builds the supportive part of a raw case: supportive_part(raw, options=…, crcl=…, …)."""
    return functools.partial(_supportive_part, rules)


@pytest.fixture(autouse=True)
def _gui_left_clean(request: pytest.FixtureRequest):
    """After each GUI test: nothing it opened may change the next one. Every window still up
    is hidden (a popup too), and the test fails if it left a modal dialog (which would take the
    focus of every later window). No event is processed here: a test's pending background
    results are its own fixtures' business.

    A GUI test runs with the cycle collector on the GUI thread only, as the program does
    (`planner.ui.gui_thread_gc`); after each test the collections that came due are run here,
    on the main thread, since a test's event loop may not have turned long enough."""
    gui = bool({"qtbot", "qapp"} & set(request.fixturenames))
    if gui:
        from planner.ui import gui_thread_gc

        gui_thread_gc.install(request.getfixturevalue("qapp"))
    yield
    if not gc.isenabled():  # installed by an earlier GUI test: collect here what came due
        from planner.ui.gui_thread_gc import collect_due

        collect_due()
    if not gui:
        return
    from PySide6.QtWidgets import QApplication, QToolTip

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    modal = QApplication.activeModalWidget()
    left_modal = None if modal is None else f"{type(modal).__name__} {modal.windowTitle()!r}"
    QToolTip.hideText()
    # hide, not close: close() runs the window's closeEvent after the test's own fixtures (its
    # record, its background work) are already torn down, which crashed a full run (SIGSEGV in
    # this teardown). A hidden window can no longer take the focus of the next test's windows.
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.hide()
    assert left_modal is None, f"the test left a modal window open: {left_modal}"
