"""Page 3: liver and kidney labs (`labs`, an earlier bilirubin in `previous_labs`, and the
ascites / encephalopathy part of `clinical`), with × ULN, NCI-ODWG, Child–Pugh and ALBI shown
live, as computed by the domain (through services) from what is typed.

Why one module: it is one wizard page (one Qt class, `LabsPage`) and the lab row it is built of
(`LabRow`: value, unit, ULN and the delta check against her last result), which exists for this
page alone; the live liver scores, the unit offered and the jump confirmations all read the
same rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QWidget,
)

from planner.domain.assessment_wording import LAB_ROWS, LABS_DRAWN_ON, STEP_TITLES
from planner.domain.hepatic import HepaticAssessment
from planner.domain.limits import LabDefinition
from planner.domain.plan_words import unit_words  # units' one home, as printed and validated
from planner.domain.problems import Problem
from planner.services import previews, rule_tables
from planner.ui.questions import ask_safe_first
from planner.ui.wizard import words
from planner.ui.wizard.fields import (
    DOUBT_STYLE,
    ChoiceBox,
    DateEdit,
    FieldPage,
    NumberEdit,
    note,
)
from planner.ui.wizard.lab_jump_dialog import LabJumpDialog

#: lines kept for the live visceral-crisis words and the liver summary's warnings
LIVE_LINES_KEPT = 3


class LabRow:
    """One result: value, unit, the lab's own ULN, and the live multiple of ULN."""

    def __init__(
        self,
        page: LabsPage,
        grid: QGridLayout,
        row: int,
        lab: LabDefinition,
        label: str,
        path: str | None = None,
    ) -> None:
        self.lab = lab
        self.preferred_unit = next(iter(lab.units))
        name = label.replace("&", "")
        #: the test as the nurse reads it ("Neutrophils"), for the unit question
        self.name = name
        self.value = NumberEdit()
        self.unit = QComboBox()
        #: units typed on the form and converted to the case's unit (counts per µL or mm³)
        self.entry_units = dict(lab.entry_units)
        for unit in [*lab.units, *self.entry_units]:
            self.unit.addItem(unit_words(unit) or page.tr("(no unit)"), unit)
        self.unit.setAccessibleName(page.tr("{lab} unit").format(lab=name))
        self.unit.setEnabled(self.unit.count() > 1)
        self.uln = NumberEdit(page.tr("ULN"))
        self.uln.setAccessibleName(page.tr("{lab} upper limit of normal").format(lab=name))
        #: the lab's own ULN at the patient's last assessment and its unit (carry_ulns)
        self.carried_uln: tuple[float, str] | None = None
        self._carried_tip = page.tr("The lab's ULN at the patient's last assessment")
        self.x_uln = QLabel()
        self.x_uln.setAccessibleName(page.tr("{lab} times upper limit of normal").format(lab=name))
        caption = QLabel(label)
        caption.setBuddy(self.value)
        signals = [self.value.textEdited, self.unit.currentIndexChanged]
        if lab.takes_uln:
            signals.append(self.uln.textEdited)
            self.unit.currentIndexChanged.connect(self._follow_carried_uln)
            # a ULN typed is the report's: no longer shown as carried
            self.uln.textEdited.connect(lambda *_: self.uln.setStyleSheet(""))
        message = page.register(
            path or f"labs.{lab.name}",
            self.value,
            name,
            read=self.read,
            write=self.write,
            signals=signals,
        )
        grid.addWidget(caption, row, 0)
        grid.addWidget(self.value, row, 1)
        grid.addWidget(self.unit, row, 2)
        if lab.takes_uln:
            grid.addWidget(self.uln, row, 3)
            grid.addWidget(self.x_uln, row, 4)
        elif self.entry_units:
            # The x ULN column shows what a count per µL or mm³ is in the case's unit.
            self.uln.hide()
            self.x_uln.setAccessibleName(page.tr("{lab} in × 10⁹/L").format(lab=name))
            grid.addWidget(self.x_uln, row, 3, 1, 2)
            # textChanged, not textEdited: a value cleared or put back by the form (a cycle
            # recorded, a draft resumed) updates its conversion too (walk 24 #9: "= 3.4 × 10⁹/L"
            # stayed beside an emptied field)
            self.value.textChanged.connect(self._show_conversion)
            self.unit.currentIndexChanged.connect(self._show_conversion)
        else:
            self.uln.hide()
            self.x_uln.hide()
        grid.addWidget(message, row + 1, 1, 1, 4)

    def read(self) -> Any:
        value = self.value.json_value()
        if value is None:
            return None
        unit = self.unit.currentData()
        if unit in self.entry_units:
            # The case holds counts in × 10⁹/L only: converted here, shown beside the row.
            if isinstance(value, int | float):
                value = previews.count_in_case_unit(self.lab.name, float(value), unit)
            unit = self.lab.canonical_unit
        out: dict[str, Any] = {"value": value}
        if unit:
            out["unit"] = unit
        uln = self.uln.json_value() if self.lab.takes_uln else None
        if uln is not None:
            out["uln"] = uln
        return out

    def write(self, result: Any) -> None:
        result = result if isinstance(result, dict) else {}
        self.value.set_json_value(result.get("value"))
        unit = result.get("unit") or (
            self.lab.canonical_unit if result.get("value") is not None else self.preferred_unit
        )
        self.unit.setCurrentIndex(max(self.unit.findData(unit), 0))
        self.uln.set_json_value(result.get("uln"))
        if self.entry_units:
            self._show_conversion()

    def carry_uln(self, uln: float, unit: str) -> None:
        """Offer the last assessment's ULN (in `unit`) where this result is still blank."""
        if self.value.json_value() is None and self.uln.json_value() is None:
            self.carried_uln = (uln, unit)
            self._follow_carried_uln()

    def _follow_carried_uln(self, *_: Any) -> None:
        """A carried ULN stands only beside its own unit: another unit picked clears it (the
        clinic default shows); its unit picked again brings it back. A ULN typed is kept."""
        if self.carried_uln is None:
            return
        uln, unit = self.carried_uln
        typed = self.uln.json_value()
        if self.unit.currentData() == unit and typed is None:
            self.uln.set_json_value(uln)
            self.uln.setToolTip(self._carried_tip)
            self.uln.setStyleSheet(DOUBT_STYLE)  # not read from today's report: asked on Next
        elif self.unit.currentData() != unit and typed == uln:
            self.uln.set_json_value(None)
            self.uln.setToolTip("")
            self.uln.setStyleSheet("")

    def carried_uln_standing(self) -> bool:
        """True when a result is typed beside the ULN carried from her last assessment, as
        carried (same number, same unit): not read from today's report (walk24 #5)."""
        if self.carried_uln is None or self.value.json_value() is None:
            return False
        uln, unit = self.carried_uln
        return self.uln.json_value() == uln and self.unit.currentData() == unit

    def _show_conversion(self, *_: Any) -> None:
        read = self.read() if self.unit.currentData() in self.entry_units else None
        value = read.get("value") if isinstance(read, dict) else None
        doubt = self.unit_doubt()
        text = (
            f"= {value:g} {unit_words(self.lab.canonical_unit)}"
            if isinstance(value, int | float)
            else ""
        )
        if doubt is not None:
            # said on the row at once, asked again on Next (walk23 HARM 2); the column's text
            # stays one short line so the rows below do not move (walk23 #11)
            text = QCoreApplication.translate("LabRow", "{conversion} — check the unit").format(
                conversion=text
            )
        self.x_uln.setText(text)
        self.x_uln.setStyleSheet(DOUBT_STYLE if doubt is not None else "")
        self.x_uln.setToolTip(doubt or "")

    def unit_doubt(self) -> str | None:
        """Why the count typed cannot be taken in the unit picked, with the range of
        case_limits.toml; None when it is plausible in that unit alone, or blank.

        Implausible in the unit picked (neutrophils "3.2" per µL is 0.0032 × 10⁹/L): said, with
        each unit it would be plausible in and what it then is. Plausible in the unit picked and
        in another that reads it as a different count (platelets "1.8": 1.8 × 10⁹/L, or 1.8 lakh
        per µL = 180 × 10⁹/L): asked too, so the hint to change unit never leads to a count 100×
        off that then passes (walk24 HARM 3). Only counts are asked here: the other units'
        mix-ups are caught by the validator's plausible ranges, which read the unit typed."""
        if not self.entry_units:
            return None
        value = self.value.json_value()
        unit = self.unit.currentData()
        if not isinstance(value, int | float) or not isinstance(unit, str):
            return None
        number = float(value)
        readings = self._plausible_readings(number)
        found = self.lab.implausible_in(number, unit)
        canonical = unit_words(self.lab.canonical_unit)
        if found is None:
            here = self._in_case_unit(number, unit)
            others = {u: r for u, r in readings.items() if u != unit and r != here}
            if not others:
                return None
            return QCoreApplication.translate(
                "LabRow",
                "{test}: {value} could be {readings}: the readings differ {fold:g}-fold. "
                "Check the unit on the report.",
            ).format(
                test=self.name,
                value=f"{value:g}",
                readings=" or ".join(
                    self._reading_words(value, u, r) for u, r in {unit: here, **others}.items()
                ),
                fold=max(max(r, here) / max(min(r, here), 1e-9) for r in others.values()),
            )
        text = QCoreApplication.translate(
            "LabRow",
            "{test}: {value} {unit} is not a plausible count in {unit} "
            "(plausible {low}–{high} {unit}).",
        ).format(
            test=self.name,
            value=f"{value:g}",
            unit=unit_words(unit),
            low=_count_words(found[0]),
            high=_count_words(found[1]),
        )
        if readings:
            text += " " + QCoreApplication.translate(
                "LabRow", "It would be plausible in {units}: check the unit on the report."
            ).format(
                units=" or in ".join(
                    f"{unit_words(u)} (= {r:g} {canonical})" for u, r in readings.items()
                )
            )
        return text

    def _in_case_unit(self, value: float, unit: str) -> float:
        """The count in the case's unit (× 10⁹/L), as `read` would store it."""
        if unit in self.entry_units:
            return previews.count_in_case_unit(self.lab.name, value, unit)
        return value

    def _plausible_readings(self, value: float) -> dict[str, float]:
        """Each unit offered in which `value` is plausible, with what it then is in the case's
        unit; of units that read it alike (/µL and /mm³) only the first."""
        out: dict[str, float] = {}
        for u in dict.fromkeys((*self.lab.units, *self.entry_units)):
            reading = self._in_case_unit(value, u)
            if self.lab.implausible_in(value, u) is None and reading not in out.values():
                out[u] = reading
        return out

    def _reading_words(self, value: float, unit: str, reading: float) -> str:
        canonical = self.lab.canonical_unit
        if unit == canonical:
            return f"{value:g} {unit_words(unit)}"
        return f"{value:g} {unit_words(unit)} (= {reading:g} {unit_words(canonical)})"


