"""Page 6: nutrition and function (`nutrition`, `function`, ECOG from `clinical`, and the weight
six months ago from `body`): weight history, intake, MUST or PG-SGA SF, falls, mobility, ECOG, PPS,
and the three signs the Palliative Prognostic Index adds to PPS and intake (`clinical.edema`,
`clinical.dyspnea_at_rest`, `clinical.delirium`: yes / no / not assessed = null).

PG-SGA wording is not shown (licensing): its boxes are entered by number with neutral labels.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget

from planner.domain.assessment_wording import ECOG_LABEL, FUNCTION_TITLE, PPS_LABEL, STEP_TITLES
from planner.domain.body import WEIGHT_LOSS_MONTHS
from planner.domain.dates import show_date
from planner.domain.instruments import inputs
from planner.ui.wizard import words
from planner.ui.wizard.fields import (
    ChoiceBox,
    ChoiceList,
    DateEdit,
    FieldPage,
    FlagBox,
    NumberEdit,
    ScoreBox,
    SignBox,
    note,
)


def _neutral(codes: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(code, f"{i}. {code.replace('_', ' ')}") for i, code in enumerate(codes, start=1)]


class NutritionPage(FieldPage):
    SECTIONS = ("nutrition", "function")
    OPTIONAL_SECTIONS = ("nutrition", "function")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr(STEP_TITLES["nutrition"]))
        self.setSubTitle(
            self.tr("Weight history, eating, screening, falls and how the patient gets about.")
        )
        weight = self.form(self.tr("Weight and intake"))
        self.weight_6_months = self.add_row(
            weight,
            "body.weight_6_months_ago_kg",
            self.tr("Weight &6 months ago"),
            NumberEdit("kg"),
            trailing=note("kg"),
        )
        #: her last weight in the record (set_value), what weight loss is judged against
        #: when the weight 6 months ago is left blank
        self.earlier_weight = note("")
        self.earlier_weight.setObjectName("earlierWeight")
        self.earlier_weight.setWordWrap(True)
        weight.addRow("", self.earlier_weight)
        self.intake = self.add_row(
            weight,
            "nutrition.intake",
            self.tr("&Intake compared with usual"),
            ChoiceBox(words.intake()),
        )

        self.must_box = QGroupBox(self.tr("&MUST screen"))
        self.must_box.setCheckable(True)
        self.must_box.setChecked(False)
        self.must_box.setAccessibleName(self.tr("MUST screen done"))
        must = QFormLayout(self.must_box)
        must.addRow(note(self.tr("Height and weight are taken from the first page.")))
        self.add_row(
            must,
            "nutrition.must.weight_3_to_6_months_ago_kg",
            self.tr("Weight 3–6 months ago"),
            NumberEdit("kg"),
            trailing=note("kg"),
        )
        self.add_row(
            must,
            "nutrition.must.acutely_ill_no_intake_5_days",
            self.tr("Acutely ill, no intake for > 5 days"),
            FlagBox(),
        )
        self.body_layout.addWidget(self.must_box)

        self.pgsga_box = QGroupBox(self.tr("P&G-SGA Short Form (boxes by number)"))
        self.pgsga_box.setCheckable(True)
        self.pgsga_box.setChecked(False)
        self.pgsga_box.setAccessibleName(self.tr("PG-SGA Short Form done"))
        pg = QFormLayout(self.pgsga_box)
        pg.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        base = "nutrition.pgsga_sf"
        self.add_row(
            pg,
            f"{base}.weight_1_month_ago_kg",
            self.tr("Box 1: weight 1 month ago"),
            NumberEdit("kg"),
        )
        self.add_row(
            pg,
            f"{base}.weight_6_months_ago_kg",
            self.tr("Box 1: weight 6 months ago"),
            NumberEdit("kg"),
        )
        self.add_row(
            pg,
            f"{base}.weight_decreased_past_2_weeks",
            self.tr("Box 1: lower in past 2 weeks"),
            FlagBox(),
        )
        self.add_row(
            pg,
            f"{base}.intake_vs_usual",
            self.tr("Box 2: amount"),
            ChoiceBox(_neutral(inputs.PGSGA_INTAKE_VS_USUAL)),
        )
        self.add_row(
            pg,
            f"{base}.intake_type",
            self.tr("Box 2: kind"),
            ChoiceBox(_neutral(inputs.PGSGA_INTAKE_TYPES)),
        )
        self.add_row(
            pg,
            f"{base}.symptoms",
            self.tr("Box 3: items"),
            ChoiceList(_neutral(inputs.PGSGA_SYMPTOMS), 3),
        )
        self.add_row(
            pg,
            f"{base}.activity",
            self.tr("Box 4: level"),
            ChoiceBox(_neutral(inputs.PGSGA_ACTIVITY)),
        )
        self.body_layout.addWidget(self.pgsga_box)
        for box in (self.must_box, self.pgsga_box):
            box.toggled.connect(self._on_edit)

        function = self.form(self.tr(FUNCTION_TITLE))
        self.falls = self.add_row(
            function,
            "function.falls_past_3_months",
            self.tr("&Falls in the past 3 months"),
            ScoreBox(0, 100),
        )
        self.mobility = self.add_row(
            function, "function.mobility", self.tr("Mo&bility"), ChoiceBox(words.mobility())
        )
        self.ecog = self.add_row(
            function, "clinical.ecog", self.tr(ECOG_LABEL), ChoiceBox(words.ecog())
        )
        self.pps = self.add_row(
            function, "function.pps_percent", self.tr(PPS_LABEL), ChoiceBox(words.pps())
        )

        ppi = self.form(self.tr("Signs for the Palliative Prognostic Index"))
        ppi.addRow(
            note(
                self.tr(
                    "With PPS and intake above these give the PPI. Leave “not assessed” when "
                    "a sign was not examined: the plan then names it as missing."
                )
            )
        )
        self.edema = self.add_row(ppi, "clinical.edema", self.tr("&Oedema"), SignBox())
        self.dyspnea_at_rest = self.add_row(
            ppi, "clinical.dyspnea_at_rest", self.tr("D&yspnoea at rest"), SignBox()
        )
        self.delirium = self.add_row(
            ppi,
            "clinical.delirium",
            self.tr("Deli&rium (not solely due to one medicine)"),
            SignBox(),
        )
        self.body_layout.addStretch(1)

    def value(self) -> dict[str, Any]:
        out = super().value()
        nutrition = out.get("nutrition") or {}
        if not self.must_box.isChecked():
            nutrition["must"] = None
        if not self.pgsga_box.isChecked():
            nutrition["pgsga_sf"] = None
        out["nutrition"] = None if all(v is None for v in nutrition.values()) else nutrition
        return out

    def set_value(self, document: dict[str, Any]) -> None:
        nutrition = document.get("nutrition") or {}
        self.must_box.setChecked(nutrition.get("must") is not None)
        self.pgsga_box.setChecked(nutrition.get("pgsga_sf") is not None)
        super().set_value(document)
        body = document.get("body") or {}
        kg, on = body.get("earlier_weight_kg"), body.get("earlier_weight_on")
        self.earlier_weight.setText(
            self.tr(
                "Last recorded {kg:g} kg on {date}: weight loss is judged against it when the "
                "weight {months} months ago is left blank, and only if it is within {months} "
                "months."
            ).format(kg=kg, date=show_date(on, DateEdit.shown_as), months=WEIGHT_LOSS_MONTHS)
            if isinstance(kg, int | float) and isinstance(on, str)
            else self.tr("No earlier weight in the record.")
        )
