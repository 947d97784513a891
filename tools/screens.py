"""Screenshots of the main window, every wizard page, the record view and the plan view.

    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python tools/screens.py [--out /tmp/screens] [--scale 1.25]

Uses a throw-away record filled with the contract's example case.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("/tmp/screens"))
    parser.add_argument("--scale", default="1", help="QT_SCALE_FACTOR, e.g. 1.25")
    parser.add_argument(
        "--demo",
        type=Path,
        help="also shoot the main window on this record (e.g. `planner db demo`) with one open",
    )
    args = parser.parse_args()
    os.environ["QT_SCALE_FACTOR"] = args.scale
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from planner.services import kept_plans, patient_record
    from planner.ui.main_window import MainWindow
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    from planner.ui.app import install_app_filters

    install_app_filters(app)
    tmp = Path(tempfile.mkdtemp())
    record = patient_record.PatientRecord(tmp / "record.sqlite3", who="Dr Screens")
    raw = json.loads((ROOT / "tests/data/cases/example.json").read_text())
    earlier = json.loads(json.dumps(raw))
    earlier["assessed_on"] = "2026-10-01"
    earlier["labs"]["drawn_on"] = "2026-09-30"
    earlier["labs"]["bilirubin"]["value"] = 22
    earlier["body"]["weight_kg"] = 57
    record.import_case(earlier)
    saved = record.import_case(raw)
    record.add_patient({"mrn": "TAS-000200", "family_name": "Ivanova", "given_name": "Olga"})
    kept_plans.make_and_keep_plan(record, saved.assessment_id)
    record.set_clinic_settings(
        {"clinic_name": "Oncology day unit", "clinic_phone": "+998 71 000 00 00"}
    )
    suffix = "" if args.scale == "1" else f"-{args.scale}"

    def grab(name: str) -> None:
        for _ in range(20):
            app.processEvents()
        app.primaryScreen().grabWindow(0).save(str(args.out / f"{name}{suffix}.png"))

    settings = QSettings(str(tmp / "ui.ini"), QSettings.Format.IniFormat)
    if args.demo is not None:
        demo = patient_record.PatientRecord(args.demo)
        demo_window = MainWindow(demo, settings)
        demo_window.show()
        first = demo_window.first_mrn()
        if first is not None:  # an empty record is shot as it opens (walk23 #25)
            demo_window.open_patient(first)
        grab("00-main-window-demo")
        demo_window.close()
        demo.close()
    window = MainWindow(record, settings)
    window.show()
    grab("00-main-window-no-record-open")
    window.open_patient(raw["patient"]["mrn"])
    grab("01-main-window")
    window.record_view.tabs.setCurrentIndex(1)
    grab("02-record-trends")
    window.record_view.tabs.setCurrentIndex(2)
    grab("03-plan-history")
    window.record_view.open_plan()
    view = window.record_view.plan_view
    from planner.ui.background import wait_for_all

    wait_for_all()
    view.showMaximized()
    import time

    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:  # QPdfView renders its pages asynchronously
        app.processEvents()
        time.sleep(0.02)
    grab("04-plan-view")
    from planner.ui.decision_dialog import DecisionDialog

    decide = DecisionDialog(view.kept.plan, view)
    decide.show()
    grab("05-decide-dialog")
    decide.close()
    view.close()

    from PySide6.QtWidgets import QDialog

    from planner.ui.wizard.lab_jump_dialog import LabJumpDialog

    def shoot_and_confirm(dialog: LabJumpDialog) -> int:
        # The delta check asks about the bilirubin rise since the earlier assessment: shoot it.
        dialog.show()
        grab("12b-wizard-lab-jump-check")
        dialog.close()
        return QDialog.DialogCode.Accepted

    LabJumpDialog.exec = shoot_and_confirm  # type: ignore[method-assign]
    wizard = AssessmentWizard(record, raw, known_patient=True, parent=window)
    wizard.show()
    index = 0
    while True:
        page = wizard.currentPage()
        grab(f"1{index}-wizard-{type(page).__name__}")
        before = wizard.currentId()
        wizard.next()
        if wizard.currentId() == before:
            break
        index += 1
    wizard.reject()
    from planner.ui.wizard.pages.nutrition import NutritionPage

    wizard = AssessmentWizard(record, raw, known_patient=True, parent=window)
    wizard.show()
    wizard.go_to_page(NutritionPage.__name__)
    nutrition = wizard.currentPage()
    nutrition.edema.setCurrentIndex(nutrition.edema.findData(True))
    nutrition.delirium.setCurrentIndex(nutrition.delirium.findData(False))
    scroll = nutrition.body.parentWidget().parentWidget()
    scroll.ensureWidgetVisible(nutrition.delirium)
    grab("19-wizard-ppi-signs")
    wizard.reject()
    bad = json.loads(json.dumps(raw))
    bad["labs"]["bilirubin"] = {"value": 35, "unit": "mg/dL", "uln": 21}
    bad["body"]["weight_kg"] = 540
    wizard = AssessmentWizard(record, bad, parent=window)
    wizard.show()
    grab("20-wizard-problems-patient")
    wizard.next()  # refused: the weight error is shown and the page stays
    wizard.patient_page.weight_kg.setText("54")
    wizard.patient_page.weight_kg.textEdited.emit("54")
    wizard.next()
    wizard.next()
    grab("21-wizard-problems-labs")
    wizard.reject()
    from planner.ui.settings_dialog import ClinicSettingsDialog

    dialog = ClinicSettingsDialog(record, window)
    dialog.show()
    grab("30-settings")
    dialog.close()
    for draft in record.drafts():
        record.discard_draft(draft.id)

    # File → Import case files…: one new patient, one already there, two refused.
    from planner.ui import record_files

    files = []
    for name, mrn, change in (
        ("sokolova_2026-11-20.json", "TAS-000300", None),
        ("karimova_2026-11-20.json", raw["patient"]["mrn"], None),
        ("petrova_2026-11-21.json", "TAS-000301", ("labs", "bilirubin", "unit", "mmol/L")),
    ):
        case = json.loads(json.dumps(raw))
        case["patient"]["mrn"] = mrn
        if mrn != raw["patient"]["mrn"]:
            case["patient"]["family_name"] = name.split("_")[0].capitalize()
        if change:
            case[change[0]][change[1]][change[2]] = change[3]
        files.append(tmp / name)
        files[-1].write_text(json.dumps(case), "utf-8")
    files.append(tmp / "scan_from_fax.json")
    files[-1].write_text('{"schema": "planner.case/1", "patient": ', "utf-8")
    record_files.ask_case_files = lambda parent: files
    window.showNormal()
    record_files.import_case_files(window)
    wait_for_all()
    for _ in range(50):
        app.processEvents()
        if window.import_result is not None:
            break
        time.sleep(0.02)
    grab("40-import-result")
    window.import_result.close()
    confirmation = record_files.RestoreConfirmation(
        window,
        record.path,
        record.patient_count(),
        Path.home() / "record-backup-2026-11-20.sqlite3",
    )
    confirmation.show()
    grab("41-restore-confirmation")
    confirmation.close()
    record.close()
    sys.stdout.write(f"{args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