class LabsPage(FieldPage):
    SECTIONS = ("labs", "previous_labs")
    OPTIONAL_SECTIONS = ("labs",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr(STEP_TITLES["labs"]))
        self.setSubTitle(
            self.tr(
                "Enter each result in the unit the lab reported, with the lab's own upper limit "
                "of normal (ULN). Liver function is worked out as you type."
            )
        )
        self._labs = rule_tables.case_limits().labs
        self._clinic_uln: Mapping[str, float] = {}
        #: jumps the nurse confirmed, by (lab, value, unit): asked once, again only if changed;
        #: each kept as the case's `lab_confirmations` entry (who, which test, both results)
        self._confirmed: dict[tuple[str, float, str], dict[str, Any]] = {}
        #: counts the nurse kept in a unit they are implausible in, by (lab, value, unit)
        self._units_kept: set[tuple[str, Any, Any]] = set()
        #: sets of carried ULNs the nurse said are today's lab's too (asked once per set)
        self._ulns_kept: set[tuple[Any, ...]] = set()
        top = self.form()
        self.drawn_on = self.add_row(top, "labs.drawn_on", self.tr(LABS_DRAWN_ON), DateEdit())

        box = QGroupBox(self.tr("Results"))
        grid = QGridLayout(box)
        for col, text in enumerate(
            (self.tr("Test"), self.tr("Value"), self.tr("Unit"), self.tr("ULN"), self.tr("× ULN"))
        ):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        self.rows: dict[str, LabRow] = {}
        for i, (name, label) in enumerate(LAB_ROWS):
            self.rows[name] = LabRow(self, grid, 1 + 2 * i, self._labs[name], self.tr(label))
            # the clinic's ULN hint follows the unit picked: "clinic 1.2 mg/dL" beside mg/dL,
            # never the stored "clinic 20.52 µmol/L" (independent review 16c, finding 16)
            self.rows[name].unit.currentIndexChanged.connect(
                lambda *_, n=name: self._show_clinic_uln(n)
            )
        grid.setColumnStretch(5, 1)
        self.body_layout.addWidget(box)

        liver = self.form(self.tr("For Child–Pugh"))
        self.ascites = self.add_row(
            liver, "clinical.ascites", self.tr("As&cites"), ChoiceBox(words.ascites())
        )
        self.encephalopathy = self.add_row(
            liver,
            "clinical.encephalopathy",
            self.tr("Encephal&opathy"),
            ChoiceBox(words.encephalopathy()),
        )

        earlier = self.form(self.tr("Earlier bilirubin (to see whether it is rising)"))
        self.previous_drawn_on = self.add_row(
            earlier, "previous_labs[0].drawn_on", self.tr("Earlier result dra&wn on"), DateEdit()
        )
        self.previous_bilirubin = LabRow(
            self,
            _grid_in(earlier, self.tr("Earlier bilirubin")),
            0,
            self._labs["bilirubin"],
            self.tr("Earlier bilirubin"),
            "previous_labs[0].bilirubin",
        )
        self.previous_bilirubin.x_uln.hide()

        summary = QGroupBox(self.tr("Liver function now"))
        self.summary = QFormLayout(summary)
        self.odwg = QLabel()
        self.child_pugh = QLabel()
        self.albi = QLabel()
        self.crisis = QLabel()
        for label, widget in (
            (self.tr("NCI-ODWG"), self.odwg),
            (self.tr("Child–Pugh"), self.child_pugh),
            (self.tr("ALBI"), self.albi),
            (self.tr("Visceral crisis"), self.crisis),
        ):
            widget.setWordWrap(True)
            widget.setAccessibleName(label)
            self.summary.addRow(label, widget)
        self.summary_note = note("")
        self.summary.addRow(self.summary_note)
        # Room kept for the longest usual words (a visceral-crisis explanation, two warning
        # lines): the box sits above the results table, and growing as the first digit was
        # typed it pushed the table down under the nurse's next click (walk23 #11).
        lines = self.fontMetrics().lineSpacing()
        for live in (self.crisis, self.summary_note):
            live.setMinimumHeight(lines * LIVE_LINES_KEPT)
            live.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body_layout.insertWidget(1, summary)
        self.body_layout.addStretch(1)
        self.show_liver(None)

    def set_clinic_uln(self, lab_uln: Mapping[str, float]) -> None:
        """Show the clinic's default ULNs where a result has none (they are used, and the plan
        says so, only when the lab's own ULN is not entered)."""
        self._clinic_uln = dict(lab_uln)
        for name in self.rows:
            self._show_clinic_uln(name)

    def _show_clinic_uln(self, name: str) -> None:
        """The clinic's default ULN (kept in the test's first unit) in the unit the result is
        typed in, as a ULN typed beside it would be read."""
        row = self.rows[name]
        default = self._clinic_uln.get(name)
        if not default:
            row.uln.setPlaceholderText(self.tr("ULN"))
            return
        unit = canonical = next(iter(row.lab.units))
        picked = row.unit.currentData()
        if picked in row.lab.units and picked != canonical:
            default, unit = previews.lab_value_in(name, float(default), canonical, picked), picked
        row.uln.setPlaceholderText(
            self.tr("clinic {uln} {unit}").format(uln=f"{default:g}", unit=unit_words(unit))
        )

    def carry_ulns(self, ulns: Mapping[str, tuple[float, str]]) -> None:
        """Pre-fill each blank result's ULN with the lab's own ULN at the patient's last
        assessment, where the unit offered is the one it was given in (else the clinic default
        shows, as before). Not an edit by the nurse; typed over like any value."""
        self._loading = True
        try:
            for name, row in self.rows.items():
                if row.lab.takes_uln and name in ulns:
                    row.carry_uln(*ulns[name])
        finally:
            self._loading = False

    def set_preferred_units(self, units: Mapping[str, str]) -> None:
        """The unit offered first per test (the clinic's usual one, or the one the patient's
        results came in last time); any unit can still be picked. Not an edit by the nurse."""
        self._loading = True
        try:
            for name, row in [*self.rows.items(), ("bilirubin", self.previous_bilirubin)]:
                unit = units.get(name)
                if unit is not None and (unit in row.lab.units or unit in row.entry_units):
                    row.preferred_unit = unit
                    if row.value.json_value() is None:
                        row.unit.setCurrentIndex(max(row.unit.findData(unit), 0))
        finally:
            self._loading = False

    def validatePage(self) -> bool:
        """Next: a result far from the patient's previous one is confirmed first (delta check,
        issue 16); going back leaves the nurse on the first result to check."""
        if not super().validatePage():
            return False
        if not self.units_confirmed():
            return False
        if not self.carried_ulns_confirmed():
            return False
        find = getattr(self.wizard(), "lab_jumps", None)
        jumps = [j for j in (find() if find else ()) if _jump_key(j) not in self._confirmed]
        if not jumps:
            return True
        if LabJumpDialog.confirmed(self, jumps, DateEdit.shown_as):
            who = getattr(getattr(self.wizard(), "record", None), "who", None) or ""
            today = dt.date.today()
            for jump in jumps:
                self._confirmed[_jump_key(jump)] = _confirmation(jump, who, today)
            return True
        row = self.rows.get(jumps[0].lab)
        if row is not None:
            row.value.setFocus()
            row.value.selectAll()
        return False

    def units_confirmed(self) -> bool:
        """Next: a count implausible in the unit picked is asked about, once per value and
        unit (walk23 HARM 2: "3.2" neutrophils read per µL became 0.0032 × 10⁹/L silently).
        "Check the unit" (the default) stays on the row; only "keep" goes on."""
        for row in [*self.rows.values(), self.previous_bilirubin]:
            doubt = row.unit_doubt()
            key = (row.lab.name, row.value.json_value(), row.unit.currentData())
            if doubt is None or key in self._units_kept:
                continue
            if not self.ask_unit(doubt):
                row.unit.setFocus()
                return False
            self._units_kept.add(key)
        return True

    def carried_ulns_confirmed(self) -> bool:
        """Next: ULNs carried from her last assessment that stand beside today's results are
        asked about, once for the set shown (walk24 #5: a stale ULN of another lab was kept
        silently). "Check today's report" (the default) puts the cursor in the first one."""
        rows = [r for r in self.rows.values() if r.carried_uln_standing()]
        key = tuple((r.lab.name, r.carried_uln) for r in rows)
        if not rows or key in self._ulns_kept:
            return True
        listed = ", ".join(
            f"{r.name} {r.uln.text()} {unit_words(r.unit.currentData())}".rstrip() for r in rows
        )
        if not self.ask_carried_ulns(listed):
            rows[0].uln.setFocus()
            rows[0].uln.selectAll()
            return False
        self._ulns_kept.add(key)
        return True

    def ask_carried_ulns(self, listed: str) -> bool:
        """True when the nurse keeps the ULNs carried from last time (tests answer for her)."""
        return ask_safe_first(
            self,
            QMessageBox.Icon.Question,
            self.tr("Upper limits of normal from her last visit"),
            self.tr(
                "These upper limits of normal are her last assessment's lab's, not read from "
                "today's report: {listed}.\n\nEach lab has its own. If today's report is from "
                "another lab, type its ULNs (or clear them to use the clinic's defaults)."
            ).format(listed=listed),
            safe=self.tr("&Check today's report"),
            other=self.tr("&Same lab and limits: keep them"),
        )

    def ask_unit(self, doubt: str) -> bool:
        """True when the nurse keeps the unit as picked (tests answer for her)."""
        return ask_safe_first(
            self,
            QMessageBox.Icon.Warning,
            self.tr("Check the unit"),
            doubt,
            safe=self.tr("&Check the unit"),
            other=self.tr("&Keep it: the report gives this unit"),
        )

    def value(self) -> dict[str, Any]:
        out = super().value()
        labs = out.get("labs")
        if isinstance(labs, dict):
            out["labs"] = {k: v for k, v in labs.items() if v is not None or k == "drawn_on"}
            if all(v is None for v in out["labs"].values()):
                out["labs"] = None
        previous = out.get("previous_labs") or []
        kept = []
        for panel in previous:
            if isinstance(panel, dict) and any(v is not None for v in panel.values()):
                kept.append({k: v for k, v in panel.items() if v is not None or k == "drawn_on"})
        out["previous_labs"] = kept or None
        return out

    def confirmations(self, raw: dict[str, Any]) -> list[dict[str, Any]] | None:
        """The case's `lab_confirmations`: each jump confirmed for a result as it stands in
        `raw` (a value changed since is asked again, and its old confirmation goes)."""
        labs: dict[str, Any] = raw["labs"] if isinstance(raw.get("labs"), dict) else {}
        kept = []
        for (lab, value, unit), confirmation in self._confirmed.items():
            result = labs.get(lab)
            if (
                isinstance(result, dict)
                and result.get("value") == value
                and (result.get("unit") or "") == (unit or "")
                and confirmation["current"]["drawn_on"] == labs.get("drawn_on")
            ):
                kept.append(confirmation)
        return kept or None

    def set_value(self, document: dict[str, Any]) -> None:
        super().set_value(document)
        # a draft's confirmations stay confirmed (not asked again, not lost)
        for confirmation in document.get("lab_confirmations") or ():
            if isinstance(confirmation, dict) and isinstance(confirmation.get("current"), dict):
                current = confirmation["current"]
                key = (str(confirmation.get("lab")), current.get("value"), current.get("unit"))
                self._confirmed[key] = dict(confirmation)

    def case_changed(self, raw: dict[str, Any], problems: list[Problem], settings: Any) -> None:
        """Recompute the live liver summary from the whole case as it stands."""
        try:
            assessment = previews.liver_preview(raw, settings)
        except Exception:
            assessment = None
        self.show_liver(assessment)

    def show_liver(self, assessment: HepaticAssessment | None) -> None:
        for name, row in self.rows.items():
            if not row.lab.takes_uln:
                continue  # its column shows a count's conversion, not a multiple of ULN
            x = assessment.x_uln(name) if assessment is not None else None
            row.x_uln.setText("" if x is None else f"{x:.2f} ×")
        if assessment is None:
            for label in (self.odwg, self.child_pugh, self.albi, self.crisis):
                label.setText(self.tr("enter bilirubin, AST and albumin to see this"))
            self.summary_note.setText("")
            return
        odwg = assessment.odwg
        if odwg == "unknown":
            self.odwg.setText(
                self.tr("not decided (could be {options})").format(
                    options=", ".join(sorted(assessment.odwg_candidates))
                )
            )
        else:
            self.odwg.setText(f"<b>{odwg}</b>")
        cp = assessment.child_pugh
        if cp is None:
            missing = [g.field for g in assessment.gaps if "Child" in g.effect]
            self.child_pugh.setText(
                self.tr("not scored: needs {missing}").format(
                    missing=", ".join(_lab_words(m.split(".")[-1]) for m in missing)
                    or self.tr("all five items")
                )
            )
        else:
            self.child_pugh.setText(
                self.tr("<b>class {cls}</b> ({points})").format(
                    cls=cp.child_class, points=cp.points_words
                )
            )
        albi = assessment.albi
        if albi is not None:
            self.albi.setText(
                self.tr("grade {grade} (score {score:.2f})").format(
                    grade=albi.grade, score=albi.score
                )
            )
        else:
            # what is still missing, from the assessment's own gaps: a fixed "needs bilirubin
            # and albumin" stayed after bilirubin was typed (nurse16 walk, item 12)
            albi_gaps = [g for g in assessment.gaps if "ALBI" in g.effect]
            missing = [_lab_words(g.field.split(".")[1]) for g in albi_gaps if "." in g.field]
            self.albi.setText(
                self.tr("not scored: needs {missing}").format(missing=" and ".join(missing))
                if missing and all("not recorded" in g.effect for g in albi_gaps)
                else "; ".join(g.effect for g in albi_gaps) or self.tr("not scored")
            )
        self.crisis.setText(assessment.visceral_crisis)
        self.summary_note.setText("\n".join(assessment.warnings))


