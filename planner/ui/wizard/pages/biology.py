"""Page 2: tumour biology, where the disease is, earlier treatment, and treatment-safety facts
(`biology`, `disease`, and the drug-safety part of `clinical`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.services import rule_tables
from planner.ui.wizard import words
from planner.ui.wizard.fields import (
    ChoiceBox,
    ChoiceList,
    DateEdit,
    DrugNameCompleter,
    FieldPage,
    FlagBox,
    NumberEdit,
    ScoreBox,
    TextEdit,
    note,
)

THERAPY_COLUMNS = ("drugs", "setting", "started_on", "ended_on", "reason_stopped")


def _drugs(text: Any) -> Any:
    """Typed names as the case holds them: lower-case INNs ("Letrozole" is letrozole)."""
    if text is None:
        return None
    return [name.strip().lower() for name in str(text).replace(";", ",").split(",") if name.strip()]


class BiologyPage(FieldPage):
    SECTIONS = ("biology", "disease")
    LISTS = ("disease.prior_therapy",)
    # no lines and no tick is "not recorded"; the tick is the answer "none" (an empty list)
    STATED_EMPTY = ("disease.prior_therapy",)
    OPTIONAL_SECTIONS = ("biology", "disease")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Tumour biology and disease"))
        self.setSubTitle(
            self.tr("Receptor status, genomics, where the cancer is, and earlier treatment.")
        )
        bio = self.form(self.tr("Receptors and genomics"))
        self.er_percent = self.add_row(
            bio, "biology.er_percent", self.tr("&ER"), NumberEdit("%"), trailing=note("%")
        )
        self.pr_percent = self.add_row(
            bio, "biology.pr_percent", self.tr("&PR"), NumberEdit("%"), trailing=note("%")
        )
        self.her2_ihc = self.add_row(
            bio, "biology.her2_ihc", self.tr("HER2 &IHC"), ChoiceBox(words.her2_ihc())
        )
        self.her2_ish = self.add_row(
            bio, "biology.her2_ish", self.tr("HER2 I&SH"), ChoiceBox(words.her2_ish())
        )
        self.ki67_percent = self.add_row(
            bio, "biology.ki67_percent", self.tr("&Ki-67"), NumberEdit("%"), trailing=note("%")
        )
        for path, label in (
            ("biology.pik3ca", self.tr("PIK&3CA")),
            ("biology.akt1_pten", self.tr("AKT1 / PTE&N")),
            ("biology.esr1", self.tr("ESR&1")),
        ):
            self.add_row(bio, path, label, ChoiceBox(words.mutation()))
        self.gbrca = self.add_row(
            bio, "biology.gbrca", self.tr("&Germline BRCA / PALB2"), ChoiceBox(words.germline())
        )
        self.pdl1_cps = self.add_row(bio, "biology.pdl1_cps", self.tr("PD-L1 &CPS"), NumberEdit())

        disease = self.form(self.tr("Disease"))
        self.liver_metastases = self.add_row(
            disease, "disease.liver_metastases", self.tr("&Liver metastases"), FlagBox()
        )
        self.liver_lesions = self.add_row(
            disease,
            "disease.liver_lesions",
            self.tr("Liver &lesions"),
            ChoiceBox(words.liver_lesions()),
        )
        self.other_sites = self.add_row(
            disease, "disease.other_sites", self.tr("&Other sites"), ChoiceList(words.sites(), 4)
        )
        self.biliary_obstruction = self.add_row(
            disease, "disease.biliary_obstruction", self.tr("&Biliary obstruction"), FlagBox()
        )
        self.gilbert_syndrome = self.add_row(
            disease, "disease.gilbert_syndrome", self.tr("Gilbert's s&yndrome"), FlagBox()
        )
        self.brain_metastases = self.add_row(
            disease, "disease.brain_metastases", self.tr("B&rain metastases"), FlagBox()
        )
        self.anthracycline = self.add_row(
            disease,
            "disease.cumulative_anthracycline_mg_m2",
            self.tr("Cumulative an&thracycline"),
            NumberEdit("mg/m²"),
            trailing=note(self.tr("mg/m² doxorubicin-equivalent")),
        )
        # Lowers the lifetime anthracycline limit to 400 mg/m² (doxorubicin labels).
        self.mediastinal_radiotherapy = self.add_row(
            disease,
            "disease.mediastinal_radiotherapy",
            self.tr("Mediastinal or heart radiotherapy"),
            FlagBox(),
        )

        safety = self.form(self.tr("Treatment safety"))
        self.lvef = self.add_row(
            safety, "clinical.lvef_percent", self.tr("L&VEF"), NumberEdit("%"), trailing=note("%")
        )
        self.neuropathy = self.add_row(
            safety, "clinical.neuropathy_grade", self.tr("Ne&uropathy grade"), ScoreBox(0, 4)
        )
        self.dpyd = self.add_row(safety, "clinical.dpyd", self.tr("&DPYD"), ChoiceBox(words.dpyd()))
        self.ugt1a1 = self.add_row(
            safety, "clinical.ugt1a1", self.tr("U&GT1A1"), ChoiceBox(words.ugt1a1())
        )
        self.diabetes = self.add_row(safety, "clinical.diabetes", self.tr("Diab&etes"), FlagBox())

        box = QGroupBox(self.tr("Earlier systemic treatment"))
        column = QVBoxLayout(box)
        column.addWidget(
            note(
                self.tr(
                    "Drugs by international non-proprietary name, separated by commas "
                    "(e.g. letrozole, palbociclib)."
                )
            )
        )
        self.no_prior_therapy = QCheckBox(self.tr("No earlier systemic &treatment"))
        self.no_prior_therapy.setToolTip(
            self.tr(
                "Tick only when she (or her records) said so. No lines and no tick is "
                '"not recorded": the plan then asks for it before an option is decided.'
            )
        )
        self.no_prior_therapy.toggled.connect(self._no_prior_therapy_toggled)
        column.addWidget(self.no_prior_therapy)
        self.therapy_grid = QGridLayout()
        headers = (
            self.tr("Drugs"),
            self.tr("Setting"),
            self.tr("Started"),
            self.tr("Ended"),
            self.tr("Why stopped"),
        )
        for col, text in enumerate(headers):
            self.therapy_grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        column.addLayout(self.therapy_grid)
        self.add_therapy_button = QPushButton(self.tr("&Add a treatment line"))
        self.add_therapy_button.setAccessibleName(self.tr("Add a treatment line"))
        self.add_therapy_button.clicked.connect(self._add_therapy_line)
        self.remove_therapy_button = QPushButton(self.tr("Remove the last line"))
        self.remove_therapy_button.setAccessibleName(self.tr("Remove the last treatment line"))
        self.remove_therapy_button.clicked.connect(self._remove_therapy_line)
        column.addWidget(self.add_therapy_button)
        column.addWidget(self.remove_therapy_button)
        self.therapy_rows: list[list[QWidget]] = []
        self.body_layout.addWidget(box)
        self.body_layout.addStretch(1)

    # The prior-therapy table: one grid row of widgets per line, its messages on the row below.

    def _no_prior_therapy_toggled(self, checked: bool) -> None:
        # "none" and treatment lines cannot both be the answer
        if checked:
            while self.therapy_rows:
                self.remove_therapy_row()
        self.add_therapy_button.setEnabled(not checked)
        self.remove_therapy_button.setEnabled(not checked)
        self._on_edit()

    def _add_therapy_line(self) -> None:
        self.add_therapy_row()
        self._on_edit()

    def _remove_therapy_line(self) -> None:
        self.remove_therapy_row()
        self._on_edit()

    def add_therapy_row(self) -> None:
        index = len(self.therapy_rows)
        row = 1 + 2 * index
        base = f"disease.prior_therapy[{index}]"
        line = index + 1
        drugs = TextEdit()
        drugs.setCompleter(DrugNameCompleter(rule_tables.case_limits().drugs, drugs))
        drugs.setPlaceholderText(self.tr("e.g. letrozole, palbociclib"))
        widgets: list[QWidget] = [
            drugs,
            ChoiceBox(words.therapy_settings()),
            DateEdit(),
            DateEdit(),
            ChoiceBox(words.stop_reasons()),
        ]
        names = (
            self.tr("Line {n} drugs"),
            self.tr("Line {n} setting"),
            self.tr("Line {n} started"),
            self.tr("Line {n} ended"),
            self.tr("Line {n} why stopped"),
        )
        # The row's messages stack under the whole row: each names its row and column, which
        # "is required" alone did not (issue 16 nurse walkthrough).
        columns = (
            self.tr("drugs"),
            self.tr("setting"),
            self.tr("started"),
            self.tr("ended"),
            self.tr("why stopped"),
        )
        messages = QWidget()
        messages_layout = QVBoxLayout(messages)
        messages_layout.setContentsMargins(0, 0, 0, 0)
        for col, (key, widget, name, column) in enumerate(
            zip(THERAPY_COLUMNS, widgets, names, columns, strict=True)
        ):
            named = self.tr("row {n}, {column}").format(n=line, column=column)
            if key == "drugs":
                message = self.register(
                    f"{base}.drugs",
                    widget,
                    name.format(n=line),
                    # `drugs` is this row's own box (a new one each call)
                    read=lambda: _drugs(drugs.json_value()),
                    write=lambda v: drugs.set_json_value(
                        ", ".join(v) if isinstance(v, list) else v
                    ),
                    named=named,
                )
            else:
                message = self.register(f"{base}.{key}", widget, name.format(n=line), named=named)
            self.therapy_grid.addWidget(widget, row, col)
            messages_layout.addWidget(message)
        self.therapy_grid.addWidget(messages, row + 1, 0, 1, len(THERAPY_COLUMNS))
        self.therapy_rows.append([*widgets, messages])
        QWidget.setTabOrder(self.therapy_rows[-1][-2], self.add_therapy_button)

    def remove_therapy_row(self) -> None:
        if not self.therapy_rows:
            return
        index = len(self.therapy_rows) - 1
        self.unregister(f"disease.prior_therapy[{index}]")
        for widget in self.therapy_rows.pop():
            self.therapy_grid.removeWidget(widget)
            widget.deleteLater()

    def value(self) -> dict[str, Any]:
        out = super().value()
        disease = out.get("disease")
        if isinstance(disease, dict):
            # A blank line stays in its place as None (dropped when the case is written), so
            # each line keeps its position: its hidden fields are matched by it (`carry`).
            lines = [
                line if line and any(v is not None for v in line.values()) else None
                for line in disease.get("prior_therapy") or []
            ]
            disease["prior_therapy"] = lines if any(lines) else None
        if self.no_prior_therapy.isChecked():
            # an answer: no earlier systemic treatment (not "not recorded")
            disease = out["disease"] = dict(disease) if isinstance(disease, dict) else {}
            disease["prior_therapy"] = []
        if isinstance(disease, dict) and all(v is None for v in disease.values()):
            out["disease"] = None
        return out

    def set_value(self, document: dict[str, Any]) -> None:
        recorded = (document.get("disease") or {}).get("prior_therapy")
        self.no_prior_therapy.blockSignals(True)  # loading is not an edit
        self.no_prior_therapy.setChecked(recorded == [])
        self.no_prior_therapy.blockSignals(False)
        self.add_therapy_button.setEnabled(recorded != [])
        self.remove_therapy_button.setEnabled(recorded != [])
        lines = ((document.get("disease") or {}).get("prior_therapy")) or []
        while len(self.therapy_rows) > len(lines):
            self.remove_therapy_row()
        while len(self.therapy_rows) < len(lines):
            self.add_therapy_row()
        super().set_value(document)