def _count_words(value: float) -> str:
    """A range edge as a report prints it: 1,500,000, never 1.5e+06."""
    return format(value, ",.10g")


def _lab_words(name: str) -> str:
    """A Child–Pugh item named as a nurse reads it on the report ("INR", not "inr")."""
    return {"inr": "INR"}.get(name, name.replace("_", " "))


def _jump_key(jump: Any) -> tuple[str, float, str]:
    return (jump.lab, jump.current.value, jump.current.unit)


def _reading(reading: Any) -> dict[str, Any]:
    drawn = reading.drawn_on.isoformat() if reading.drawn_on is not None else None
    return {"value": reading.value, "unit": reading.unit, "drawn_on": drawn}


def _confirmation(jump: Any, who: str, on: dt.date) -> dict[str, Any]:
    """A confirmed jump as the case keeps it (contract: `lab_confirmations`)."""
    return {
        "lab": jump.lab,
        "previous": _reading(jump.previous),
        "current": _reading(jump.current),
        "confirmed_by": who,
        "confirmed_on": on.isoformat(),
    }


def _grid_in(form: QFormLayout, name: str) -> QGridLayout:
    holder = QWidget()
    holder.setAccessibleName(name)
    grid = QGridLayout(holder)
    grid.setContentsMargins(0, 0, 0, 0)
    form.addRow(holder)
    return grid
